"""Plane geometry for the fixture builder and the maps: WKB, centroids, dissolve, simplification.

Pure Python, no Django import. Coordinates are (longitude, latitude) pairs in WGS 84; areas and
distances are computed on the plane with longitudes scaled by cos(latitude), which is accurate
enough for communes and départements (the error is well under a metre at this scale).

- `parse_wkb(hex_or_bytes)` reads a (Multi)Polygon in WKB / EWKB (PostGIS hex dumps) into a list of
  polygons, each a list of rings, each a list of (x, y) tuples.
- `centroid(polygons)` is the area-weighted centroid (holes subtract).
- `dissolve(polygon_sets)` returns the outer boundary rings of a group of polygons that share
  edges exactly (a topologically clean partition, like the IGN communes): an edge belongs to the
  boundary when its reverse does not occur in the group.
- `simplify_arc(points, tolerance)` is Douglas–Peucker, run in a canonical direction so that a
  border shared by two départements simplifies to the same points on both sides.
- `outlines(groups, tolerance)` puts it together: dissolved, border-consistent, simplified
  outlines as GeoJSON MultiPolygon coordinates, one per group.
- `svg_layers(...)` projects outlines and a point into an SVG viewport (maps without JS).
"""

from __future__ import annotations

import math
import struct
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]

WKB_POLYGON = 3
WKB_MULTIPOLYGON = 6
EWKB_SRID_FLAG = 0x20000000


def parse_wkb(data: str | bytes) -> list[Polygon]:
    """Read a WKB/EWKB Polygon or MultiPolygon (bytes or hex string) into a list of polygons."""
    raw = bytes.fromhex(data) if isinstance(data, str) else data
    offset = 0

    def read(fmt: str):
        nonlocal offset
        values = struct.unpack_from(fmt, raw, offset)
        offset += struct.calcsize(fmt)
        return values

    def geometry() -> list[Polygon]:
        (byte_order,) = read("B")
        endian = "<" if byte_order == 1 else ">"
        (kind,) = read(endian + "I")
        if kind & EWKB_SRID_FLAG:
            read(endian + "I")
        kind &= 0xFF
        if kind == WKB_POLYGON:
            (ring_count,) = read(endian + "I")
            polygon = []
            for _ in range(ring_count):
                (count,) = read(endian + "I")
                values = read(f"{endian}{2 * count}d")
                polygon.append(list(zip(values[::2], values[1::2], strict=True)))
            return [polygon]
        if kind == WKB_MULTIPOLYGON:
            (count,) = read(endian + "I")
            return [polygon for _ in range(count) for polygon in geometry()]
        raise ValueError(f"Unsupported WKB geometry type {kind}.")

    return geometry()


def _ring_area_and_moment(ring: Sequence[Point], x_scale: float) -> tuple[float, float, float]:
    """Signed area and first moments (shoelace), relative to the ring's first point."""
    x0, y0 = ring[0]
    area = mx = my = 0.0
    for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
        ax, ay = (xa - x0) * x_scale, ya - y0
        bx, by = (xb - x0) * x_scale, yb - y0
        cross = ax * by - bx * ay
        area += cross
        mx += (ax + bx) * cross
        my += (ay + by) * cross
    area /= 2
    return area, mx / 6, my / 6


def ring_area(ring: Sequence[Point]) -> float:
    """Signed area in square degrees (positive when counter-clockwise)."""
    return _ring_area_and_moment(ring, 1.0)[0]


def centroid(polygons: Sequence[Polygon]) -> Point | None:
    """Area-weighted centroid of a multipolygon; holes (inner rings) subtract."""
    if not polygons or not polygons[0] or not polygons[0][0]:
        return None
    latitude = polygons[0][0][0][1]
    x_scale = math.cos(math.radians(latitude))
    total = sx = sy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            if len(ring) < 4:
                continue
            area, mx, my = _ring_area_and_moment(ring, x_scale)
            sign = 1 if index == 0 else -1  # holes subtract, whatever their orientation
            x0, y0 = ring[0]
            # Moments relative to the ring's first point, moved back to absolute coordinates.
            total += sign * abs(area)
            sx += sign * (mx * math.copysign(1, area) + abs(area) * x0 * x_scale)
            sy += sign * (my * math.copysign(1, area) + abs(area) * y0)
    if total == 0:
        xs = [x for polygon in polygons for x, _ in polygon[0]]
        ys = [y for polygon in polygons for _, y in polygon[0]]
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    return (sx / total / x_scale, sy / total)


