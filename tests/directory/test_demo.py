"""The directory's demo data from the seed documents."""

import pytest

from terreau.directory import demo
from terreau.directory.models import Organisation, Person
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def test_demo_places_seed_organisations_in_their_communes_and_lists_people_without_contacts():
    nord = DepartmentFactory(code="59", name="Nord")
    CommuneFactory(insee="59350", name="Lille", department=nord)
    CommuneFactory(insee="59491", name="Raismes", department=nord)
    demo.load()
    demo.load()  # a second load (load_demo --force) changes nothing
    assert Organisation.objects.get(slug="irev").commune.name == "Lille"
    assert Organisation.objects.get(slug="ville-de-raismes").commune.name == "Raismes"
    # Communes that were not loaded stay empty rather than failing.
    assert Organisation.objects.get(slug="cerdd").commune is None
    assert Organisation.objects.get(slug="departement-du-val-de-marne").commune is None
    assert Organisation.objects.get(slug="conseil-regional-dd").parent.slug == "conseil-regional"
    fanny = Person.objects.get(slug="fanny-meilhac")
    assert fanny.memberships.get().organisation.slug == "ville-de-raismes"
    assert Person.objects.count() == len(demo.PEOPLE)
    assert Organisation.objects.count() == len(demo.ORGANISATIONS)
    assert not Person.objects.filter(is_listed=False).exists()
    assert not Person.objects.exclude(email="", phone="").exists()


def test_every_slug_is_documented_in_the_module_docstring():
    for row in demo.ORGANISATIONS:
        assert f"`{row[0]}`" in demo.__doc__
    for row in demo.PEOPLE:
        assert f"`{row[0]}`" in demo.__doc__
