"""The directory's admin: search without accents, filters, autocompletes, membership inlines."""

import pytest
from django.urls import reverse

from tests.directory.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_admin_search_ignores_accents(admin_client):
    OrganisationFactory(name="Centre socio-culturel d'Étouvie")
    OrganisationFactory(name="Ville de Raismes")
    body = admin_client.get(
        reverse("admin:directory_organisation_changelist"), {"q": "ETOUVIE"}
    ).content.decode()
    assert "Étouvie" in body and "Raismes" not in body


def test_admin_lists_filter_by_department_and_kind(admin_client):
    commune = CommuneFactory()
    OrganisationFactory(name="Dans le Nord", commune=commune, kind="commune")
    OrganisationFactory(name="Ailleurs")
    url = reverse("admin:directory_organisation_changelist")
    body = admin_client.get(
        url, {"departement": commune.department_id, "kind": "commune"}
    ).content.decode()
    assert "Dans le Nord" in body and "Ailleurs" not in body
    assert (
        admin_client.get(
            reverse("admin:directory_person_changelist"), {"is_listed__exact": "1"}
        ).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:directory_membership_changelist"), {"q": "x"}).status_code
        == 200
    )


def test_change_pages_have_autocompletes_and_membership_inlines(admin_client):
    membership = MembershipFactory()
    body = admin_client.get(
        reverse("admin:directory_organisation_change", args=[membership.organisation.pk])
    ).content.decode()
    assert "admin-autocomplete" in body
    assert membership.person.last_name in body
    body = admin_client.get(
        reverse("admin:directory_person_change", args=[membership.person.pk])
    ).content.decode()
    assert "memberships-TOTAL_FORMS" in body


def test_autocomplete_finds_organisations_and_people_without_accents(admin_client):
    OrganisationFactory(name="Université de Lille")
    PersonFactory(first_name="Rémi", last_name="Lefebvre")
    url = reverse("admin:autocomplete")
    found = admin_client.get(
        url,
        {
            "term": "universite",
            "app_label": "directory",
            "model_name": "membership",
            "field_name": "organisation",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Université de Lille"]
    found = admin_client.get(
        url,
        {
            "term": "remi",
            "app_label": "directory",
            "model_name": "membership",
            "field_name": "person",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Rémi Lefebvre"]


def test_staff_save_an_organisation_in_the_admin(admin_client):
    url = reverse("admin:directory_organisation_add")
    response = admin_client.post(
        url,
        {
            "name": "Cerdd",
            "slug": "cerdd",
            "kind": "public_body",
            "is_published": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert OrganisationFactory._meta.model.objects.get(slug="cerdd").search_text == "cerdd"
