"""The newsletter's messages: an issue rendered once per set of items (HTML and plain text),
then each subscriber's copy with their own links and the RFC 8058 one-click headers."""

import html as html_lib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from terreau.core.markdown import markdown_to_text, render_markdown

from . import tokens
from .models import ContentKind, Issue, Subscriber

# Replaced in the rendered text by each subscriber's own links (rendering 20,000 copies of the
# same templates would dominate the queueing time).
MANAGE_MARK = "https://terreau.invalid/__manage__"
UNSUBSCRIBE_MARK = "https://terreau.invalid/__unsubscribe__"
KIND_ORDER = [ContentKind.NEWS, ContentKind.EVENT, ContentKind.CALL, ContentKind.RESOURCE]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = tokens.make_token(subscriber, tokens.UNSUBSCRIBE)
    return absolute(reverse("library:newsletter_unsubscribe", kwargs={"token": token}))


def manage_url(subscriber: Subscriber) -> str:
    token = tokens.make_token(subscriber, tokens.MANAGE)
    return absolute(reverse("library:newsletter_manage", kwargs={"token": token}))


def confirm_url(subscriber: Subscriber) -> str:
    token = tokens.make_token(subscriber, tokens.CONFIRM)
    return absolute(reverse("library:newsletter_confirm", kwargs={"token": token}))


def list_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<newsletter.{host}>"


def item_matches(item, *, kinds: list[str], theme_ids: set[int]) -> bool:
    """Does a subscriber who chose these kinds and themes (none: all) want this item? An item
    without themes goes to everyone who takes its kind."""
    if kinds and item.kind not in kinds:
        return False
    return not theme_ids or not item.theme_ids or bool(theme_ids.intersection(item.theme_ids))


class IssueRenderer:
    """Renders an issue for many subscribers: the templates once per distinct set of items."""

    def __init__(self, issue: Issue, *, language: str = "fr"):
        self.issue = issue
        self.language = language
        self.items = list(issue.items.all())
        self._rendered: dict[tuple[int, ...], tuple[str, str]] = {}

    def items_for(self, subscriber: Subscriber, theme_ids: set[int] | None = None) -> list:
        if theme_ids is None:
            theme_ids = {theme.pk for theme in subscriber.themes.all()}
        kinds = list(subscriber.kinds or [])
        return [item for item in self.items if item_matches(item, kinds=kinds, theme_ids=theme_ids)]

    def render(self, items: list) -> tuple[str, str]:
        key = tuple(item.pk for item in items)
        if key not in self._rendered:
            with translation.override(self.language):
                groups = [
                    {"label": kind.label, "items": [i for i in items if i.kind == kind]}
                    for kind in KIND_ORDER
                ]
                context = {
                    "issue": self.issue,
                    "groups": [group for group in groups if group["items"]],
                    "introduction_html": render_markdown(self.issue.introduction),
                    "introduction_text": html_lib.unescape(
                        markdown_to_text(self.issue.introduction)
                    ),
                    "site_name": settings.SITE_NAME,
                    "language": self.language,
                    "manage_url": MANAGE_MARK,
                    "unsubscribe_url": UNSUBSCRIBE_MARK,
                }
                html = render_to_string("library/newsletter/email/issue.html", context)
                text = render_to_string("library/newsletter/email/issue.txt", context)
            self._rendered[key] = (html, text)
        return self._rendered[key]

    def message(self, subscriber: Subscriber, items: list, *, subject_prefix: str = ""):
        html, text = self.render(items)
        manage, unsubscribe = manage_url(subscriber), unsubscribe_url(subscriber)
        html = html.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe)
        text = text.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, unsubscribe)
        message = EmailMultiAlternatives(
            subject=subject_prefix + self.issue.subject,
            body=text,
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"{settings.SITE_NAME} {list_id()}",
                "Precedence": "bulk",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    with translation.override(subscriber.language or "fr"):
        context = {"site_name": settings.SITE_NAME, "confirm_url": confirm_url(subscriber)}
        subject = render_to_string("library/newsletter/email/confirm_subject.txt", context)
        body = render_to_string("library/newsletter/email/confirm.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=body, to=[subscriber.email]
    )


def test_subject_prefix() -> str:
    return _("[Test] ")
