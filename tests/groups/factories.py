"""Factories and a ready-made group for the exchange groups' tests."""

import datetime as dt

import factory
from django.utils import timezone

from terreau.directory.models import Person
from terreau.groups import services
from terreau.groups.models import ExchangeGroup, GroupMembership, MemberRole
from tests.events.factories import VenueFactory
from tests.factories import UserFactory
from tests.territories.factories import ZoneFactory


class ExchangeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeGroup

    name = factory.Sequence(lambda n: f"Groupe d'échanges {n}")
    slug = factory.Sequence(lambda n: f"groupe-{n}")
    zone = factory.SubFactory(ZoneFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))
    charter = "Je m'engage à venir à toutes les rencontres."


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    slug = factory.Sequence(lambda n: f"membre-{n}")
    email = factory.Sequence(lambda n: f"membre{n}@exemple.org")
    phone = "03 20 11 22 33"


def member(group, *, role=MemberRole.MEMBER, with_account=True, charter=True) -> GroupMembership:
    """A person with an account, in the group (charter accepted unless told otherwise)."""
    user = UserFactory() if with_account else None
    person = PersonFactory(user=user, email=user.email if user else None)
    membership = services.membership_add(
        group=group, person=person, role=role, joined_on=group.starts_on, notify=False
    )
    if charter:
        services.charter_accept(membership=membership, accepted=True)
    membership.user = user
    return membership


def meeting(group, *, days_from_now: int, venue=None):
    return services.meeting_create(
        group=group,
        date=timezone.localdate() + dt.timedelta(days=days_from_now),
        venue=venue or VenueFactory(),
    )
