"""The versioned cache of public pages (core.pagecache, core.versions) on the events' pages and
the other public pages: served again without a query but the version's, never stale after a
change of anything the page shows, never across people, with ETag / 304 and Cache-Control."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from terreau.core import pagecache, versions
from terreau.core.models import Theme
from terreau.events.models import RegistrationStatus, SessionKind, SessionSpeaker
from tests.directory.factories import OrganisationFactory
from tests.events.factories import (
    EventDayFactory,
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlotFactory,
    TariffFactory,
)
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_base():
    """An empty page cache (the real base template: its language switch is made of links, so
    an anonymous visitor's page holds no CSRF token)."""
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def event_with_programme():
    event = EventFactory(
        title="Rencontres nationales",
        starts_at=timezone.now() + dt.timedelta(days=30),
        ends_at=timezone.now() + dt.timedelta(days=31),
        capacity=100,
    )
    day = EventDayFactory(event=event)
    slot = SlotFactory(day=day, round_number=1)
    room = RoomFactory(name="Salle Europe", venue=event.venue)
    session = SessionFactory(
        slot=slot, kind=SessionKind.EXCHANGE_WORKSHOP, title="Budget participatif", room=room
    )
    speaker = SessionSpeakerFactory(
        session=session,
        person=PersonFactory(first_name="Claire", last_name="Martin", is_listed=True, bio="Élue."),
        title_that_day="Vice-présidente",
    )
    TariffFactory(event=event, label="Plein tarif", amount=40)
    event.organisers.add(OrganisationFactory(name="Département du Nord"))
    event.themes.add(ThemeFactory(name="Jeunesse"))
    return event, session, speaker


def test_an_anonymous_page_is_served_again_with_one_query_and_a_304_on_its_etag(client, plain_base):
    event, _session, _speaker = event_with_programme()
    url = event.get_absolute_url()
    first, cold = get(client, url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    assert "Set-Cookie" not in str(first.cookies) or not first.cookies
    second, warm = get(client, url)
    assert second.content == first.content
    assert warm == 1 < cold  # the versions only
    assert second["ETag"] == first["ETag"]
    assert "Cookie" not in second.get("Vary", "")
    not_modified, _ = get(client, url, if_none_match=first["ETag"])
    assert not_modified.status_code == 304 and not not_modified.content
    assert not_modified["ETag"] == first["ETag"]
    since, _ = get(client, url, if_modified_since=first["Last-Modified"])
    assert since.status_code == 304


def test_the_query_string_and_the_language_are_in_the_key(client, plain_base):
    EventFactory(title="Journée d'Arras")
    url = reverse("events:agenda")
    french = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english
    past = client.get(url + "?period=past").content.decode()
    assert past != french


@pytest.mark.parametrize(
    "change",
    ["session", "speaker_title", "room", "tariff", "organisation", "theme", "registration"],
)
def test_a_change_to_anything_the_event_pages_show_is_seen_at_once(client, plain_base, change):
    event, session, speaker = event_with_programme()
    pages = [
        event.get_absolute_url(),
        reverse("events:programme", args=[event.slug]),
        reverse("events:session", args=[event.slug, session.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200  # cached now
    if change == "session":
        session.title, expected = "Budget participatif des jeunes", "Budget participatif des jeunes"
        session.save()
    elif change == "speaker_title":
        speaker.title_that_day, expected = "Présidente", "Présidente"
        speaker.save()
    elif change == "room":
        session.room.name, expected = "Salle Agora", "Salle Agora"
        session.room.save()
    elif change == "tariff":
        tariff = event.tariffs.get()
        tariff.amount, expected = 55, "55 €"
        tariff.save()
    elif change == "organisation":
        organisation = event.organisers.get()
        organisation.name, expected = "Conseil départemental du Nord", "Conseil départemental"
        organisation.save()
    elif change == "theme":
        theme = Theme.objects.get(name="Jeunesse")
        theme.name, expected = "Jeunesse et éducation", "Jeunesse et éducation"
        theme.save()
    else:
        RegistrationFactory.create_batch(3, event=event, status=RegistrationStatus.CONFIRMED)
        expected = "97"  # places left
    shown = [expected in client.get(url).content.decode() for url in pages]
    assert any(shown), change
    # Each page that shows the changed thing shows its new value.
    where = {
        "session": [False, True, True],  # the event page names speakers, not sessions
        "speaker_title": [True, True, True],
        "room": [False, True, True],
        "tariff": [True, False, False],
        "organisation": [True, False, False],
        "theme": [True, False, False],
    }
    if change == "registration":
        assert shown[0]  # the event page's places left (the others may hold "97" by chance)
    else:
        assert shown == where[change]


def test_other_public_pages_follow_the_version_too(client, plain_base):
    organisation = OrganisationFactory(name="Centre social La Bourgogne")
    url = organisation.get_absolute_url()
    assert "La Bourgogne" in client.get(url).content.decode()
    _, warm = get(client, url)
    assert warm == 1
    organisation.name = "Centre social de la Bourgogne"
    organisation.save()
    assert "Centre social de la Bourgogne" in client.get(url).content.decode()


def test_a_signed_in_page_is_never_served_to_a_visitor_nor_a_visitors_to_staff(
    client, plain_base, staff
):
    event, _session, _speaker = event_with_programme()
    url = event.get_absolute_url()
    client.force_login(staff)
    page = client.get(url)
    assert "Manage this event" in page.content.decode() or "Gérer" in page.content.decode()
    assert "private" in page["Cache-Control"]
    client.logout()
    client.cookies.clear()
    anonymous = client.get(url).content.decode()
    assert reverse("events:staff_event", args=[event.slug]) not in anonymous
    client.force_login(staff)
    again = client.get(url).content.decode()
    assert reverse("events:staff_event", args=[event.slug]) in again


def test_a_page_with_a_csrf_token_is_never_stored(client, settings):
    """A public page that holds a form (a CSRF token) is rendered for each visitor."""
    settings.ROOT_URLCONF = "tests.events.csrf_page_urls"
    cache.clear()
    first = client.get("/formulaire/")
    client.cookies.clear()
    second = client.get("/formulaire/")
    assert "private" in second["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode())
    first_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode())
    assert token and first_token and token.group(1) != first_token.group(1)


def test_a_visitor_with_other_cookies_gets_a_fresh_private_page(client, plain_base):
    event = EventFactory()
    url = event.get_absolute_url()
    client.get(url)
    client.cookies["terreau_registrations"] = "x"
    response, queries = get(client, url)
    assert queries > 1 and "private" in response["Cache-Control"]


def test_the_register_form_and_personal_links_are_not_kept(client, plain_base):
    event = EventFactory(
        starts_at=timezone.now() + dt.timedelta(days=10),
        ends_at=timezone.now() + dt.timedelta(days=11),
    )
    register = reverse("events:register", args=[event.slug])
    tokens = []
    for _visitor in range(2):
        client.cookies.clear()
        response = client.get(register)
        assert "ETag" not in response and "public" not in response.get("Cache-Control", "")
        tokens.append(re.search(r'csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))
    assert tokens[0] and tokens[1] and tokens[0].group(1) != tokens[1].group(1)
    registration = RegistrationFactory(event=event)
    from terreau.events.selectors.registration import registration_manage_path

    personal = client.get(registration_manage_path(registration))
    assert personal.status_code == 200
    assert "no-store" in personal["Cache-Control"] and "private" in personal["Cache-Control"]


def _token(response) -> str:
    return re.search(r'csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_the_blank_register_form_is_stored_once_and_each_visitor_gets_a_working_token(
    plain_base,
):
    from django.test import Client

    event, _session, _speaker = event_with_programme()
    register = reverse("events:register", args=[event.slug])
    Client().get(register)  # stores the page
    visitor = Client(enforce_csrf_checks=True)
    response, queries = get(visitor, register)
    assert queries == 1  # the versions only: the form is not built again
    assert pagecache.CSRF_TOKEN_MARK not in response.content.decode()
    assert "private" in response["Cache-Control"] and "ETag" not in response
    token = _token(response)
    other = Client().get(register)
    assert _token(other) != token
    posted = visitor.post(
        register,
        {
            "csrfmiddlewaretoken": token,
            "first_name": "Lina",
            "last_name": "Haddad",
            "email": "lina@example.org",
            "actor_category": "citizen",
            "tariff": event.tariffs.get().pk,
            "consent": "on",
        },
    )
    assert posted.status_code != 403  # the token put in the stored page is the visitor's own


def test_the_stored_register_form_follows_seats_and_the_programme(client, plain_base):
    event, session, _speaker = event_with_programme()
    event.capacity = 1
    event.has_waiting_list = True
    event.save()
    register = reverse("events:register", args=[event.slug])
    assert "0 places prises sur 1." in client.get(register).content.decode()
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    assert "1 places prises sur 1." in client.get(register).content.decode()
    session.title = "Budget participatif des jeunes"
    session.save()
    assert "Budget participatif des jeunes" in client.get(register).content.decode()


def event_closing_soon():
    """An event whose registration closes in 90 seconds, and that moment."""
    closes = timezone.now() + dt.timedelta(seconds=90)
    event = EventFactory(
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=4),
        registration_closes_at=closes,
    )
    return event, closes


def test_the_stored_register_form_lives_only_until_registration_closes(client, plain_base):
    event, closes = event_closing_soon()
    register = reverse("events:register", args=[event.slug])
    assert client.get(register).status_code == 200
    stamp, _ = versions.current((versions.SITE, versions.REGISTRATIONS))
    entry = cache.get(pagecache.page_key(register, "fr", stamp))
    assert entry is not None and entry["expires"] <= closes.timestamp() + 1
    assert pagecache.CSRF_TOKEN_MARK.encode() in entry["body"]


def test_the_event_page_lives_only_until_registration_closes(client, plain_base):
    event, closes = event_closing_soon()
    response = client.get(event.get_absolute_url())
    assert "max-age=60" in response["Cache-Control"]
    stamp, _ = versions.current((versions.SITE, versions.REGISTRATIONS))
    entry = cache.get(pagecache.page_key(event.get_absolute_url(), "fr", stamp))
    assert entry is not None
    assert entry["expires"] <= closes.timestamp() + 1


def test_a_write_moves_the_version_of_its_scope_only():
    site, _ = versions.current([versions.SITE])
    registrations, _ = versions.current([versions.REGISTRATIONS])
    event = EventFactory()
    after_event = versions.current([versions.SITE])[0]
    assert after_event != site
    RegistrationFactory(event=event)
    assert versions.current([versions.SITE])[0] == after_event
    assert versions.current([versions.REGISTRATIONS])[0] != registrations
    SessionSpeaker.objects.all().delete()  # nothing deleted: no signal, no change
    assert versions.current([versions.SITE])[0] == after_event


def _page_and_change(kind: str):
    """(the page's address, a change to something it shows, the text the change shows)."""
    from tests.library.factories import ResourceFactory
    from tests.observatory.factories import PublishedInitiativeFactory, PublishedMethodFactory
    from tests.territories.factories import CommuneFactory

    def rename(instance, field, value):
        def change():
            setattr(instance, field, value)
            instance.save()

        return change

    if kind == "agenda":
        event = EventFactory(title="Forum des conseils citoyens")
        return reverse("events:agenda"), rename(event, "title", "Forum renommé"), "Forum renommé"
    if kind in {"initiative", "initiative theme", "catalogue", "catalogue search"}:
        theme = ThemeFactory(name="Jeunesse")
        initiative = PublishedInitiativeFactory(title="Assemblée des jeunes")
        initiative.themes.add(theme)
        if kind == "initiative":
            return (
                initiative.get_absolute_url(),
                rename(initiative, "title", "Assemblée des jeunes du Nord"),
                "Assemblée des jeunes du Nord",
            )
        if kind == "initiative theme":
            return initiative.get_absolute_url(), rename(theme, "name", "Enfance"), "Enfance"
        url = reverse("observatory:initiative_list")
        if kind == "catalogue search":
            url += "?q=assemblee"

        def publish_another():
            PublishedInitiativeFactory(title="Assemblée citoyenne de Fives")

        return url, publish_another, "citoyenne de Fives"  # a search marks the query's words
    if kind == "method":
        method = PublishedMethodFactory(title="Forum ouvert")
        return method.get_absolute_url(), rename(method, "title", "Forum libre"), "Forum libre"
    if kind == "resource":
        resource = ResourceFactory(title="Guide de la concertation")
        return (
            resource.get_absolute_url(),
            rename(resource, "title", "Guide pratique de la concertation"),
            "Guide pratique de la concertation",
        )
    if kind == "directory":
        organisation = OrganisationFactory(name="Centre social Lazare Garreau")
        return (
            reverse("directory:organisation_list"),
            rename(organisation, "name", "Centre social Garreau"),
            "Centre social Garreau",
        )
    if kind == "territory":
        commune = CommuneFactory(name="Lille")
        return (
            reverse("territories:department_detail", args=[commune.department_id]),
            rename(commune.department, "name", "Nord-Flandres"),
            "Nord-Flandres",
        )
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "agenda",
        "initiative",
        "initiative theme",
        "catalogue",
        "catalogue search",
        "method",
        "resource",
        "directory",
        "territory",
    ],
)
def test_every_public_page_kind_is_served_from_the_cache_and_never_stale(client, plain_base, kind):
    url, change, expected = _page_and_change(kind)
    first = client.get(url)
    assert first.status_code == 200 and expected not in first.content.decode()
    again, queries = get(client, url)
    assert queries == 1 and again.content == first.content  # the version's query only
    change()
    assert expected in client.get(url).content.decode()


def test_the_personal_programme_follows_a_change_of_the_programme(plain_base):
    """Its slots are kept per content version: a renamed session or room is seen at once."""
    from terreau.events.selectors.registration import registration_personal_programme

    event, session, _speaker = event_with_programme()
    registration = RegistrationFactory(event=event)
    titles = [item.title for item in registration_personal_programme(registration)]
    assert "Budget participatif" in titles
    session.title = "Budget participatif des jeunes"
    session.save()
    room = session.room
    room.name = "Salle Delors"
    room.save()
    programme = registration_personal_programme(registration)
    sessions = [s for item in programme for s in item.sessions]
    assert [s.title for s in sessions] == ["Budget participatif des jeunes"]
    assert sessions[0].room.name == "Salle Delors"
