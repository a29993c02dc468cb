"""Template filters shared by every app."""

from django import template

from terreau.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter
def page_numbers(page):
    """The page numbers to link around `page` (a Page), None where a run is left out: 1 … 4 5
    [6] 7 8 … 20."""
    paginator = page.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
