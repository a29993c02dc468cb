"""The registration form as a person meets it: the audience rule said before the form and no
choice offered that it would refuse; every error listed at the top, linked to its field."""

import re

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.events.registration_fixtures import make_lille_meetings

pytestmark = pytest.mark.django_db


def employer_kinds(body: str) -> list[str]:
    select = re.search(r'<select name="employer_kind".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_a_professionals_only_event_offers_only_public_employers(client):
    event = make_lille_meetings()
    body = client.get(reverse("events:register", kwargs={"slug": event.slug})).content.decode()
    before_the_form = body.split("<main")[1].split("<form")[0]
    assert "réservé aux professionnels du service public" in before_the_form
    kinds = employer_kinds(body)
    assert "departement" in kinds and "commune" in kinds
    assert "association" not in kinds and "entreprise" not in kinds


def test_an_open_event_offers_every_employer(client):
    event = EventFactory(audience="open")
    body = client.get(reverse("events:register", kwargs={"slug": event.slug})).content.decode()
    if 'name="employer_kind"' in body:
        assert "association" in employer_kinds(body)


def test_the_registration_errors_are_listed_as_links_to_their_fields(client):
    event = make_lille_meetings()
    response = client.post(reverse("events:register", kwargs={"slug": event.slug}), {})
    body = response.content.decode()
    assert body.count("data-error-summary") == 1
    summary = body.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#id_first_name"' in summary and 'href="#id_email"' in summary
    assert "Merci de corriger les erreurs ci-dessous" not in body
    assert re.search(r'id="id_first_name"', body)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_first_name"', body)


def test_a_past_event_says_it_is_over_not_that_it_has_started():
    import datetime as dt

    from django.utils import timezone

    from terreau.events.services.registration import registration_closed_reason

    past = timezone.now() - dt.timedelta(days=3650)
    event = EventFactory(starts_at=past, ends_at=past + dt.timedelta(hours=8))
    assert (
        registration_closed_reason(event)
        == "Les inscriptions sont fermées : l'événement est terminé."
    )
    running = EventFactory(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert "a commencé" in registration_closed_reason(running)


def test_the_staff_page_of_a_registration_names_the_round_of_each_choice(client, staff):
    from terreau.events.services.registration import registration_create
    from tests.events.registration_fixtures import registration_data

    event = make_lille_meetings()
    registration = registration_create(event=event, data=registration_data(event))
    client.force_login(staff)
    url = reverse(
        "events:registration_staff_detail", kwargs={"slug": event.slug, "pk": registration.pk}
    )
    body = client.get(url).content.decode()
    choices = body.split("Vœux d")[1] if "Vœux d" in body else body
    assert re.search(r"<strong>Tour 1</strong> : 1\. .*, 2\. .*, 3\. ", choices)
    assert "<strong>Tour 2</strong>" in choices and "<strong>Tour 3</strong>" in choices
