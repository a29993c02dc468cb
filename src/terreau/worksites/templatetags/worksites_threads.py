"""`{% comment_thread thread comment_url %}`: one comment thread of the report page and of a
section's discussion page (rows of `selectors.thread_rows`, with the `can_resolve` and
`resolve_url` the view adds).

The thread is written here with format strings rather than by an included template: the page
draws up to `THREADS_SHOWN` threads per section, and the template engine spent about half a
millisecond on each (its translation tags, filters and variable lookups), half the report
page's CPU. The labels are translated once per language; every value is escaped; the CSRF
token is the page's own (the one `{% csrf_token %}` gives), never kept between requests.
"""

from functools import lru_cache
from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from terreau.core.templatetags.dates import date

register = template.Library()


@lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    """The thread's translated labels, escaped, for the active language."""
    return {
        "comment": escape(gettext("Comment")),
        "resolved_comment": escape(gettext("Resolved comment")),
        "gone": escape(gettext("Passage gone: this text is no longer in the section.")),
        # %(name)s and %(date)s stay for the (escaped) values.
        "resolved_by": escape(gettext("resolved by %(name)s on %(date)s")),
        "reply": escape(gettext("Reply")),
        "reopen": escape(gettext("Reopen")),
        "resolve": escape(gettext("Resolve")),
    }


def _text(value) -> str:
    """`{{ value|linebreaksbr }}`."""
    return escape(normalize_newlines(str(value))).replace("\n", "<br>")


def _when(value) -> str:
    """`{{ value|date:"DATETIME_FORMAT" }}`."""
    return str(conditional_escape(date(template_localtime(value), "DATETIME_FORMAT")))


@register.simple_tag(takes_context=True)
def comment_thread(context, thread: dict, comment_url: str = "") -> str:
    labels = _labels(get_language())
    pk = str(thread["pk"])
    resolved = thread["is_resolved"]
    token = str(context.get("csrf_token") or "")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    parts = [
        f'<article class="comment{" is-resolved" if resolved else ""}" id="comment-{pk}" '
        f'aria-label="{labels["resolved_comment"] if resolved else labels["comment"]}">\n'
    ]
    if thread["quote"]:
        gone = thread["is_passage_gone"]
        parts.append(
            f'<blockquote class="comment-quote{" is-gone" if gone else ""}">'
            f"{escape(thread['quote'])}</blockquote>"
        )
        if gone:
            parts.append(f'<p class="message message-warning">{labels["gone"]}</p>')
    parts.append(
        f'\n<p>{_text(thread["body"])}</p><p class="meta">{escape(thread["author"])} · '
        f"{_when(thread['created_at'])}"
    )
    if resolved:
        by = labels["resolved_by"] % {
            "name": escape(thread["resolved_by"]),
            "date": _when(thread["resolved_at"]),
        }
        parts.append(f" · {by}")
    parts.append("</p>\n")
    parts.extend(
        f'<div class="reply"><p>{_text(reply["body"])}</p><p class="meta">'
        f"{escape(reply['author'])} · {_when(reply['created_at'])}</p></div>"
        for reply in thread["replies"]
    )
    parts.append("\n")
    if context.get("can_comment") and not resolved:
        parts.append(
            f'<form method="post" action="{escape(comment_url)}">{csrf}'
            f'<input type="hidden" name="parent" value="{pk}"><label for="reply-{pk}">'
            f'{labels["reply"]}</label><textarea id="reply-{pk}" name="body" rows="2" required>'
            f'</textarea><button type="submit" class="button-small">{labels["reply"]}</button>'
            "</form>"
        )
    parts.append("\n")
    if thread.get("can_resolve"):
        parts.append(f'<form method="post" action="{escape(thread["resolve_url"])}">{csrf}')
        if resolved:
            parts.append(
                '<input type="hidden" name="action" value="reopen"><button type="submit" '
                f'class="button-small button-secondary">{labels["reopen"]}</button>'
            )
        else:
            parts.append(
                '<button type="submit" class="button-small button-secondary">'
                f"{labels['resolve']}</button>"
            )
        parts.append("</form>")
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
