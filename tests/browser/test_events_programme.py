"""Journeys: the Lille programme side by side on a desktop and stacked on a phone; the map of
events shows its markers even without map tiles."""

import pytest

pytestmark = pytest.mark.browser

LILLE = "/evenements/rencontres-nationales-democratie-participative-lille-2014/"


@pytest.fixture(autouse=True)
def _patient_page(page):
    # CI machines run two suites at once: allow slow answers rather than fail.
    page.set_default_timeout(30_000)


@pytest.fixture
def seed_events(transactional_db):
    from terreau.events import demo

    demo.load_lievin()
    demo.load_arras()
    demo.load_lille()


def _round_boxes(page):
    workshops = page.locator(".programme-round").nth(1).locator(".session")
    return [workshops.nth(i).bounding_box() for i in range(workshops.count())]


def test_the_rounds_sit_side_by_side_on_a_desktop(page, seed_events):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(LILLE + "programme/", wait_until="domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Programme")
    assert page.get_by_text("Ateliers d'échange").first.is_visible()
    boxes = _round_boxes(page)
    assert len(boxes) == 4  # round 1: four exchange workshops
    assert len({round(box["y"]) for box in boxes}) == 1
    assert len({round(box["x"]) for box in boxes}) == 4


def test_the_rounds_are_stacked_on_a_phone(page, seed_events):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(LILLE + "programme/", wait_until="domcontentloaded")
    boxes = _round_boxes(page)
    assert len({round(box["x"]) for box in boxes}) == 1
    assert all(box["width"] <= 360 for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_map_shows_every_event_without_tiles(page, seed_events):
    from django.db import connection

    # Place the venues: the test database has no communes.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_venue SET latitude = 50 + id * 0.1, longitude = 2.5 + id * 0.2"
        )
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto("/evenements/carte/", wait_until="domcontentloaded")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 3
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup-content a").is_visible()
    assert page.get_by_text("Le fond de carte n'a pas pu être chargé").is_visible()


def test_staff_create_an_event_with_an_organiser_from_the_directory_and_publish_it(
    page, transactional_db
):
    from terreau.directory.models import Organisation
    from terreau.events.models import Event
    from tests.factories import UserFactory

    UserFactory(email="equipe@example.org", is_staff=True)
    Organisation.objects.create(
        name="Département du Nord", slug="departement-du-nord", kind="departement"
    )
    page.goto("/comptes/login/", wait_until="domcontentloaded")
    page.get_by_label("Courriel").fill("equipe@example.org")
    page.locator("#id_password").fill("a-strong-pass-phrase")
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/compte/")
    page.goto("/evenements/gestion/nouveau/", wait_until="domcontentloaded")
    lookup = page.get_by_label("Chercher une structure dans l’annuaire")
    lookup.press_sequentially("Départ", delay=50)
    page.locator("#organisation-suggestions option").first.wait_for(state="attached")
    lookup.fill("departement-du-nord")
    page.get_by_role("button", name="Ajouter aux organisateurs").click()
    assert page.locator("#id_organisers").input_value() == "departement-du-nord"
    page.locator("#id_title").fill("Rencontres nationales 2026")
    page.locator("#id_kind").select_option("national_meetings")
    page.locator("#id_starts_at").fill("2026-11-17T13:00")
    page.locator("#id_ends_at").fill("2026-11-18T16:00")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Publier").click()
    assert page.get_by_text("Événement publié").is_visible()
    event = Event.objects.get(title="Rencontres nationales 2026")
    assert event.state == "published"
    assert list(event.organisers.values_list("slug", flat=True)) == ["departement-du-nord"]
    assert event.days.count() == 2
