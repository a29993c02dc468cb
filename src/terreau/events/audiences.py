"""Hooks through which another app answers three questions about the events it runs on this
module: "is this e-mail a member of the event's group?" (audience "members of a group"),
"may this user run the event's door?" (check-in and sign-in sheets, besides staff) and "does
the app register the event's participants itself?" (then the event's page shows no public
registration form, only where to learn how to join).

The events module imports no domain app: the app that owns the group registers its answers
once, in its AppConfig.ready() (the exchange groups do, for their meetings).
"""

from collections.abc import Callable

_member_checks: list[Callable] = []
_door_delegates: list[Callable] = []
_registration_owners: list[Callable] = []


def register_group_member_check(check: Callable) -> None:
    """`check(event, email) -> bool | None`: True or False for an event it knows, else None."""
    if check not in _member_checks:
        _member_checks.append(check)


def register_door_delegate(check: Callable) -> None:
    """`check(user, event) -> bool`: True when the user may check people in at the event."""
    if check not in _door_delegates:
        _door_delegates.append(check)


def register_registration_owner(owner: Callable) -> None:
    """`owner(event) -> str | None`: for an event whose participants the app registers itself
    (a group's members to its meeting), the address of the page that says how to join ("" for
    none); None for an event it does not own."""
    if owner not in _registration_owners:
        _registration_owners.append(owner)


def registration_owner(event) -> str | None:
    """None when the event takes public registrations; else where to learn how to join."""
    for owner in _registration_owners:
        answer = owner(event)
        if answer is not None:
            return answer
    return None


def is_group_member(event, email: str) -> bool:
    """Whether a registration with this e-mail belongs to the event's group. An event that no
    app claims keeps taking sign-ups as before (a network's day whose members are listed
    nowhere): only the app that owns the group can say no."""
    for check in _member_checks:
        answer = check(event, email)
        if answer is not None:
            return bool(answer)
    return True


def is_door_delegate(user, event) -> bool:
    if event is None or not (user and user.is_authenticated):
        return False
    return any(check(user, event) for check in _door_delegates)
