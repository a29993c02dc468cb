"""Feeds (RSS, Atom, per theme) and sitemap.xml."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ThemeFactory
from tests.library.factories import NeedFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_news_feed_in_rss_and_atom_and_per_theme(client):
    theme = ThemeFactory()
    ResourceFactory(kind="news", title="Chantier coopératif", themes=[theme])
    ResourceFactory(kind="news", title="Autre nouvelle")
    ResourceFactory(kind="news", title="Brouillon", draft=True)
    rss = client.get("/flux/actualites/").content.decode()
    assert "<rss" in rss and "Chantier coopératif" in rss and "Brouillon" not in rss
    assert "<feed" in client.get("/flux/atom/actualites/").content.decode()
    themed = client.get(f"/flux/actualites/{theme.slug}/").content.decode()
    assert "Chantier coopératif" in themed and "Autre nouvelle" not in themed
    assert client.get("/flux/actualites/no-such-theme/").status_code == 404


def test_resources_and_events_feeds(client):
    from terreau.events.models import EventState
    from tests.events.factories import EventFactory

    ResourceFactory(title="Le petit manuel de survie")
    start = timezone.now() + dt.timedelta(days=10)
    EventFactory(
        title="Journée régionale", state=EventState.PUBLISHED, starts_at=start, ends_at=start
    )
    assert "Le petit manuel de survie" in client.get("/flux/ressources/").content.decode()
    assert "Journée régionale" in client.get("/flux/evenements/").content.decode()


def test_sitemap_lists_public_pages_only(client):
    public = ResourceFactory(title="Publique")
    draft = ResourceFactory(title="Brouillon", draft=True)
    need = NeedFactory()
    body = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in body and draft.get_absolute_url() not in body
    assert need.get_absolute_url() in body and "/ressources/lettre/" in body
