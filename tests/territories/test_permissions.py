"""Who may do what: everyone reads the pages; only staff edit zones, nobody edits the geography."""

import pytest

from terreau.territories.models import Zone

from ..factories import UserFactory


@pytest.fixture
def plain_staff(db):
    return UserFactory(is_staff=True)  # staff, not superuser: rights come from territories.rules


def test_visitors_read_every_public_page(client, tiny_region):
    for url in ["/territoires/", "/territoires/communes/62510/", "/territoires/departements/59/"]:
        assert client.get(url).status_code == 200


def test_staff_create_and_edit_zones_with_communes_and_departements(
    client, plain_staff, tiny_region
):
    client.force_login(plain_staff)
    assert client.get("/admin/territories/zone/add/").status_code == 200
    response = client.post(
        "/admin/territories/zone/add/",
        {"name": "Est", "slug": "est", "description": "", "departments": ["59"],
         "communes": ["62510"]},
    )  # fmt: skip
    assert response.status_code == 302
    zone = Zone.objects.get(slug="est")
    assert list(zone.departments.values_list("code", flat=True)) == ["59"]
    assert list(zone.communes.values_list("insee", flat=True)) == ["62510"]
    assert client.get(f"/admin/territories/zone/{zone.pk}/change/").status_code == 200


def test_staff_find_communes_with_the_admin_autocomplete(client, plain_staff, tiny_region):
    client.force_login(plain_staff)
    response = client.get(
        "/admin/autocomplete/",
        {"term": "lievin", "app_label": "territories", "model_name": "zone",
         "field_name": "communes"},
    )  # fmt: skip
    assert [r["text"] for r in response.json()["results"]] == [
        "Liévin (62)", "Merck-Saint-Liévin (62)"
    ]  # fmt: skip


def test_staff_browse_the_geography_but_cannot_change_it(client, plain_staff, tiny_region):
    client.force_login(plain_staff)
    assert client.get("/admin/territories/commune/?q=lievin").status_code == 200
    assert client.get("/admin/territories/commune/62510/change/").status_code == 200  # view only
    response = client.post("/admin/territories/commune/62510/change/", {"name": "Autre"})
    assert response.status_code == 403
    assert client.get("/admin/territories/commune/add/").status_code == 403
    assert client.get("/admin/territories/commune/62510/delete/").status_code == 403


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_cannot_edit_zones(client, tiny_region, role):
    client.force_login(UserFactory(is_moderator=role == "moderator"))
    response = client.post("/admin/territories/zone/add/", {"name": "Est", "slug": "est"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Zone.objects.exists()


def test_the_rules_grant_zone_editing_to_staff_only(tiny_region, plain_staff):
    member, moderator = UserFactory(), UserFactory(is_moderator=True)
    assert plain_staff.has_perm("territories.change_zone")
    assert not member.has_perm("territories.change_zone")
    assert not moderator.has_perm("territories.change_zone")
    assert not plain_staff.has_perm("territories.change_commune")
