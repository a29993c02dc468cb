"""The newsletter's messages: an issue rendered once per set of items (HTML and plain text),
then each subscriber's copy: their own links and the RFC 8058 one-click headers, which the
outbox puts in place of the marks of the shared body when it sends the copy."""

import html as html_lib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailAlternative, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from terreau.core.markdown import markdown_to_text, render_markdown
from terreau.core.outbox import OutboxCopy, outbox_substitute

from . import tokens
from .models import ContentKind, Issue, Subscriber

# Replaced in the rendered text by each subscriber's own links (rendering 20,000 copies of the
# same templates would dominate the queueing time).
MANAGE_MARK = "https://terreau.invalid/__manage__"
UNSUBSCRIBE_MARK = "https://terreau.invalid/__unsubscribe__"
KIND_ORDER = [ContentKind.NEWS, ContentKind.EVENT, ContentKind.CALL, ContentKind.RESOURCE]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


class LinkMaker:
    """A subscriber's signed link to one page, for many subscribers: the URL is reversed once
    and the signer made once (a token is letters, digits, "-", "_" and ":", which a URL keeps
    as they are)."""

    def __init__(self, url_name: str, purpose: str):
        url = absolute(reverse(url_name, kwargs={"token": "__token__"}))
        self.prefix, self.suffix = url.split("__token__")
        self.make_token = tokens.token_maker(purpose)

    def __call__(self, subscriber: Subscriber) -> str:
        return self.prefix + self.make_token(subscriber) + self.suffix


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

    @cached_property
    def _manage(self) -> LinkMaker:
        return LinkMaker("library:newsletter_manage", tokens.MANAGE)

    @cached_property
    def _unsubscribe(self) -> LinkMaker:
        return LinkMaker("library:newsletter_unsubscribe", tokens.UNSUBSCRIBE)

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

    def shared_message(self, items: list, *, subject_prefix: str = ""):
        """The message every subscriber of these items receives, their links left as marks."""
        html, text = self.render(items)
        message = EmailMultiAlternatives(
            subject=subject_prefix + self.issue.subject,
            body=text,
            headers={
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"{settings.SITE_NAME} {list_id()}",
                "Precedence": "bulk",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        return message

    def copy(self, subscriber: Subscriber, *, key: str | None = None) -> OutboxCopy:
        """A subscriber's copy of a shared message: their address, links and headers."""
        manage, unsubscribe = self._manage(subscriber), self._unsubscribe(subscriber)
        return OutboxCopy(
            key=key,
            to=[subscriber.email],
            substitutions={MANAGE_MARK: manage, UNSUBSCRIBE_MARK: unsubscribe},
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        )

    def message(self, subscriber: Subscriber, items: list, *, subject_prefix: str = ""):
        """One subscriber's whole message (a test send), as the outbox would send their copy."""
        message = self.shared_message(items, subject_prefix=subject_prefix)
        copy = self.copy(subscriber)
        message.to = copy.to
        message.extra_headers.update(copy.headers)
        message.body = outbox_substitute(message.body, copy.substitutions)
        message.alternatives = [
            EmailAlternative(outbox_substitute(content, copy.substitutions), mimetype)
            for content, mimetype in message.alternatives
        ]
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
