"""The events' personal data: registrations (kept anonymised for statistics), answers."""

import datetime as dt

from django.db.models import Q

from terreau.privacy import purposes

from .models import Answer, Registration

RETENTION = dt.timedelta(days=3 * 365)

PURPOSES = purposes.EVENTS


def _registrations(user):
    person = getattr(user, "person", None)
    condition = Q(email__iexact=user.email) if user.email else Q(pk=None)
    if person is not None:
        condition |= Q(person=person)
    return Registration.objects.filter(condition)


def export(user) -> dict:
    return {
        "registrations": list(
            _registrations(user).values(
                "event__title",
                "first_name",
                "last_name",
                "email",
                "phone",
                "employer",
                "job_title",
                "status",
                "attendance",
                "dietary_needs",
                "accessibility_needs",
                "created_at",
            )
        )
    }


def _anonymise(registrations) -> int:
    ids = list(registrations.values_list("pk", flat=True))
    Answer.objects.filter(registration_id__in=ids).delete()
    for pk in ids:
        Registration.objects.filter(pk=pk).update(
            first_name="Anonyme",
            last_name=f"#{pk}",
            email=f"anonyme-{pk}@anonyme.invalid",
            phone="",
            employer="",
            job_title="",
            dietary_needs="",
            accessibility_needs="",
            is_listed=False,
            person=None,
        )
    return len(ids)


def anonymise_registrations(*, person=None, email: str = "") -> int:
    condition = Q(person=person) if person is not None else Q(pk=None)
    if email:
        condition |= Q(email__iexact=email)
    return _anonymise(Registration.objects.filter(condition))


def erase(user, *, remove_content: bool) -> None:
    _anonymise(_registrations(user))


def purge(now) -> int:
    old = Registration.objects.filter(event__ends_at__lt=now - RETENTION).exclude(
        email__endswith="@anonyme.invalid"
    )
    return _anonymise(old)
