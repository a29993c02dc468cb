"""Journey: a published initiative is found by a facet (and the back button restores the list),
by a search that ignores accents and word endings, and on the map, whose marker leads to it."""

import datetime

import pytest

from terreau.observatory.models import FacilitationFormat
from tests.factories import ThemeFactory
from tests.observatory.factories import InitiativeFactory
from tests.territories.factories import CommuneFactory, DepartmentFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_finds_a_published_initiative_by_facet_search_and_map(page, settings):
    # No network in tests: the tiles fail to load and the map still shows its markers.
    settings.TERREAU_MAP_TILES_URL = "/static/no-tiles/{z}/{x}/{y}.png"
    somme = DepartmentFactory(code="80", name="Somme")
    amiens = CommuneFactory(
        insee="80021", name="Amiens", department=somme, latitude=49.894, longitude=2.296
    )
    lille = CommuneFactory(insee="59350", name="Lille", latitude=50.63, longitude=3.06)
    assembly = FacilitationFormat.objects.create(
        name="Assemblée populaire", slug="assemblee-populaire"
    )
    InitiativeFactory(
        published=True,
        title="L'assemblée populaire d'Etouvie",
        slug="assemblee-populaire-etouvie",
        summary="Les habitants du quartier d'Etouvie prennent la parole chaque mois.",
        commune=amiens,
        start_date=datetime.date(2019, 3, 1),
        themes=[ThemeFactory(name="Pouvoir d'agir", slug="pouvoir-dagir")],
        facilitation_formats=[assembly],
    )
    InitiativeFactory(
        published=True,
        title="Conseil des jeunes de Lille",
        summary="Des jeunes donnent leur avis au maire.",
        commune=lille,
    )

    page.goto("/observatoire/")
    page.get_by_role("heading", level=1, name="Observatoire des pratiques").wait_for()
    page.get_by_text("2 initiatives").wait_for()

    # By facet: the count is shown next to the option; the filter lives in the URL.
    page.get_by_label("Assemblée populaire (1)").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url("**format=assemblee-populaire**")
    page.get_by_text("1 initiative").first.wait_for()
    results = page.locator("#results")
    assert "L'assemblée populaire d'Etouvie" in results.inner_text()
    assert "Conseil des jeunes" not in results.inner_text()
    page.go_back()
    page.get_by_text("2 initiatives").wait_for()

    # By search: no accents, another word form; the match is highlighted.
    page.get_by_label("Rechercher dans les initiatives").fill("assemblees populaires")
    page.get_by_role("button", name="Appliquer", exact=True).click()
    page.wait_for_url("**q=assemblees+populaires**")
    assert page.locator("#results h2").all_inner_texts() == ["L'assemblée populaire d'Etouvie"]
    page.locator("#results mark").first.wait_for()

    # On the map, with the same filters: one marker whose popup links to the initiative.
    page.get_by_role("navigation", name="Vues de l’observatoire").get_by_role(
        "link", name="Carte"
    ).click()
    page.get_by_role("heading", level=1, name="Carte des initiatives").wait_for()
    assert "q=assemblees" in page.url
    page.wait_for_selector("#initiative-map[data-loaded='1']")
    page.locator(".leaflet-marker-icon[title=\"L'assemblée populaire d'Etouvie\"]").click()
    page.locator(".leaflet-popup-content a").click()
    page.get_by_role("heading", level=1, name="L'assemblée populaire d'Etouvie").wait_for()
    assert page.url.endswith("/observatoire/initiatives/assemblee-populaire-etouvie/")
