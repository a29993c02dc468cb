"""Factories for the observatory: initiatives, methods and their vocabularies."""

import factory

from terreau.observatory.models import (
    FacilitationFormat,
    Initiative,
    Method,
    PublicationState,
    TargetPublic,
)
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
