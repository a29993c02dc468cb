"""Server-rendered SVG bar charts (no JavaScript, no inline style: the CSP stays strict)."""

from html import escape

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
BAR_AREA = 300
COUNT_WIDTH = 110
WIDTH = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH
MAX_LABEL_CHARS = 42


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str, total: int | None = None) -> str:
    """A horizontal bar chart: one bar per (label, count), with the count and share at its end.

    The SVG has a <title> and <desc> for screen readers; full labels are kept in each bar's
    <title> when a long one is shortened on screen.
    """
    total = total if total is not None else sum(count for _, count in rows)
    top = max((count for _, count in rows), default=0) or 1
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    summary = "; ".join(f"{label}: {count}" for label, count in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary)}</desc>",
    ]
    for index, (label, count) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * count / top, 1)
        share = f" ({round(100 * count / total)} %)" if total else ""
        parts.append(
            f'<g class="chart-row"><title>{escape(label)}: {count}{share}</title>'
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7}" '
            f'text-anchor="end">{escape(_shorten(label))}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}" rx="3"></rect>'
            f'<text class="chart-count" x="{LABEL_WIDTH + width + 6}" '
            f'y="{y + BAR_HEIGHT * 0.7}">{count}{escape(share)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
