"""The synthetic directory generator (small scale here; bench/ runs the large one)."""

import random

import pytest

from terreau.directory import dataset
from terreau.directory.models import Membership, Organisation, Person
from tests.factories import ThemeFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_generate_spreads_organisations_and_people_over_the_communes():
    communes = [CommuneFactory(name=name) for name in ("Liévin", "Amiens", "Arras")]
    ThemeFactory()
    counts = dataset.generate(scale="small", rng=random.Random(1), stdout=None)
    assert counts["organisations"] == Organisation.objects.count() == 500
    assert counts["people"] == Person.objects.count() == 1250
    assert Membership.objects.count() == counts["memberships"] >= 1250
    assert set(Organisation.objects.values_list("commune", flat=True)) <= {c.pk for c in communes}
    # bulk_create bypasses save(): the search column must still be filled the same way.
    for organisation in Organisation.objects.select_related("commune")[:50]:
        assert organisation.search_text == organisation.build_search_text()
    listed = Person.objects.filter(is_listed=True).count()
    assert 0.7 < listed / 1250 < 0.9
    assert not Person.objects.filter(is_listed=False, contact_consent=True).exists()


def test_generate_works_without_communes_and_twice_in_a_row():
    dataset.generate(scale="small", rng=random.Random(2), stdout=None)
    dataset.generate(scale="small", rng=random.Random(3), stdout=None)
    assert Organisation.objects.count() == 1000
    assert not Organisation.objects.filter(commune__isnull=False).exists()
