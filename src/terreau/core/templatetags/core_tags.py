"""Template filters shared by every app."""

from django import template

from terreau.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)
