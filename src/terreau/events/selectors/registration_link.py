from django.db.models import Q

from ..models import Registration


def registrations_of_user(user) -> list[dict]:
    """A signed-in person's registrations (by their verified e-mail or their directory profile),
    newest event first, each with its personal link. One query."""
    from .registration import registration_manage_path

    mine = Q(person__user=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    registrations = (
        Registration.objects.filter(mine)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )
    return [
        {"registration": r, "event": r.event, "manage_path": registration_manage_path(r)}
        for r in registrations
    ]
