"""The library's demo: the seed documents as resources, linked to the seed events, initiatives
and organisations, loaded once however often the loader runs."""

import importlib
import io

import pytest

from terreau.events import demo as events_demo
from terreau.library import demo
from terreau.library.models import Resource, ResourceKind, ResourceState

pytestmark = pytest.mark.django_db


def load_dependencies():
    for name in ("accounts", "core", "directory", "observatory"):
        importlib.import_module(f"terreau.{name}.demo").load(stdout=io.StringIO())
    # The seed events only (not the synthetic registrations the events' demo adds after).
    for loader in (events_demo.load_lievin, events_demo.load_arras, events_demo.load_lille):
        loader()
    events_demo.link_presented_initiatives()


def test_the_seed_documents_become_published_resources_once():
    load_dependencies()
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())  # load_demo --force: nothing is duplicated
    assert Resource.objects.count() == len(demo.DOCUMENTS) + len(demo.PUBLICATIONS) == 8
    assert not Resource.objects.exclude(state=ResourceState.PUBLISHED).exists()
    kinds = sorted(Resource.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            ResourceKind.NEWS,
            ResourceKind.PROGRAMME,
            ResourceKind.REPORT,
            ResourceKind.CALL,
            ResourceKind.PROGRAMME,
            ResourceKind.INTERVIEW,
            ResourceKind.GUIDE,
            ResourceKind.PUBLICATION,
        ]
    )
    for item in demo.DOCUMENTS:
        resource = Resource.objects.get(slug=item["slug"])
        assert resource.body, item["slug"]
        # Every link named in the table was found in the other apps' demo data.
        assert resource.organisations.count() == len(item["organisations"]), item["slug"]
        assert resource.initiatives.count() == len(item["initiatives"]), item["slug"]
        assert resource.events.count() == len(item["events"]), item["slug"]
        assert resource.themes.count() == len(item["themes"]), item["slug"]


def test_the_demo_links_the_events_and_initiatives_the_seeds_name(client):
    load_dependencies()
    demo.load()
    lille = Resource.objects.get(slug="programme-rencontres-nationales-lille-2014")
    assert list(lille.events.values_list("slug", flat=True)) == [events_demo.LILLE_SLUG]
    assert "Halle aux Sucres" in lille.body
    news = Resource.objects.get(slug="regard-sur-des-initiatives-citoyennes-2015")
    assert str(news.published_on) == "2015-09-29"
    assert news.initiatives.filter(title__contains="Etouvie").exists()
    event_page = client.get("/evenements/" + events_demo.ARRAS_SLUG + "/").content.decode()
    assert "/ressources/retour-journee-territoires-participatifs-arras-2023/" in event_page


def test_the_bodies_carry_no_personal_contact_details():
    for item in demo.DOCUMENTS:
        body = (demo.DOCUMENTS_DIR / item["body"]).read_text(encoding="utf-8")
        assert "@" not in body, item["body"]
        assert "03 28" not in body, item["body"]


def test_the_demo_carries_real_files_the_arras_needs_and_a_newsletter_issue():
    from terreau.library.models import Extraction, Issue, Need, NeedState, Subscriber

    load_dependencies()
    demo.load(stdout=io.StringIO())
    news = Resource.objects.get(slug="regard-sur-des-initiatives-citoyennes-2015")
    files = {a.file.name.rsplit(".", 1)[-1]: a for a in news.attachments.all()}
    assert set(files) == {"pdf", "docx"}
    assert all(a.extraction == Extraction.DONE for a in files.values())
    assert "Etouvie" in files["pdf"].text and files["pdf"].thumbnail
    assert "Bulletin d'inscription" in files["docx"].text
    assert news.news_kind == "regional"
    # The attachments' text is searchable.
    from terreau.library.selectors import resource_list

    assert news in resource_list(query="journée de mutualisation soirées")
    needs = Need.objects.all()
    assert needs.count() == 4 and all(n.state == NeedState.SCHEDULED for n in needs)
    assert all(n.session.slot.day.event.slug == events_demo.ARRAS_SLUG for n in needs)
    assert Issue.objects.get().items.count() >= 5
    assert Subscriber.objects.filter(state="confirmed").count() == 3


def test_the_demo_puts_the_2013_call_and_the_worksite_invitation_on_their_pages():
    from tests.calls.factories import CallFactory
    from tests.groups.factories import ExchangeGroupFactory
    from tests.library.factories import ResourceFactory
    from tests.worksites.factories import worksite_create

    call_form = ResourceFactory(slug="appel-a-candidatures-echanges-de-pratiques-2013")
    invitation = ResourceFactory(slug="regard-sur-des-initiatives-citoyennes-2015")
    call = CallFactory(title="Dispositif d'échanges de pratiques de démocratie participative")
    groups = [ExchangeGroupFactory(slug=f"groupe-echanges-{side}-2013-2014") for side in "ab"]
    worksite = worksite_create(slug="initiatives-citoyennes-debat-public-2015")
    assert demo.link_resources() == 4
    assert demo.link_resources() == 4  # again: the same links, none added twice
    assert list(call_form.calls.all()) == [call]
    assert set(call_form.groups.all()) == set(groups)
    assert list(invitation.worksites.all()) == [worksite]
