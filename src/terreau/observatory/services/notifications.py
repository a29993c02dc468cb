"""E-mails to contributors (and moderators) at each step of a contribution."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from terreau.core.absolute import base_url

from ..models import InitiativeProposal

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


def proposal_notify(*, proposal_id: int, event: str) -> int:
    """Send the e-mail(s) for `event` on a proposal; returns the number of messages sent.

    Side effects: one e-mail to the contributor; on "submitted", one to each moderator too.
    """
    if event not in EVENTS:
        raise ValueError(event)
    proposal = (
        InitiativeProposal.objects.select_related("author", "initiative")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not proposal.author.email:
        return 0
    comment = proposal.comments.exclude(body="").order_by("-created_at", "-pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "proposal": proposal,
            "event": event,
            "comment": comment,
            "site_name": settings.SITE_NAME,
            "proposal_url": base_url() + proposal.get_absolute_url(),
            "initiative_url": base_url() + proposal.initiative.get_absolute_url()
            if proposal.initiative_id
            else "",
            "moderation_url": base_url()
            + reverse("observatory:proposal_moderate", kwargs={"pk": proposal.pk}),
        }
        body = render_to_string(f"observatory/email/proposal_{event}.txt", context)
        sent = send_mail(_subject(event, proposal.title), body, None, [proposal.author.email])
        if event == "submitted":
            moderators = (
                get_user_model()
                .objects.filter(is_active=True)
                .filter(Q(is_moderator=True) | Q(is_staff=True))
                .exclude(email="")
                .values_list("email", flat=True)
            )
            moderator_body = render_to_string(
                "observatory/email/proposal_to_moderators.txt", context
            )
            subject = _subject("to_moderators", proposal.title)
            sent += send_mass_mail(
                [(subject, moderator_body, None, [email]) for email in moderators]
            )
    return sent
