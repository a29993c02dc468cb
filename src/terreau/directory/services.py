"""Writes of the directory: organisations, people, memberships and a member's own profile."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from terreau.core.slugs import slug_unique

from .models import Membership, Organisation, Person

ORGANISATION_FIELDS = {
    "name",
    "acronym",
    "kind",
    "commune",
    "address",
    "website",
    "email",
    "phone",
    "description",
    "parent",
    "logo",
    "is_published",
}
PERSON_FIELDS = {
    "first_name",
    "last_name",
    "title",
    "actor_category",
    "commune",
    "bio",
    "email",
    "phone",
    "is_listed",
    "contact_consent",
}
MEMBERSHIP_FIELDS = {"organisation", "role", "start_date", "end_date"}


def _apply(instance: models.Model, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _check_parent(organisation: Organisation) -> None:
    """An organisation cannot be its own ancestor."""
    seen = {organisation.pk} if organisation.pk else set()
    parent = organisation.parent
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError(
                {"parent": _("An organisation cannot be placed under itself or its children.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def organisation_create(*, name: str, kind: str, slug: str = "", themes=(), **fields):
    """Create an organisation (slug from the name unless given). No side effects."""
    organisation = Organisation(name=name, kind=kind)
    _apply(organisation, fields, ORGANISATION_FIELDS)
    organisation.slug = slug or slug_unique(
        model=Organisation, text=organisation.acronym or name, fallback="organisation"
    )
    organisation.full_clean()
    _check_parent(organisation)
    organisation.save()
    if themes:
        organisation.themes.set(themes)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, themes=None, **fields) -> Organisation:
    """Change an organisation's fields (and themes when given). No side effects."""
    _apply(organisation, fields, ORGANISATION_FIELDS)
    organisation.full_clean()
    _check_parent(organisation)
    organisation.save()
    if themes is not None:
        organisation.themes.set(themes)
    return organisation


@transaction.atomic
def person_create(
    *, first_name: str, last_name: str, slug: str = "", user=None, themes=(), **fields
):
    """Create a person (slug from the name unless given). No side effects."""
    person = Person(first_name=first_name, last_name=last_name, user=user)
    _apply(person, fields, PERSON_FIELDS)
    person.slug = slug or slug_unique(
        model=Person, text=f"{first_name} {last_name}", fallback="personne"
    )
    person.full_clean()
    person.save()
    if themes:
        person.themes.set(themes)
    return person


@transaction.atomic
def person_update(*, person: Person, themes=None, **fields) -> Person:
    """Change a person's fields (and themes when given). No side effects."""
    _apply(person, fields, PERSON_FIELDS)
    person.full_clean()
    person.save()
    if themes is not None:
        person.themes.set(themes)
    return person


@transaction.atomic
def membership_create(*, person: Person, organisation: Organisation, **fields) -> Membership:
    """Record that a person belongs to an organisation (role, dates). No side effects."""
    membership = Membership(person=person, organisation=organisation)
    _apply(membership, fields, MEMBERSHIP_FIELDS)
    _check_membership_dates(membership)
    membership.full_clean()
    membership.save()
    return membership


def _check_membership_dates(membership: Membership) -> None:
    if (
        membership.start_date
        and membership.end_date
        and membership.end_date < membership.start_date
    ):
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})


@transaction.atomic
def person_memberships_save(*, person: Person, memberships: Iterable[dict]) -> Person:
    """Create, change or delete a person's memberships.

    `memberships` holds one dict per edited row: `id` (None for a new row), `delete`, and the
    membership fields. Rows of other people are refused. No side effects.
    """
    own = {membership.pk: membership for membership in person.memberships.all()}
    for row in memberships:
        row = dict(row)
        pk = row.pop("id", None)
        delete = row.pop("delete", False)
        membership = own.get(pk) if pk else None
        if pk and membership is None:
            raise ValidationError(_("This membership belongs to someone else."))
        if delete:
            if membership is not None:
                membership.delete()
            continue
        if membership is None:
            membership_create(person=person, **row)
        else:
            _apply(membership, row, MEMBERSHIP_FIELDS)
            _check_membership_dates(membership)
            membership.full_clean()
            membership.save()
    return person


@transaction.atomic
def person_edit(*, person: Person, fields: dict, themes, memberships: Iterable[dict]) -> Person:
    """Change a person's profile and memberships together (the profile form). No side effects."""
    person_update(person=person, themes=themes, **fields)
    return person_memberships_save(person=person, memberships=memberships)


@transaction.atomic
def person_profile_save(
    *, user, fields: dict, themes: Iterable, memberships: Iterable[dict]
) -> Person:
    """Create or update the person linked to `user`, with their memberships.

    The first save links a new person to the account and copies the account's e-mail into the
    profile when none is given (it is shown only with the person's consent). No other side
    effects.
    """
    person = Person.objects.filter(user=user).first()
    if person is None:
        fields = {**fields, "email": fields.get("email") or user.email}
        first_name = fields.pop("first_name", "") or user.first_name
        last_name = fields.pop("last_name", "") or user.last_name
        person = person_create(
            first_name=first_name, last_name=last_name, user=user, themes=themes, **fields
        )
        return person_memberships_save(person=person, memberships=memberships)
    return person_edit(person=person, fields=fields, themes=themes, memberships=memberships)


def person_find_or_create(*, first_name: str, last_name: str, title: str = "") -> Person:
    """The directory person with this name (case-insensitive), created when missing.

    Side effects: may create a Person (not listed in the public directory)."""
    first_name, last_name = first_name.strip(), last_name.strip()
    if not last_name:
        raise ValidationError({"last_name": _("Give the person's last name.")})
    person = (
        Person.objects.filter(first_name__iexact=first_name, last_name__iexact=last_name)
        .order_by("pk")
        .first()
    )
    if person:
        return person
    slug = slug_unique(model=Person, text=f"{first_name} {last_name}", fallback="personne")
    return Person.objects.create(first_name=first_name, last_name=last_name, slug=slug, title=title)
