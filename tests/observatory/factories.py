"""Factories for the observatory: initiatives, methods, their vocabularies and contributions
(one module per app)."""

import factory

from terreau.observatory.models import (
    FacilitationFormat,
    Initiative,
    InitiativeProposal,
    Method,
    PublicationState,
    TargetPublic,
)
from terreau.observatory.snapshot import empty_snapshot
from tests.factories import UserFactory
from tests.territories.factories import CommuneFactory


class TargetPublicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetPublic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.Sequence(lambda n: f"public-{n}")


class FacilitationFormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilitationFormat
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Format {n}")
    slug = factory.Sequence(lambda n: f"format-{n}")


class MethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Method

    title = factory.Sequence(lambda n: f"Méthode {n}")
    slug = factory.Sequence(lambda n: f"methode-{n}")
    summary = "Une méthode d'animation."


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    summary = "Une démarche de participation citoyenne."
    state = PublicationState.DRAFT
    commune = factory.SubFactory(CommuneFactory)
    department = factory.SelfAttribute("commune.department")

    class Params:
        published = factory.Trait(state=PublicationState.PUBLISHED)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def target_publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_publics.set(extracted)

    @factory.post_generation
    def facilitation_formats(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitation_formats.set(extracted)


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
