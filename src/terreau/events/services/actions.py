"""The action log of registrations: who did what to a registration and when, which staff read on
the registration's page (as pretalx's `log_action`). Written by the services that change a
registration, in their transaction."""

from ..models import Registration, RegistrationAction


def registration_action_record(
    *, registration: Registration, kind: str, by=None, detail: str = ""
) -> RegistrationAction:
    """Record one action; `by` is the staff member (None: the registrant through their link, or
    the site itself). No side effects beyond the row."""
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return RegistrationAction.objects.create(
        registration=registration, kind=kind, by=user, detail=detail[:300]
    )
