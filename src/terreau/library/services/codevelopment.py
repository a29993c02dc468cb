"""Writes of co-development: a member posts a need, peers offer help, staff take the need to a
session (an event's co-development session or a meeting), record its outcome; the member (or
staff) marks it resolved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.slugs import slug_unique
from terreau.events.models import SessionKind

from ..models import Need, NeedState, Offer


def _display_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None and getattr(person, "display_name", ""):
        return person.display_name
    return user.get_full_name() or user.email.split("@")[0]


@transaction.atomic
def need_create(
    *,
    author,
    title: str,
    description: str = "",
    themes=(),
    commune=None,
    organisation=None,
    **fields,
) -> Need:
    """Post a need on the public board (open). Raises ValidationError with field keys."""
    need = Need(
        author=author,
        author_name=fields.pop("author_name", "") or _display_name(author),
        title=title.strip(),
        description=description,
        organisation=organisation,
        slug=slug_unique(model=Need, text=title, fallback="besoin"),
        **fields,
    )
    if commune is not None:
        need.commune_id = getattr(commune, "pk", commune)
        need.department_id = need.commune.department_id
    need.full_clean()
    need.save()
    need.themes.set(themes)
    return need


@transaction.atomic
def offer_create(*, need: Need, author, kind: str, text: str, initiative=None) -> Offer:
    """A peer offers help or an experience on an open need."""
    if not need.is_open:
        raise ValidationError(_("This need is no longer open."), code="closed")
    offer = Offer(
        need=need,
        author=author,
        author_name=_display_name(author),
        kind=kind,
        text=text,
        initiative=initiative,
    )
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def need_schedule(*, need: Need, session=None, meeting=None) -> Need:
    """Take an open need to a co-development session of an event's programme, or to a meeting
    (one of them)."""
    if not need.is_open:
        raise ValidationError(_("This need is no longer open."), code="closed")
    if bool(session) == bool(meeting):
        raise ValidationError(_("Choose a session or a meeting (one of them)."), code="target")
    if session is not None and session.kind != SessionKind.CODEVELOPMENT:
        raise ValidationError(
            {"session": _("Choose a co-development session.")}, code="session_kind"
        )
    need.session, need.meeting = session, meeting
    need.state = NeedState.SCHEDULED
    need.save(update_fields=["session", "meeting", "state", "updated_at"])
    return need


@transaction.atomic
def need_record_outcome(*, need: Need, outcome: str) -> Need:
    """Write down what the session brought for this need."""
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome.")}, code="required")
    need.outcome = outcome.strip()
    need.outcome_recorded_at = timezone.now()
    need.save(update_fields=["outcome", "outcome_recorded_at", "updated_at"])
    return need


@transaction.atomic
def need_resolve(*, need: Need) -> Need:
    """The member says their need is met: it leaves the board of open needs."""
    if need.state == NeedState.RESOLVED:
        return need
    if not need.is_open:
        raise ValidationError(_("This need is no longer open."), code="closed")
    need.state = NeedState.RESOLVED
    need.resolved_at = timezone.now()
    need.save(update_fields=["state", "resolved_at", "updated_at"])
    return need
