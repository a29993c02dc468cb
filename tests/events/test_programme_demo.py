"""The three seed events load with their real programmes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from terreau.core import demo as core_demo
from terreau.events import demo
from terreau.events.demo import upcoming as demo_upcoming
from terreau.events.models import Event, Session, SessionSpeaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_events():
    core_demo.load_themes()
    demo.load()
    return {event.slug: event for event in Event.objects.all()}


def test_the_lille_meetings_have_three_rounds_as_seed_004_lists_them(seed_events):
    lille = seed_events[demo.LILLE_SLUG]
    assert [d.date for d in lille.days.all()] == [dt.date(2014, 11, 18), dt.date(2014, 11, 19)]
    rounds = {
        slot.round_number: slot
        for slot in lille.days.get(date=dt.date(2014, 11, 19)).slots.all()
        if slot.round_number
    } | {
        slot.round_number: slot
        for slot in lille.days.get(date=dt.date(2014, 11, 18)).slots.all()
        if slot.round_number
    }
    counts = {
        number: (
            slot.sessions.filter(kind="spotlight").count(),
            slot.sessions.filter(kind="exchange_workshop").count(),
        )
        for number, slot in rounds.items()
    }
    assert counts == {1: (1, 4), 2: (2, 3), 3: (1, 3)}
    assert rounds[1].starts_at == dt.time(16, 30)
    tariff = lille.tariffs.get()
    assert tariff.amount == 75 and "soirée du mardi 18 novembre" in tariff.includes
    assert lille.pays_by_administrative_order and lille.has_certificate
    assert lille.certificate_issuer.acronym == "CNFPT"
    assert lille.audience == "professionals"
    assert lille.venue.name == "Halle aux Sucres"
    assert {o.name for o in lille.partners.all()} >= {"Institut de la Concertation"}


def test_the_lievin_day_has_its_speakers_with_their_titles(seed_events):
    lievin = seed_events[demo.LIEVIN_SLUG]
    assert timezone.localtime(lievin.starts_at).hour == 9
    assert timezone.localtime(lievin.ends_at).hour == 17
    bavay = SessionSpeaker.objects.filter(
        session__slot__day__event=lievin, person__last_name="Bavay"
    )
    assert bavay.count() == 2  # the introduction and the round table
    assert "chargé de la cohésion sociale" in bavay.first().title_that_day
    workshops = Session.objects.filter(slot__day__event=lievin, slot__round_number=1)
    assert workshops.count() == 4
    assert workshops.first().slot.starts_at == dt.time(14, 30)
    assert not lievin.tariffs.exists()  # free


def test_the_arras_day_has_the_dialogue_and_the_co_development_workshops(seed_events):
    arras = seed_events[demo.ARRAS_SLUG]
    speakers = set(
        SessionSpeaker.objects.filter(session__slot__day__event=arras).values_list(
            "person__last_name", flat=True
        )
    )
    assert speakers == {"Meilhac", "Karinthe", "Bozek"}
    codev = Session.objects.filter(slot__day__event=arras, kind="codevelopment")
    assert codev.filter(title__contains="système d'échange local").exists()


def test_loading_twice_creates_nothing_more(seed_events):
    demo.load()
    # The three seed events and the coming demonstration copy of the Lille meetings.
    assert Event.objects.count() == 4
    assert Event.objects.filter(slug=demo_upcoming.SLUG).count() == 1
    # Fanny Meilhac speaks in Liévin and in Arras: one directory person.
    assert (
        SessionSpeaker.objects.filter(person__last_name="Meilhac")
        .values("person")
        .distinct()
        .count()
        == 1
    )


def test_the_demonstration_edition_names_its_own_days_in_its_tariff_and_options(seed_events):
    from django.utils.formats import date_format

    copy = seed_events[demo_upcoming.SLUG]
    first, second = [d.date for d in copy.days.order_by("date")]
    includes = copy.tariffs.get().includes
    assert f"soirée du {date_format(first, 'l j F')}" in includes
    assert f"déjeuner du {date_format(second, 'l j F')}" in includes
    assert "18 novembre" not in includes or first == dt.date(first.year, 11, 18)
    labels = list(copy.options.values_list("label", flat=True))
    assert any(date_format(second, "l j F") in label for label in labels)


def test_the_seed_programmes_render(client, seed_events):
    for slug in (demo.LIEVIN_SLUG, demo.ARRAS_SLUG, demo.LILLE_SLUG):
        assert client.get(reverse("events:programme", args=[slug])).status_code == 200
        assert client.get(reverse("events:detail", args=[slug])).status_code == 200


def test_the_lievin_programme_pdf_reads_like_seed_001(client, seed_events):
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(reverse("events:programme_pdf", args=[demo.LIEVIN_SLUG]))
    pages = PdfReader(BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Mot d'introduction" in text
    assert "Alain Bavay, Vice-Président de la Communauté d'Agglomération Lens-Liévin" in text
    assert "Rémi Lefebvre, Professeur de sciences politiques à l'Université de Lille" in text
    assert "Ateliers d'échange et de contribution" in text
    assert "Restitution finale" in text
