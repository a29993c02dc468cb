"""Factories for the directory: organisations, people, memberships."""

import factory

from terreau.directory.models import (
    ActorCategory,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = OrganisationKind.ASSOCIATION


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("slug",)

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    slug = factory.Sequence(lambda n: f"personne-{n}")
    actor_category = ActorCategory.CITIZEN
    is_listed = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Membre"
