"""Every anonymous page kind outside the events and the observatory in the versioned page
cache (core.pagecache): served again with the version's query only, never stale after a change
of what it shows, and never kept past the moment it changes by itself (a call opens or closes,
an event ends, a new day for the groups' members)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from terreau.core import pagecache, versions
from tests.calls.factories import CallFactory
from tests.events.factories import EventFactory
from tests.groups.factories import ExchangeGroupFactory
from tests.library.factories import NeedFactory
from tests.worksites.factories import worksite_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def rename(instance, field, value):
    def change():
        setattr(instance, field, value)
        instance.save()

    return change


def page_and_change(kind: str):
    """(the page's address, a change to something it shows, the text the change shows)."""
    if kind == "home":
        event = EventFactory(
            title="Forum des conseils citoyens",
            starts_at=timezone.now() + dt.timedelta(days=5),
            ends_at=timezone.now() + dt.timedelta(days=6),
        )
        return "/", rename(event, "title", "Forum renommé"), "Forum renommé"
    if kind in {"call list", "call"}:
        call = CallFactory(title="Appel aux groupes d'échanges")
        url = reverse("calls:call_list") if kind == "call list" else call.get_absolute_url()
        return url, rename(call, "title", "Appel renommé"), "Appel renommé"
    if kind in {"group list", "group"}:
        group = ExchangeGroupFactory(name="Groupe Est")
        url = reverse("groups:list") if kind == "group list" else group.get_absolute_url()
        return url, rename(group, "name", "Groupe Est renommé"), "Groupe Est renommé"
    if kind in {"worksite list", "worksite"}:
        worksite = worksite_create(question="Chantier coopératif", is_public=True)
        url = reverse("worksites:list") if kind == "worksite list" else worksite.get_absolute_url()
        return url, rename(worksite, "question", "Chantier renommé"), "Chantier renommé"
    if kind in {"need list", "need"}:
        need = NeedFactory(title="Comment relancer un SEL ?")
        url = reverse("library:need_list") if kind == "need list" else need.get_absolute_url()
        return url, rename(need, "title", "Comment réveiller un SEL ?"), "Comment réveiller un SEL"
    raise ValueError(kind)


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "call list",
        "call",
        "group list",
        "group",
        "worksite list",
        "worksite",
        "need list",
        "need",
    ],
)
def test_the_page_is_served_from_the_cache_and_never_stale(client, kind):
    url, change, expected = page_and_change(kind)
    first = client.get(url)
    assert first.status_code == 200 and expected not in first.content.decode()
    assert "public" in first["Cache-Control"]
    again, queries = get(client, url)
    assert queries == 1 and again.content == first.content  # the version's query only
    change()
    assert expected in client.get(url).content.decode()


@pytest.mark.parametrize("kind", ["call list", "call", "home"])
def test_a_call_page_lives_only_until_the_call_closes(client, kind):
    closes = timezone.now() + dt.timedelta(seconds=90)
    call = CallFactory(title="Appel qui ferme", closes_at=closes)
    url = {"call list": reverse("calls:call_list"), "call": call.get_absolute_url(), "home": "/"}
    response = client.get(url[kind])
    assert response.status_code == 200
    stamp, _ = versions.current((versions.SITE,))
    entry = cache.get(pagecache.page_key(url[kind], "fr", stamp))
    assert entry is not None and entry["expires"] <= closes.timestamp() + 1


def test_the_home_page_lives_only_until_the_next_event_ends(client):
    ends = timezone.now() + dt.timedelta(seconds=120)
    EventFactory(starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=ends)
    client.get("/")
    stamp, _ = versions.current((versions.SITE,))
    entry = cache.get(pagecache.page_key("/", "fr", stamp))
    assert entry is not None and entry["expires"] <= ends.timestamp() + 1


def test_a_groups_page_lives_only_until_midnight(client):
    group = ExchangeGroupFactory()
    client.get(group.get_absolute_url())
    stamp, _ = versions.current((versions.SITE,))
    entry = cache.get(pagecache.page_key(group.get_absolute_url(), "fr", stamp))
    assert entry is not None
    assert entry["expires"] <= pagecache.next_local_midnight().timestamp() + 1


def test_a_visitor_who_chose_a_language_is_served_from_the_cache_in_that_language(client):
    client.cookies["django_language"] = "en"
    first = client.get("/")
    assert first["Content-Language"] == "en" and "public" in first["Cache-Control"]
    again, queries = get(client, "/")
    assert queries == 1 and again.content == first.content
    client.cookies["django_language"] = "fr"
    french = client.get("/")
    assert french["Content-Language"] == "fr" and french.content != first.content
