"""Journey: find a commune with the suggestions of the commune field, then see it on a map."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def hauts_de_france(transactional_db):
    from terreau.territories.services import territories_load
    from tests.territories.conftest import TINY_PAYLOAD

    territories_load(payload=TINY_PAYLOAD)


def test_a_visitor_finds_lievin_from_the_suggestions_and_sees_it_on_the_map(page, hauts_de_france):
    page.goto("/territoires/")
    field = page.get_by_role("combobox", name="Commune")
    field.press_sequentially("liev", delay=50)
    suggestions = page.locator("datalist option")
    # Under load the suggestions for "li" may show first; the list settles on the last query.
    expect(suggestions.first).to_have_attribute("value", "Liévin (62)")
    field.fill("Liévin (62)")
    field.press("Enter")
    page.wait_for_url("**/territoires/communes/62510/")
    assert page.get_by_role("heading", level=1).inner_text() == "Liévin"
    page.locator(".territory-leaflet.leaflet-container").wait_for()
    assert page.locator(".territory-static-map").is_hidden()


def test_a_mistyped_commune_gets_a_french_message_and_suggestions(page, hauts_de_france):
    page.goto("/territoires/")
    page.get_by_role("combobox", name="Commune").fill("Lievn")
    page.get_by_role("button", name="Aller à sa page").click()
    assert "Aucune commune ne correspond à « Lievn »" in page.content()
    page.get_by_role("combobox", name="Commune").fill("sailly")
    page.get_by_role("button", name="Aller à sa page").click()
    page.get_by_role("link", name="Sailly-lez-Lannoy (59)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sailly-lez-Lannoy"