def point_in_ring(point: Point, ring: Sequence[Point]) -> bool:
    """Even-odd rule."""
    x, y = point
    inside = False
    for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
        if (ya > y) != (yb > y) and x < (xb - xa) * (y - ya) / (yb - ya) + xa:
            inside = not inside
    return inside


def boundary_edges(polygon_sets: Iterable[Sequence[Polygon]]) -> set[tuple[Point, Point]]:
    """Directed edges of a group of polygons whose reverse is not in the group."""
    edges: set[tuple[Point, Point]] = set()
    for polygons in polygon_sets:
        for polygon in polygons:
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    if a == b:
                        continue
                    if (b, a) in edges:
                        edges.discard((b, a))
                    else:
                        edges.add((a, b))
    return edges


def chain_rings(edges: Iterable[tuple[Point, Point]]) -> list[Ring]:
    """Join directed edges into closed rings, deterministically (smallest unused edge first)."""
    outgoing: dict[Point, list[Point]] = defaultdict(list)
    for a, b in sorted(edges):
        outgoing[a].append(b)
    for targets in outgoing.values():
        targets.reverse()  # pop() takes the smallest first
    rings: list[Ring] = []
    for start in sorted(outgoing):
        while outgoing[start]:
            ring = [start]
            current = start
            while outgoing[current]:
                current = outgoing[current].pop()
                ring.append(current)
                if current == start:
                    break
            if ring[-1] != start:
                ring.append(start)  # an open chain (topology glitch): close it
            if len(ring) >= 4:
                rings.append(ring)
    return rings


def dissolve(polygon_sets: Iterable[Sequence[Polygon]]) -> list[Ring]:
    return chain_rings(boundary_edges(polygon_sets))


def _perpendicular_distance(point: Point, start: Point, end: Point, x_scale: float) -> float:
    px, py = point[0] * x_scale, point[1]
    ax, ay = start[0] * x_scale, start[1]
    bx, by = end[0] * x_scale, end[1]
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)


