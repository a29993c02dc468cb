"""Writes of the directory: organisations, people, memberships, a member's profile."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from terreau.directory import services
from terreau.directory.models import Membership, Organisation, Person
from tests.directory.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.factories import ThemeFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_gives_a_unique_slug_and_search_text():
    commune = CommuneFactory(name="Liévin", insee="62510")
    first = services.organisation_create(name="Centre Social Étoile", kind="social_centre")
    second = services.organisation_create(
        name="Centre social étoile", kind="social_centre", commune=commune
    )
    assert first.slug == "centre-social-etoile"
    assert second.slug == "centre-social-etoile-2"
    assert second.search_text == "centre social etoile lievin"


def test_an_organisation_cannot_be_its_own_ancestor():
    parent = OrganisationFactory()
    child = services.organisation_create(name="Service", kind="region", parent=parent)
    with pytest.raises(ValidationError) as error:
        services.organisation_update(organisation=parent, parent=child)
    assert "parent" in error.value.message_dict
    parent.refresh_from_db()
    assert parent.parent is None


def test_an_organisation_needs_a_valid_kind():
    with pytest.raises(ValidationError) as error:
        services.organisation_create(name="X", kind="nonsense")
    assert "kind" in error.value.message_dict
    assert not Organisation.objects.exists()


def test_updating_a_person_refreshes_the_search_text():
    person = PersonFactory(first_name="Rémi", last_name="Lefebvre")
    services.person_update(person=person, title="Professeur à l'Université")
    person.refresh_from_db()
    assert person.search_text == "remi lefebvre professeur a l universite"


def test_a_membership_cannot_end_before_it_starts():
    person, organisation = PersonFactory(), OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            person=person,
            organisation=organisation,
            start_date=datetime.date(2021, 5, 1),
            end_date=datetime.date(2020, 5, 1),
        )
    assert "end_date" in error.value.message_dict
    assert not Membership.objects.exists()


def test_first_profile_save_creates_the_person_linked_to_the_account(user):
    organisation = OrganisationFactory()
    theme = ThemeFactory()
    person = services.person_profile_save(
        user=user,
        fields={"first_name": "", "last_name": "", "title": "Animatrice", "is_listed": True},
        themes=[theme],
        memberships=[
            {"id": None, "delete": False, "organisation": organisation, "role": "Salariée"}
        ],
    )
    assert person.user == user
    assert person.first_name == user.first_name
    assert person.email == user.email
    assert list(person.themes.all()) == [theme]
    assert person.memberships.get().organisation == organisation


def test_profile_save_updates_and_deletes_own_memberships_only(user):
    person = PersonFactory(user=user)
    kept = MembershipFactory(person=person, role="Bénévole")
    dropped = MembershipFactory(person=person)
    services.person_profile_save(
        user=user,
        fields={"title": "Trésorier"},
        themes=[],
        memberships=[
            {
                "id": kept.pk,
                "delete": False,
                "organisation": kept.organisation,
                "role": "Président",
            },
            {"id": dropped.pk, "delete": True, "organisation": dropped.organisation},
        ],
    )
    kept.refresh_from_db()
    assert kept.role == "Président"
    assert not Membership.objects.filter(pk=dropped.pk).exists()
    assert Person.objects.get(pk=person.pk).title == "Trésorier"


def test_profile_save_refuses_someone_elses_membership(user):
    PersonFactory(user=user)
    other = MembershipFactory(role="Directrice")
    with pytest.raises(ValidationError):
        services.person_profile_save(
            user=user,
            fields={},
            themes=[],
            memberships=[{"id": other.pk, "delete": True}],
        )
    assert Membership.objects.filter(pk=other.pk).exists()
