"""The registration form as a person meets it: the audience rule said before the form and no
choice offered that it would refuse; every error listed at the top, linked to its field."""

import html
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


def _round_row(body: str, title: str) -> str:
    title = re.escape(html.escape(title))
    pattern = rf"<tr[^>]*>\s*<th scope=\"row\">(?:(?!</tr>).)*?{title}.*?</tr>"
    return re.search(pattern, body, re.S)[0]


def test_each_workshop_of_a_round_shows_its_brief_speakers_and_seats_with_a_radio_per_rank(client):
    from terreau.events.models import SessionSpeaker
    from tests.directory.factories import PersonFactory
    from tests.events.registration_fixtures import rounds_of

    event = make_lille_meetings()
    workshop = rounds_of(event)[1][1]
    workshop.brief = "Formuler trois recommandations"
    workshop.save()
    speaker = PersonFactory(first_name="Loïc", last_name="Blondiaux")
    SessionSpeaker.objects.create(session=workshop, person=speaker)
    body = client.get(reverse("events:register", kwargs={"slug": event.slug})).content.decode()

    assert "<select" not in body.split("round-choice")[1]  # no dropdowns for the ranks
    row = _round_row(body, workshop.title)
    assert "Formuler trois recommandations" in row and "Loïc Blondiaux" in row
    assert "60 places" in row
    names = re.findall(r'<input type="radio"[^>]*name="(round_\d+_\d)"', row)
    assert [n.rsplit("_", 1)[1] for n in names] == ["1", "2", "3"]
    # Each button is named by its column (the rank) and its row (the workshop).
    labelled = re.findall(r'aria-labelledby="([^"]+)"', row)
    assert all(re.fullmatch(r"round-\d+-rank-\d round-\d+-workshop-\d+", ids) for ids in labelled)
    assert "Tour 1 — " in body and "Complet" not in row


def test_a_workshop_whose_seats_are_taken_says_it_is_full(client):
    from terreau.events.models import WorkshopAssignment
    from terreau.events.services.registration import registration_create
    from tests.events.registration_fixtures import registration_data, rounds_of

    event = make_lille_meetings()
    workshop = rounds_of(event)[1][0]
    workshop.capacity = 1
    workshop.save()
    url = reverse("events:register", kwargs={"slug": event.slug})
    assert "Complet" not in _round_row(client.get(url).content.decode(), workshop.title)
    registration = registration_create(event=event, data=registration_data(event))
    WorkshopAssignment.objects.create(
        registration=registration, session=workshop, slot=workshop.slot, source="manual"
    )
    row = _round_row(client.get(url).content.decode(), workshop.title)
    assert "Complet" in row and "liste d'attente" in row


def test_ranks_chosen_with_radio_buttons_are_saved_and_a_missing_first_choice_is_linked(client):
    from terreau.events.models import Registration
    from tests.events.registration_fixtures import rounds_of

    event = make_lille_meetings()
    url = reverse("events:register", kwargs={"slug": event.slug})
    rounds = rounds_of(event)
    data = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": "claire@lenord.fr",
        "employer": "Département du Nord",
        "employer_kind": "departement",
        "consent": "on",
    }
    for sessions in rounds.values():
        data[f"round_{sessions[0].slot_id}_1"] = str(sessions[1].pk)
        data[f"round_{sessions[0].slot_id}_2"] = ""  # "no other choice"
    missing = dict(data)
    first_round = rounds[1][0].slot_id
    del missing[f"round_{first_round}_1"]
    body = client.post(url, missing).content.decode()
    assert f'href="#id_round_{first_round}_1_0"' in body
    assert f'id="id_round_{first_round}_1_0"' in body
    assert 'aria-invalid="true"' in _round_row(body, rounds[1][0].title)

    client.post(url, data)
    registration = Registration.objects.get()
    assert sorted((c.rank, c.session_id) for c in registration.choices.all()) == sorted(
        (1, sessions[1].pk) for sessions in rounds.values()
    )


def test_meals_included_in_the_rate_are_asked_as_attendance_not_sold_again(client):
    event = make_lille_meetings()
    body = client.get(reverse("events:register", kwargs={"slug": event.slug})).content.decode()
    assert "Tarif : Participant" not in body
    assert "Participant·e : 75 €. Ce tarif comprend Pauses, soirée, déjeuner." in body
    assert "Compris dans le tarif, sans supplément" in body


def test_the_staff_event_tabs_agree_in_number(client, staff):
    client.force_login(staff)
    body = client.get(reverse("events:staff_events")).content.decode()
    tabs = re.search(r'class="agenda-views"><ul>(.*?)</ul>', body, re.S)[1]
    assert re.findall(r">([^<>]+)</a>", tabs) == ["Tous", "Brouillons", "Publiés", "Annulés"]