def douglas_peucker(points: Sequence[Point], tolerance: float, x_scale: float = 1.0) -> list[Point]:
    """Douglas–Peucker simplification (iterative), keeping both end points."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, -1.0
        for index in range(first + 1, last):
            d = _perpendicular_distance(points[index], points[first], points[last], x_scale)
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_arc(points: Sequence[Point], tolerance: float, x_scale: float = 1.0) -> list[Point]:
    """Douglas–Peucker in a canonical direction: the same arc read backwards gives the same
    points, so neighbouring outlines keep a common border."""
    if tuple(points[0]) > tuple(points[-1]) or (
        points[0] == points[-1] and tuple(points[1]) > tuple(points[-2])
    ):
        return douglas_peucker(points[::-1], tolerance, x_scale)[::-1]
    return douglas_peucker(points, tolerance, x_scale)


def _split_at_junctions(ring: Ring, is_junction) -> list[list[Point]]:
    """Cut a closed ring into arcs between junction points (or in two halves if it has none)."""
    body = ring[:-1]
    junctions = [index for index, point in enumerate(body) if is_junction(point)]
    if not junctions:
        start = body.index(min(body))
        body = body[start:] + body[:start]
        middle = len(body) // 2
        return [body[: middle + 1], body[middle:] + [body[0]]]
    start = junctions[0]
    body = body[start:] + body[:start]
    positions = [
        index - start if index >= start else index - start + len(body) for index in junctions
    ]
    positions.append(len(body))
    body = body + [body[0]]
    return [body[a : b + 1] for a, b in zip(positions, positions[1:], strict=False)]


def outlines(
    groups: Mapping[str, Iterable[Sequence[Polygon]]],
    tolerance: float,
    digits: int = 5,
    min_area: float = 0.0,
) -> dict[str, list]:
    """Dissolve each group's polygons into its outline, simplify borders consistently between
    groups, drop rings smaller than `min_area` (square degrees), and return GeoJSON
    MultiPolygon coordinates per group key."""
    rings_by_group = {key: dissolve(polygon_sets) for key, polygon_sets in groups.items()}
    # Which group lies on the other side of each boundary edge (None: outside every group).
    owner: dict[tuple[Point, Point], str] = {}
    for key, rings in rings_by_group.items():
        for ring in rings:
            for a, b in zip(ring, ring[1:], strict=False):
                owner[(a, b)] = key
    latitudes = [p[1] for rings in rings_by_group.values() for ring in rings for p in ring]
    x_scale = math.cos(math.radians(sum(latitudes) / len(latitudes))) if latitudes else 1.0
    result = {}
    for key, rings in rings_by_group.items():
        neighbour_after: dict[Point, str | None] = {}
        neighbour_before: dict[Point, str | None] = {}
        for ring in rings:
            for a, b in zip(ring, ring[1:], strict=False):
                neighbour = owner.get((b, a))
                neighbour_after[a] = neighbour
                neighbour_before[b] = neighbour
        # Points where three outlines meet, or where the neighbour changes, are kept fixed.
        degree: dict[Point, int] = defaultdict(int)
        for ring in rings:
            for point in ring[:-1]:
                degree[point] += 1

        def is_junction(point, degree=degree, after=neighbour_after, before=neighbour_before):
            return degree[point] > 1 or after.get(point) != before.get(point)

        simplified: list[Ring] = []
        for ring in rings:
            points: list[Point] = []
            for arc in _split_at_junctions(ring, is_junction):
                part = simplify_arc(arc, tolerance, x_scale)
                points.extend(part if not points else part[1:])
            points = [(round(x, digits), round(y, digits)) for x, y in points]
            if len(points) >= 4 and len(set(points)) >= 3 and abs(ring_area(points)) >= min_area:
                simplified.append(points)
        result[key] = _assemble_multipolygon(simplified)
    return result


def _assemble_multipolygon(rings: list[Ring]) -> list:
    """Exterior rings have the orientation of the largest ring; each hole joins the exterior
    that contains it. Exteriors are written counter-clockwise, holes clockwise (RFC 7946)."""
    if not rings:
        return []
    areas = [ring_area(ring) for ring in rings]
    largest = max(range(len(rings)), key=lambda index: abs(areas[index]))
    outer_sign = math.copysign(1, areas[largest])
    exteriors = [i for i in range(len(rings)) if math.copysign(1, areas[i]) == outer_sign]
    exteriors.sort(key=lambda index: -abs(areas[index]))
    polygons: dict[int, list[Ring]] = {index: [] for index in exteriors}
    for index in range(len(rings)):
        if index in polygons:
            continue
        for exterior in exteriors:
            if point_in_ring(rings[index][0], rings[exterior]):
                polygons[exterior].append(rings[index])
                break

    def oriented(ring: Ring, counter_clockwise: bool) -> list[list[float]]:
        if (ring_area(ring) > 0) != counter_clockwise:
            ring = ring[::-1]
        return [[x, y] for x, y in ring]

    return [
        [oriented(rings[exterior], True)] + [oriented(hole, False) for hole in holes]
        for exterior, holes in polygons.items()
    ]


def bounding_box(coordinates: Iterable) -> tuple[float, float, float, float]:
    """(west, south, east, north) of nested GeoJSON coordinates."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(item):
        if item and isinstance(item[0], (int, float)):
            xs.append(item[0])
            ys.append(item[1])
        else:
            for child in item:
                walk(child)

    walk(list(coordinates))
    return (min(xs), min(ys), max(xs), max(ys))


def svg_layers(
    shapes: Mapping[str, Sequence],
    point: Point | None = None,
    width: int = 480,
    padding: int = 6,
    points: Sequence[Point] = (),
) -> dict | None:
    """Project GeoJSON MultiPolygons (and a point, or many) into one SVG viewport.

    Returns {"width", "height", "paths": {key: SVG path data}, "x", "y", "dots": [(x, y)]} or
    None when there is no outline. Equirectangular projection, longitudes scaled by
    cos(mean latitude): at the scale of a region this looks like the maps people know.
    """
    shapes = {key: coordinates for key, coordinates in shapes.items() if coordinates}
    if not shapes:
        return None
    west, south, east, north = bounding_box(list(shapes.values()))
    x_scale = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * x_scale, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (width - 2 * padding) / span_x
    height = round(span_y * scale + 2 * padding)

    def project(x: float, y: float) -> tuple[float, float]:
        return (
            round(padding + (x - west) * x_scale * scale, 1),
            round(padding + (north - y) * scale, 1),
        )

    paths = {}
    for key, multipolygon in shapes.items():
        parts = []
        for polygon in multipolygon:
            for ring in polygon:
                projected = [project(x, y) for x, y in ring[:-1]]
                parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in projected) + " Z")
        paths[key] = " ".join(parts)
    result = {
        "width": width,
        "height": height,
        "paths": paths,
        "x": None,
        "y": None,
        "dots": [project(x, y) for x, y in points],
    }
    if point is not None:
        result["x"], result["y"] = project(*point)
    return result
