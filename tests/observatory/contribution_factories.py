"""Factories for contributions and published initiatives (directory ones re-exported)."""

import factory

from terreau.observatory.models import (
    FacilitationFormat,
    Initiative,
    InitiativeProposal,
    Method,
    PublicationState,
)
from terreau.observatory.snapshot import empty_snapshot
from tests.directory.factories import (  # noqa: F401 - re-exported for the tests
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.factories import UserFactory


class FormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitationFormat
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Format d'animation {n}")
    slug = factory.Sequence(lambda n: f"format-animation-{n}")


class PublishedMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Method

    title = factory.Sequence(lambda n: f"Fiche méthode {n}")
    slug = factory.Sequence(lambda n: f"fiche-methode-{n}")
    summary = "Une méthode d'animation."
    state = PublicationState.PUBLISHED


class PublishedInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Assemblée de quartier {n}")
    slug = factory.Sequence(lambda n: f"assemblee-de-quartier-{n}")
    summary = "Les habitants prennent la parole."
    state = PublicationState.PUBLISHED


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft for a new initiative with a title and a summary."""

    class Meta:
        model = InitiativeProposal

    author = factory.SubFactory(UserFactory)
    data = factory.LazyFunction(
        lambda: {
            **empty_snapshot(),
            "title": "Assemblée populaire d'Etouvie",
            "summary": "Les habitants du quartier prennent la parole.",
        }
    )
