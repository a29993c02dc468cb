"""Reads of the directory: visibility, accent-insensitive search, filters."""

import pytest

from terreau.directory import selectors
from tests.directory.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.factories import ThemeFactory, UserFactory
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def names(queryset):
    return [str(row) for row in queryset]


def test_search_ignores_accents_and_case_both_ways():
    OrganisationFactory(name="Centre socio-culturel d'Étouvie")
    OrganisationFactory(name="Ville de Raismes")
    assert names(selectors.organisation_list(query="etouvie")) == [
        "Centre socio-culturel d'Étouvie"
    ]
    assert names(selectors.organisation_list(query="ÉTOUVIÉ")) == [
        "Centre socio-culturel d'Étouvie"
    ]
    assert names(selectors.organisation_list(query="socio culturel")) == [
        "Centre socio-culturel d'Étouvie"
    ]


def test_search_needs_every_word():
    OrganisationFactory(name="Ville de Raismes")
    OrganisationFactory(name="Ville d'Amiens")
    assert names(selectors.organisation_list(query="ville amiens")) == ["Ville d'Amiens"]


def test_search_finds_organisations_by_commune_and_acronym():
    lievin = CommuneFactory(name="Liévin", insee="62510")
    OrganisationFactory(name="Communauté d'Agglomération", acronym="CALL", commune=lievin)
    assert len(selectors.organisation_list(query="lievin")) == 1
    assert len(selectors.organisation_list(query="call")) == 1


def test_search_ignores_sql_wildcards_and_punctuation():
    OrganisationFactory(name="Cent pour cent")
    OrganisationFactory(name="Sans")
    assert names(selectors.organisation_list(query="%_%")) == ["Cent pour cent", "Sans"]
    assert names(selectors.organisation_list(query="pour%cent")) == ["Cent pour cent"]


def test_filters_by_kind_department_and_theme_including_sub_themes():
    nord = DepartmentFactory(code="59", name="Nord")
    somme = DepartmentFactory(code="80", name="Somme")
    lille = CommuneFactory(insee="59350", name="Lille", department=nord)
    amiens = CommuneFactory(insee="80021", name="Amiens", department=somme)
    parent = ThemeFactory()
    child = ThemeFactory(parent=parent)
    a = OrganisationFactory(name="A", kind="association", commune=lille)
    b = OrganisationFactory(name="B", kind="commune", commune=amiens)
    a.themes.add(child)
    b.themes.add(parent, child)
    assert names(selectors.organisation_list(kind="commune")) == ["B"]
    assert names(selectors.organisation_list(department=nord)) == ["A"]
    assert names(selectors.organisation_list(theme=parent)) == ["A", "B"]
    assert names(selectors.organisation_list(theme=child)) == ["A", "B"]


def test_unpublished_organisations_are_for_staff_only(staff):
    OrganisationFactory(name="Visible")
    OrganisationFactory(name="Hidden", is_published=False)
    assert names(selectors.organisation_list()) == ["Visible"]
    assert names(selectors.organisation_list(user=staff)) == ["Hidden", "Visible"]


def test_people_who_did_not_consent_are_not_listed_except_to_themselves_and_staff(staff):
    owner = UserFactory()
    PersonFactory(first_name="Ana", last_name="Listée", is_listed=True)
    PersonFactory(first_name="Bob", last_name="Caché", is_listed=False, user=owner)
    assert names(selectors.person_list()) == ["Ana Listée"]
    assert names(selectors.person_list(user=UserFactory())) == ["Ana Listée"]
    assert names(selectors.person_list(user=owner)) == ["Bob Caché", "Ana Listée"]
    assert len(selectors.person_list(user=staff)) == 2


def test_organisation_page_shows_only_listed_members_to_visitors():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, person=PersonFactory(last_name="Public"))
    MembershipFactory(
        organisation=organisation, person=PersonFactory(last_name="Secret", is_listed=False)
    )
    detail = selectors.organisation_detail(slug=organisation.slug)
    assert [m.person.last_name for m in detail.visible_memberships] == ["Public"]


def test_people_filter_by_actor_category_and_organisation():
    organisation = OrganisationFactory()
    elected = PersonFactory(actor_category="elected", last_name="Élue")
    PersonFactory(actor_category="researcher", last_name="Chercheur")
    MembershipFactory(person=elected, organisation=organisation)
    assert names(selectors.person_list(actor_category="elected")) == [str(elected)]
    assert names(selectors.person_list(organisation=organisation)) == [str(elected)]
    assert names(selectors.person_list(query="elue")) == [str(elected)]
