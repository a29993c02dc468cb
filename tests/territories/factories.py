"""Factories for the geography (small, fake-but-plausible places for tests)."""

import factory

from terreau.territories.models import Commune, Department, Epci, Region, Zone


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "32"
    name = "Hauts-de-France"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "59"
    name = "Nord"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ("siren",)

    siren = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    kind = Epci.Kind.COMMUNES


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee",)

    # Five characters, as the column: SQLite would store a sixth, PostgreSQL refuses it.
    insee = factory.Sequence(lambda n: f"{59000 + n % 40000:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    postal_codes = "59000"
    population = 1000
    latitude = 50.63
    longitude = 3.06


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"Zone {n}")
    slug = factory.Sequence(lambda n: f"zone-{n}")
