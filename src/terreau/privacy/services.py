"""A person's data in their hands: download everything, delete the account, and (for someone
who is only in the directory) ask for removal through a signed link."""

import json

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from .registry import modules

REMOVAL_SALT = "terreau.privacy.directory-removal"
REMOVAL_MAX_AGE = 7 * 24 * 3600


def personal_data_export(*, user) -> dict:
    """Everything the site holds about the account's owner, by app and section."""
    data = {}
    for module in modules():
        if hasattr(module, "export"):
            sections = module.export(user)
            if sections:
                data[module.__name__.split(".")[1]] = sections
    return data


def _readable(value) -> str:
    """A value as people read it: lists of records as lines, records as "key: value"."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "\n".join(_readable(item) for item in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def personal_data_readable(*, user) -> dict:
    """The export for the HTML page: every value a string."""
    return {
        app: {
            name: [{key: _readable(value) for key, value in row.items()} for row in rows]
            for name, rows in sections.items()
        }
        for app, sections in personal_data_export(user=user).items()
    }


def personal_data_json(*, user) -> str:
    return json.dumps(
        personal_data_export(user=user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )


@transaction.atomic
def account_delete(*, user, remove_content: bool = False) -> None:
    """Delete an account. Each app erases its part first: registrations and applications kept
    for statistics are anonymised; what the person wrote is re-attributed to "ancien membre",
    or removed when `remove_content`. Messages to the address leave the outbox too."""
    from terreau.core.models import OutboxMessage

    email = user.email
    for module in modules():
        if hasattr(module, "erase"):
            module.erase(user, remove_content=remove_content)
    if email:
        OutboxMessage.objects.filter(Q(to__icontains=email) | Q(body__icontains=email)).delete()
    user.delete()


def removal_token(person) -> str:
    return signing.dumps([person.pk, person.email.lower()], salt=REMOVAL_SALT, compress=False)


def removal_person(token: str):
    """The directory entry (without account) a removal link names; None for a forged, expired or
    used link (the entry is gone, or its address changed)."""
    from terreau.directory.models import Person

    if not token or len(token) > 300:
        return None
    try:
        pk, email = signing.loads(token, salt=REMOVAL_SALT, max_age=REMOVAL_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(email, str) or not 0 < pk < 2**63:
        return None
    person = Person.objects.filter(pk=pk, user__isnull=True).first()
    if person is None or person.email.lower() != email:
        return None
    return person


@transaction.atomic
def removal_request(*, email: str) -> bool:
    """Send a removal link to a directory entry without account that bears this address (the
    page answers the same whatever the address, so it tells nobody who is listed)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from terreau.directory.models import Person

    person = Person.objects.filter(email__iexact=(email or "").strip(), user__isnull=True).first()
    if person is None or not person.email:
        return False
    url = settings.SITE_URL + reverse("privacy:removal_confirm", args=[removal_token(person)])
    context = {"site_name": settings.SITE_NAME, "url": url, "person": person}
    send_mail(
        render_to_string("privacy/removal_subject.txt", context).strip(),
        render_to_string("privacy/removal_email.txt", context),
        None,
        [person.email],
    )
    return True


@transaction.atomic
def directory_person_remove(*, person) -> None:
    """Remove a directory entry without account: it is anonymised where an event's programme
    still names it as a speaker, deleted otherwise; registrations it made are anonymised."""
    from terreau.directory import personal_data as directory_data
    from terreau.events import personal_data as events_data

    events_data.anonymise_registrations(person=person, email=person.email)
    directory_data.remove_person(person)
