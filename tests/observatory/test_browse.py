"""The public catalogue: list with facets, search, map data, dashboard; constant queries."""

import datetime

import pytest
from django.urls import reverse

from terreau.observatory.models import ParticipationLevel, Scale
from tests.factories import ThemeFactory
from tests.observatory.factories import (
    FacilitationFormatFactory,
    InitiativeFactory,
    TargetPublicFactory,
)
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    somme = DepartmentFactory(code="80", name="Somme")
    amiens = CommuneFactory(
        insee="80021", name="Amiens", department=somme, latitude=49.9, longitude=2.3
    )
    lille = CommuneFactory(insee="59350", name="Lille")
    youth = ThemeFactory(name="Jeunesse", slug="jeunesse")
    councils = ThemeFactory(name="Conseils de jeunes", slug="conseils-de-jeunes", parent=youth)
    urban = ThemeFactory(name="Urbanisme", slug="urbanisme")
    assembly = FacilitationFormatFactory(name="Assemblée populaire", slug="assemblee-populaire")
    residents = TargetPublicFactory(name="Habitants", slug="habitants")
    return {
        "etouvie": InitiativeFactory(
            published=True,
            title="Assemblée populaire d'Etouvie",
            summary="Une démarche participative de quartier avec les élus.",
            commune=amiens,
            scale=Scale.NEIGHBOURHOOD,
            participation_level=ParticipationLevel.CO_CONSTRUCTION,
            start_date=datetime.date(2019, 3, 1),
            themes=[councils],
            facilitation_formats=[assembly],
            target_publics=[residents],
        ),
        "fives": InitiativeFactory(
            published=True,
            title="BW friches",
            summary="Un collectif citoyen occupe une friche.",
            commune=lille,
            scale=Scale.NEIGHBOURHOOD,
            participation_level=ParticipationLevel.AUTONOMOUS,
            start_date=datetime.date(2021, 5, 1),
            themes=[urban],
        ),
        "conseil": InitiativeFactory(
            published=True,
            title="Conseil municipal des jeunes de Lille",
            summary="Les jeunes élus donnent leur avis au maire.",
            commune=lille,
            scale=Scale.COMMUNE,
            participation_level=ParticipationLevel.CONSULTATION,
            start_date=datetime.date(2021, 9, 1),
            themes=[youth],
        ),
        "draft": InitiativeFactory(title="Brouillon participatif", commune=lille, themes=[youth]),
    }


def list_titles(client, query: str = "") -> list[str]:
    response = client.get(reverse("observatory:initiative_list") + query)
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["initiatives"]]


def facet(response, name):
    from terreau.observatory.selectors.browse import initiative_facets

    assert f'id="facet-{name}"' in response.content.decode()
    return {
        option.value: option.count
        for facet in initiative_facets(response.context["catalogue"])
        if facet.name == name
        for option in facet.options
    }


def test_the_list_shows_published_initiatives_only(client, catalogue):
    assert sorted(list_titles(client)) == [
        "Assemblée populaire d'Etouvie",
        "BW friches",
        "Conseil municipal des jeunes de Lille",
    ]


def test_a_parent_theme_includes_its_sub_themes(client, catalogue):
    assert sorted(list_titles(client, "?theme=jeunesse")) == [
        "Assemblée populaire d'Etouvie",
        "Conseil municipal des jeunes de Lille",
    ]
    assert list_titles(client, "?theme=conseils-de-jeunes") == ["Assemblée populaire d'Etouvie"]


def test_facets_combine_and_count_with_the_other_filters(client, catalogue):
    response = client.get(
        reverse("observatory:initiative_list") + "?department=59&scale=neighbourhood"
    )
    assert [i.title for i in response.context["initiatives"]] == ["BW friches"]
    # Scale counts apply the département filter but not the scale filter itself.
    assert facet(response, "scale") == {"neighbourhood": 1, "commune": 1}
    assert facet(response, "department") == {"80": 1, "59": 1}
    assert facet(response, "theme") == {"urbanisme": 1}
    assert facet(response, "year") == {"2021": 1}


def test_values_within_a_facet_are_alternatives(client, catalogue):
    assert sorted(
        list_titles(client, "?year=2019&year=2021&level=co_construction&level=autonomous")
    ) == [
        "Assemblée populaire d'Etouvie",
        "BW friches",
    ]


def test_facet_counts_are_cached_until_the_catalogue_changes(client, catalogue):
    url = reverse("observatory:initiative_list") + "?department=59"
    assert "BW friches <span" not in client.get(url).content.decode()
    assert 'Urbanisme <span class="facet-count">(1)</span>' in client.get(url).content.decode()
    InitiativeFactory(
        published=True,
        commune=catalogue["fives"].commune,
        themes=list(catalogue["fives"].themes.all()),
    )
    assert 'Urbanisme <span class="facet-count">(2)</span>' in client.get(url).content.decode()
    catalogue["fives"].state = "unpublished"
    catalogue["fives"].save()
    assert 'Urbanisme <span class="facet-count">(1)</span>' in client.get(url).content.decode()


