"""Role predicates shared by every app's rules."""

import rules


@rules.predicate
def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_moderator))


is_member = rules.is_authenticated
