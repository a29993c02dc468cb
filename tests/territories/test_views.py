"""Public territory pages, the commune search endpoint and the outlines GeoJSON."""

import pytest
from django.urls import reverse

from terreau.territories.services import zone_save

from .factories import CommuneFactory, DepartmentFactory


def test_the_index_lists_departements_with_counts_and_zones(client, tiny_region):
    zone_save(slug="est", name="Est", description="Métropole lilloise", communes=["59350"])
    response = client.get(reverse("territories:territory_index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "Territoires" in html and "Pas-de-Calais" in html
    assert "240 169" in html or "240\u202f169" in html or "240\xa0169" in html
    assert 'href="/territoires/zones/est/"' in html
    assert "1 commune, 238" in html
    assert "<svg" in html and 'href="/territoires/departements/62/"' in html


def test_the_index_says_when_nothing_is_loaded(client, db):
    response = client.get("/territoires/")
    assert "Aucun territoire n'a encore été chargé." in response.content.decode()


def test_a_departement_page_lists_its_communes_and_searches_them(client, tiny_region):
    response = client.get("/territoires/departements/62/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Pas-de-Calais" in html and "Liévin" in html and "Lille" not in html
    assert "2 communes" in html
    searched = client.get("/territoires/departements/62/", {"q": "merck"}).content.decode()
    assert "Merck-Saint-Liévin" in searched and ">Liévin<" not in searched
    assert "1 commune" in searched


def test_a_search_from_htmx_returns_only_the_results(client, tiny_region):
    response = client.get(
        "/territoires/communes/",
        {"q": "lievin"},
        headers={"HX-Request": "true", "HX-Target": "commune-results"},
    )
    html = response.content.decode()
    assert html.startswith('<div id="commune-results"') and "<h1>" not in html
    assert "Liévin" in html and "Sailly" not in html


def test_a_zone_page_lists_the_communes_of_its_departements_and_its_own(client, tiny_region):
    zone_save(slug="mix", name="Mixte", departments=["59"], communes=["62510"])
    html = client.get("/territoires/zones/mix/").content.decode()
    assert "Zone : Mixte" in html
    for name in ["Lille", "Sailly-lez-Lannoy", "Liévin"]:
        assert name in html
    assert "Merck-Saint-Liévin" not in html


def test_a_commune_page_shows_its_facts_and_a_map_that_needs_no_javascript(client, tiny_region):
    zone_save(slug="ouest", name="Ouest", communes=["62510"])
    html = client.get("/territoires/communes/62510/").content.decode()
    assert "<h1>Liévin</h1>" in html
    expected = [
        "62510", "62800", "30 063", "CA de Lens - Liévin", "Pas-de-Calais (62)",
        "Communauté d&#x27;agglomération", "Hauts-de-France", "Ouest", "50.4243, 2.7729",
    ]  # fmt: skip
    for text in expected:
        assert text in html.replace("\u202f", " ").replace("\xa0", " "), text
    assert '<circle class="territory-map-point"' in html  # the SVG map
    assert 'data-lat="50.4243"' in html and "vendor/leaflet/leaflet.js" in html
    assert "style=" not in html.split("<main")[1]  # nothing the CSP would block


def test_a_commune_without_a_centre_or_epci_still_has_a_page(client, db):
    CommuneFactory(insee="59001", name="Sans-Lieu", latitude=None, longitude=None, population=None)
    html = client.get("/territoires/communes/59001/").content.decode()
    assert "<h1>Sans-Lieu</h1>" in html and "territory-map-point" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/communes/99999/",
        "/territoires/communes/abc/",
        "/territoires/departements/75/",
        "/territoires/zones/nulle-part/",
    ],  # fmt: skip
)
def test_unknown_places_answer_a_styled_404(client, tiny_region, url):
    response = client.get(url)
    assert response.status_code == 404


def test_odd_input_never_breaks_the_lists(client, tiny_region):
    for params in [{"page": "x"}, {"page": "999"}, {"q": "x" * 500}, {"q": "<script>"}]:
        response = client.get("/territoires/communes/", params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main")[1]


def test_the_search_endpoint_answers_json_with_labels(client, tiny_region):
    response = client.get(reverse("territories:commune_search"), {"q": "lievin", "limit": "5"})
    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    first = response.json()["results"][0]
    assert first == {
        "insee": "62510", "name": "Liévin", "department": "62", "postal_codes": ["62800"],
        "label": "Liévin (62)", "url": "/territoires/communes/62510/",
    }  # fmt: skip
    assert client.get("/territoires/communes/recherche/", {"limit": "x"}).json() == {"results": []}


def test_the_search_endpoint_answers_options_to_htmx(client, tiny_region):
    response = client.get(
        "/territoires/communes/recherche/", {"q": "lille"}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().startswith('<option value="Lille (59)">')


def test_the_outlines_are_served_as_cacheable_geojson(client, tiny_region):
    response = client.get("/territoires/departements/contours.geojson", {"departements": "62"})
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=86400" in response["Cache-Control"]
    assert [f["properties"]["code"] for f in response.json()["features"]] == ["62"]


def test_the_home_page_links_to_the_territories(client, tiny_region):
    assert 'href="/territoires/"' in client.get("/").content.decode()


def test_list_pages_run_the_same_number_of_queries_with_few_and_many_places(
    client, db, django_assert_max_num_queries
):
    from terreau.core import versions
    from terreau.territories.services import zone_save as save

    urls = ["/territoires/", "/territoires/communes/", "/territoires/departements/59/",
            "/territoires/zones/z1/", "/territoires/communes/?q=commune"]  # fmt: skip
    nord = DepartmentFactory(code="59")
    counts = {}
    for size in (1, 3, 12):  # the first round warms what a process reads once
        for index in range(size):
            DepartmentFactory(code=f"{10 + index}")
            CommuneFactory(insee=f"59{index:03d}", department=nord)
        save(slug="z1", name="Z1", departments=["59"], communes=["59000"])
        save(slug="z2", name="Z2", departments=[f"{10 + i}" for i in range(size)])
        versions.bump()
        for url in urls:
            with django_assert_max_num_queries(9) as queries:  # 8 and the page cache's version
                assert client.get(url).status_code == 200
            counts[size, url] = len(queries.captured_queries)
    assert [counts[3, url] for url in urls] == [counts[12, url] for url in urls]


def test_find_a_commune_goes_to_its_page(client, tiny_region):
    response = client.get("/territoires/communes/aller/", {"commune": "Liévin (62)"})
    assert response.status_code == 302 and response["Location"] == "/territoires/communes/62510/"
    assert client.get("/territoires/communes/aller/", {"commune": "62510"})["Location"].endswith(
        "/62510/"
    )


def test_find_a_commune_explains_and_suggests_when_the_name_is_not_exact(client, tiny_region):
    response = client.get("/territoires/communes/aller/", {"commune": "liev"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucune commune ne correspond à « liev »" in html
    assert 'aria-invalid="true"' in html
    assert 'href="/territoires/communes/62510/">Liévin (62)</a>' in html
    empty = client.get("/territoires/communes/aller/").content.decode()
    assert "Ce champ est obligatoire." in empty


def test_a_zone_page_maps_its_communes_as_dots(client, tiny_region):
    zone_save(slug="est", name="Est", communes=["59350", "59522"])
    html = client.get("/territoires/zones/est/").content.decode()
    assert html.count('class="territory-map-dot"') == 2
    assert 'href="/territoires/departements/59/"' in html