def test_every_facet_filters(client, catalogue):
    assert list_titles(client, "?format=assemblee-populaire") == ["Assemblée populaire d'Etouvie"]
    assert list_titles(client, "?target_public=habitants") == ["Assemblée populaire d'Etouvie"]
    assert list_titles(client, "?commune=80021") == ["Assemblée populaire d'Etouvie"]
    assert list_titles(client, "?scale=commune") == ["Conseil municipal des jeunes de Lille"]
    assert list_titles(client, "?level=consultation") == ["Conseil municipal des jeunes de Lille"]
    assert list_titles(client, "?status=ended") == []
    assert list_titles(client, "?phase=emergence") == []


def test_search_and_sort_live_in_the_url(client, catalogue):
    response = client.get(reverse("observatory:initiative_list") + "?q=participatif&sort=title")
    body = response.content.decode()
    assert [i.title for i in response.context["initiatives"]] == ["Assemblée populaire d'Etouvie"]
    assert 'value="participatif"' in body
    assert "<mark>participative</mark>" in body
    assert list_titles(client, "?sort=title")[0] == "Assemblée populaire d'Etouvie"
    assert list_titles(client, "?sort=date")[0] == "Conseil municipal des jeunes de Lille"


@pytest.mark.parametrize(
    "query",
    [
        "?theme=nope&department=XX&commune=0&scale=huge&year=abc&year=99999&sort=bogus&page=-3",
        "?q=" + "%22" * 5000,
        "?q=%F0%9F%98%80&page=999",
        "?q=%00",
    ],
)
def test_bad_parameters_never_break_the_list(client, catalogue, query):
    for name in (
        "observatory:initiative_list",
        "observatory:map",
        "observatory:map_data",
        "observatory:dashboard",
    ):
        assert client.get(reverse(name) + query).status_code == 200


def test_the_map_data_honours_the_filters(client, catalogue):
    data = client.get(reverse("observatory:map_data") + "?department=80").json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 1
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [2.3, 49.9]
    assert feature["properties"]["title"] == "Assemblée populaire d'Etouvie"
    assert feature["properties"]["url"] == catalogue["etouvie"].get_absolute_url()


def test_the_map_page_lists_the_results_as_text_and_points_to_its_data(client, catalogue):
    response = client.get(reverse("observatory:map") + "?theme=urbanisme")
    body = response.content.decode()
    assert "BW friches" in body
    assert "Conseil municipal" not in body
    assert 'data-geojson="/observatoire/carte/points.geojson?theme=urbanisme"' in body


def test_the_dashboard_links_each_value_to_the_filtered_list(client, catalogue):
    response = client.get(reverse("observatory:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert {bar.label: bar.count for bar in charts["department"].bars} == {
        "Nord (59)": 2,
        "Somme (80)": 1,
    }
    assert [bar.label for bar in charts["year"].bars] == ["2019", "2021"]
    assert {bar.label: bar.count for bar in charts["theme"].bars} == {"Jeunesse": 2, "Urbanisme": 1}
    assert "/observatoire/?theme=jeunesse" in body
    assert "<title" in body and "<table>" in body
    # The charts are images (core.charts): their links are in the data tables, none inside.
    for svg in body.split("<svg")[1:]:
        assert 'role="img"' in svg.split(">")[0]
        assert "<a " not in svg.split("</svg>")[0]


def _many(count):
    lille = CommuneFactory(insee="59350", name="Lille")
    theme = ThemeFactory()
    fmt = FacilitationFormatFactory()
    public = TargetPublicFactory()
    for index in range(count):
        InitiativeFactory(
            published=True,
            commune=lille,
            start_date=datetime.date(2000 + index, 1, 1),
            themes=[theme, ThemeFactory()],
            facilitation_formats=[fmt],
            target_publics=[public],
            summary="Participation des habitants",
        )


@pytest.mark.parametrize(
    "name,query",
    [
        ("observatory:initiative_list", "?q=habitants&department=59&scale=commune"),
        ("observatory:initiative_list", ""),
        ("observatory:map", "?year=2001"),
        ("observatory:map_data", ""),
        ("observatory:dashboard", ""),
        ("observatory:api:initiative_list", "?q=participation&page_size=50"),
    ],
)
def test_list_views_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries, name, query
):
    _many(2)
    url = reverse(name) + query
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _many(0)
    for _ in range(12):
        InitiativeFactory(
            published=True,
            commune=CommuneFactory(),
            themes=[ThemeFactory()],
            facilitation_formats=[FacilitationFormatFactory()],
            target_publics=[TargetPublicFactory()],
            summary="Participation des habitants",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
