"""The e-mails of a proposal's steps, written to the outbox (Django's mail API is the outbox
here: terreau.core.outbox) in the caller's transaction."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from terreau.core.absolute import base_url

EVENTS = ("submitted", "changes_requested", "published", "rejected", "commented")


def _subject(event: str, title: str) -> str:
    subjects = {
        "submitted": _("Your contribution “%(title)s” has been received"),
        "changes_requested": _("Changes requested on your contribution “%(title)s”"),
        "published": _("Your contribution “%(title)s” is published"),
        "rejected": _("Your contribution “%(title)s” was not published"),
        "commented": _("A moderator commented on your contribution “%(title)s”"),
        "to_moderators": _("New contribution to review: “%(title)s”"),
    }
    return f"[{settings.SITE_NAME}] " + subjects[event] % {"title": title}


def moderators_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_moderator=True) | Q(is_staff=True))
        .exclude(email="")
        .values_list("email", flat=True)
    )


def moderation_notify(moderation, proposal, event: str) -> int:
    """Write the e-mail(s) of `event` on a proposal; returns how many were written.

    One e-mail to the author; on "submitted", one to each moderator too.
    """
    if event not in EVENTS:
        raise ValueError(event)
    author = proposal.author
    if author is None or not author.email:
        return 0
    comment = (
        moderation.comment_model.objects.filter(proposal=proposal)
        .exclude(body="")
        .order_by("-created_at", "-pk")
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        urls = {
            name: base_url() + path if path else ""
            for name, path in moderation.urls(proposal).items()
        }
        context = {
            "proposal": proposal,
            "event": event,
            "comment": comment,
            "site_name": settings.SITE_NAME,
            **urls,
        }
        body = render_to_string(f"moderation/email/{event}.txt", context)
        sent = send_mail(_subject(event, proposal.title), body, None, [author.email])
        if event == "submitted":
            moderator_body = render_to_string("moderation/email/to_moderators.txt", context)
            subject = _subject("to_moderators", proposal.title)
            sent += send_mass_mail(
                [(subject, moderator_body, None, [email]) for email in moderators_emails()]
            )
    return sent
