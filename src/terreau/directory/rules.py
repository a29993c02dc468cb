"""Who may see and change what in the directory (django-rules).

Visitors see published organisations and the people who agreed to be listed; contact details
(e-mail, phone) go only to signed-in members, and only for people who consented. Members edit
their own profile; staff see and edit everything.
"""

import rules

from terreau.accounts.rules import is_member, is_staff


@rules.predicate
def is_own_profile(user, person) -> bool:
    return bool(person is not None and user.is_authenticated and person.user_id == user.pk)


@rules.predicate
def is_listed(user, person) -> bool:
    return bool(person is not None and person.is_listed)


@rules.predicate
def has_contact_consent(user, person) -> bool:
    return bool(person is not None and person.is_listed and person.contact_consent)


@rules.predicate
def is_published(user, organisation) -> bool:
    return bool(organisation is not None and organisation.is_published)


rules.add_perm("directory.view_person", is_listed | is_own_profile | is_staff)
rules.add_perm(
    "directory.view_person_contact", (is_member & has_contact_consent) | is_own_profile | is_staff
)
rules.add_perm("directory.change_person", is_own_profile | is_staff)
rules.add_perm("directory.view_organisation", is_published | is_staff)
