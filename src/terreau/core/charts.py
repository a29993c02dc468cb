"""Server-rendered SVG bar charts for the whole site (no JavaScript, no inline style: the CSP
stays strict), with their geometry.

A chart is an image (`role="img"`) named by its <title> and described by its <desc>, which
lists every value, so a screen reader hears the figures; it holds no link (a link inside
`role="img"` is unreachable for assistive technology): the page puts the links in the data table
beside it. Colours come from the site's stylesheet (`.chart-bar`, `.chart-label`,
`.chart-count`).
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
BAR_AREA = 300
COUNT_WIDTH = 110
WIDTH = LABEL_WIDTH + BAR_AREA + COUNT_WIDTH
MAX_LABEL_CHARS = 42


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_width(count: int, top: int) -> float:
    """The length of a bar in the chart's viewBox units (the longest bar fills the area)."""
    return round(BAR_AREA * count / top, 1) if top else 0.0


def bar_chart_svg(
    rows: list[tuple[str, int]],
    *,
    title: str,
    description: str = "",
    total: int | None = None,
    with_share: bool = True,
    key: str = "",
) -> SafeString:
    """A horizontal bar chart: one bar per (label, count), with the count (and its share of
    `total`, by default the sum of the counts) at its end.

    `key` gives the <title> and <desc> ids that `aria-labelledby` names, when a page shows several
    charts. Full labels stay in each bar's <title> when a long one is shortened on screen.
    """
    total = total if total is not None else sum(count for _, count in rows)
    top = max((count for _, count in rows), default=0)
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    figures = "; ".join(f"{label}: {count}" for label, count in rows)
    summary = f"{description} {figures}".strip() if description else figures
    ids = (f"chart-{key}-title", f"chart-{key}-desc") if key else ("", "")
    labelled_by = f' aria-labelledby="{escape(ids[0])} {escape(ids[1])}"' if key else ""
    title_id = f' id="{escape(ids[0])}"' if key else ""
    desc_id = f' id="{escape(ids[1])}"' if key else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"{labelled_by} '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title{title_id}>{escape(title)}</title>",
        f"<desc{desc_id}>{escape(summary)}</desc>",
    ]
    for index, (label, count) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = bar_width(count, top)
        share = f" ({round(100 * count / total)} %)" if with_share and total else ""
        parts.append(
            f'<g class="chart-row"><title>{escape(label)}: {count}{escape(share)}</title>'
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7}" '
            f'text-anchor="end">{escape(_shorten(label))}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
            f'height="{BAR_HEIGHT}" rx="3"></rect>'
            f'<text class="chart-count" x="{LABEL_WIDTH + width + 6}" '
            f'y="{y + BAR_HEIGHT * 0.7}">{count}{escape(share)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def stacked_bar_svg(segments: list[tuple[str, float]], *, css_class: str) -> SafeString:
    """One bar of 100 split into segments laid end to end, each (key, percent); a segment's
    class is `rank-<key>` (its colour in the stylesheet). Decorative (`aria-hidden`): the page
    gives the figures in the table beside it."""
    parts = [
        f'<svg class="{escape(css_class)}" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
    ]
    x = 0.0
    for key, percent in segments:
        parts.append(
            f'<rect class="rank-{escape(str(key))}" x="{round(x, 1)}" width="{percent}" '
            'height="10"/>'
        )
        x += percent
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def fill_bar_svg(percent: float, *, css_class: str) -> SafeString:
    """How full something is, as a bar on its track (0 to 100, clipped). Decorative, like
    stacked_bar_svg: the figure is written beside it."""
    width = max(0, min(100, percent))
    return mark_safe(  # noqa: S308 - numbers and a fixed class only
        f'<svg class="{escape(css_class)}" viewBox="0 0 100 8" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect class="fill-track" width="100" height="8"/>'
        f'<rect class="fill-value" width="{width}" height="8"/></svg>'
    )
