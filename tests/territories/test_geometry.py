"""The pure geometry behind centroids, département outlines and SVG maps."""

import struct

import pytest

from terreau.territories import geometry


def wkb_multipolygon(polygons) -> str:
    data = struct.pack("<BII", 1, 6, len(polygons))
    for polygon in polygons:
        data += struct.pack("<BII", 1, 3, len(polygon))
        for ring in polygon:
            data += struct.pack("<I", len(ring))
            for x, y in ring:
                data += struct.pack("<dd", x, y)
    return data.hex().upper()


def square(x, y, size=1.0):
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def test_wkb_multipolygons_and_ewkb_polygons_are_read_back():
    polygons = [[square(2, 50)], [square(4, 50, 0.5)]]
    assert geometry.parse_wkb(wkb_multipolygon(polygons)) == polygons
    ewkb = struct.pack(">BII", 0, 3 | geometry.EWKB_SRID_FLAG, 4326) + struct.pack(">I", 1)
    ewkb += struct.pack(">I", 5) + b"".join(struct.pack(">dd", x, y) for x, y in square(0, 0))
    assert geometry.parse_wkb(ewkb) == [[square(0, 0)]]


def test_an_unsupported_geometry_type_is_refused():
    with pytest.raises(ValueError):
        geometry.parse_wkb(struct.pack("<BIdd", 1, 1, 2.0, 50.0))


def test_the_centroid_of_a_square_is_its_centre_whatever_its_orientation():
    assert geometry.centroid([[square(2, 50)]]) == pytest.approx((2.5, 50.5))
    assert geometry.centroid([[square(2, 50)[::-1]]]) == pytest.approx((2.5, 50.5))


def test_a_hole_moves_the_centroid_away_from_it():
    ring = square(0, 50, 4)
    hole = square(2.5, 51.5, 1)[::-1]
    x, y = geometry.centroid([[ring, hole]])
    # (16 × 2 − 1 × 3) / 15 along x; the hole is centred along y.
    assert x == pytest.approx(29 / 15) and y == pytest.approx(52)


def test_the_centroid_of_two_parts_is_weighted_by_area():
    x, _ = geometry.centroid([[square(0, 50, 2)], [square(10, 50, 1)]])
    # Areas 4 and 1 (the cos(latitude) scale cancels out): (4 × 1 + 1 × 10.5) / 5
    assert x == pytest.approx(2.9, abs=1e-6)


def test_dissolving_two_neighbours_keeps_only_their_outer_border():
    left, right = [[square(0, 0)]], [[square(1, 0)]]
    rings = geometry.dissolve([left, right])
    assert len(rings) == 1
    assert set(rings[0]) == {(0, 0), (1, 0), (2, 0), (2, 1), (1, 1), (0, 1)}
    assert abs(geometry.ring_area(rings[0])) == pytest.approx(2)


def test_douglas_peucker_drops_points_within_the_tolerance_and_keeps_the_ends():
    line = [(0, 0), (1, 0.01), (2, -0.01), (3, 0), (4, 2), (5, 0)]
    assert geometry.douglas_peucker(line, 0.1) == [(0, 0), (3, 0), (4, 2), (5, 0)]
    assert geometry.douglas_peucker(line, 10) == [(0, 0), (5, 0)]


def test_an_arc_simplifies_to_the_same_points_in_both_directions():
    arc = [(0, 0), (1, 0.3), (2, -0.2), (3, 0.25), (4, 0.05), (5, 0.4), (6, 0)]
    forwards = geometry.simplify_arc(arc, 0.2)
    backwards = geometry.simplify_arc(arc[::-1], 0.2)
    assert forwards == backwards[::-1]


def test_neighbouring_outlines_keep_a_common_border_after_simplification():
    # Two départements of 3 × 3 unit communes with a wiggly shared border at x = 3.
    def commune(x, y, shift):
        return [
            [[(x, y), (x + 1 + shift(y), y), (x + 1 + shift(y + 1), y + 1), (x, y + 1), (x, y)]]
        ]

    def wiggle(y):
        return 0.05 if y % 2 else 0.0

    west = [commune(x, y, (lambda _: 0) if x < 2 else wiggle) for x in range(3) for y in range(3)]
    east = []
    for y in range(3):
        east.append(
            [
                [
                    [
                        (3 + wiggle(y), y),
                        (4, y),
                        (4, y + 1),
                        (3 + wiggle(y + 1), y + 1),
                        (3 + wiggle(y), y),
                    ]
                ]
            ]
        )
    shapes = geometry.outlines({"W": west, "E": east}, tolerance=0.1)
    west_points = {tuple(p) for polygon in shapes["W"] for ring in polygon for p in ring}
    east_points = {tuple(p) for polygon in shapes["E"] for ring in polygon for p in ring}
    assert {p for p in west_points if p[0] >= 3} == {p for p in east_points if p[0] < 3.5}
    assert len(shapes["W"]) == 1 and len(shapes["E"]) == 1


def test_outlines_are_counter_clockwise_with_clockwise_holes_and_drop_slivers():
    outer = [[[(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)], [(1, 1), (1, 3), (3, 3), (3, 1), (1, 1)]]]
    sliver = [[[(10, 0), (10.001, 0), (10.001, 0.001), (10, 0.001), (10, 0)]]]
    shapes = geometry.outlines({"A": [outer, sliver]}, tolerance=0.01, min_area=1e-4)
    (polygon,) = shapes["A"]
    exterior, hole = polygon
    assert geometry.ring_area([tuple(p) for p in exterior]) > 0
    assert geometry.ring_area([tuple(p) for p in hole]) < 0


def test_an_svg_map_fits_the_width_and_places_the_point_inside():
    shapes = {"59": [[square(2, 50, 2)]]}
    svg = geometry.svg_layers(shapes, point=(3, 51), width=200, padding=0)
    assert svg["width"] == 200
    assert 100 < svg["height"] < 200 * 2  # taller than wide once longitudes shrink
    assert svg["paths"]["59"].startswith("M0 ") and svg["paths"]["59"].endswith("Z")
    assert svg["x"] == pytest.approx(100, abs=1) and 0 < svg["y"] < svg["height"]
    assert geometry.svg_layers({}, point=None) is None
