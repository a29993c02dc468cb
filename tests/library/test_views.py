"""The library's pages: list with filters in the URL, detail, drafts hidden, constant queries,
Markdown made safe, Open Graph."""

import datetime as dt

import pytest
from django.urls import reverse

from terreau.events.models import EventState
from terreau.library import services
from terreau.library.models import ResourceKind
from terreau.observatory.models import PublicationState
from tests.directory.factories import OrganisationFactory
from tests.events.factories import EventFactory
from tests.factories import ThemeFactory
from tests.library.factories import ResourceFactory
from tests.library.files import pdf
from tests.observatory.factories import PublishedInitiativeFactory

pytestmark = pytest.mark.django_db
LIST = reverse("library:resource_list")


def populate(count: int):
    themes = [ThemeFactory(), ThemeFactory()]
    organisations = [OrganisationFactory(), OrganisationFactory()]
    for index in range(count):
        ResourceFactory(
            title=f"Démocratie {index}",
            published_on=dt.date(2014 + index % 3, 1, 1),
            themes=themes,
            organisations=organisations,
        )
    return themes


@pytest.mark.parametrize(
    "query",
    ["", "?par_page=100", "?par_page=50&type=publication&theme={theme}&annee=2014&q=democratie"],
)
def test_the_list_runs_the_same_number_of_queries_with_few_and_many_resources(
    client, django_assert_max_num_queries, query
):
    themes = populate(3)
    url = LIST + query.format(theme=themes[0].slug)
    counts = []
    for added in (0, 42):
        populate(added)
        # The page cache's version; themes and years for the filters, count, page, themes and
        # organisations of the page.
        with django_assert_max_num_queries(7) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.context["page_obj"].object_list
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_list_pages_and_filters_through_the_url(client):
    for index in range(25):
        ResourceFactory(title=f"Guide {index:02d}", kind=ResourceKind.GUIDE)
    ResourceFactory(title="Actualité régionale", kind=ResourceKind.NEWS)
    first = client.get(LIST).context
    assert first["page_obj"].paginator.count == 26
    assert len(first["results"]) == 20
    assert len(client.get(LIST + "?page=2").context["results"]) == 6
    news = client.get(LIST + "?type=news").context["results"]
    assert [resource.title for resource in news] == ["Actualité régionale"]
    assert client.get(LIST + "?par_page=50").context["page_obj"].paginator.per_page == 50


def test_the_list_search_ignores_accents_and_case(client):
    ResourceFactory(title="Les élus en transition")
    ResourceFactory(title="Le budget")
    body = client.get(LIST, {"q": "ELUS"}).content.decode()
    assert "Les élus en transition" in body and "Le budget" not in body


def test_invalid_filter_values_are_ignored_not_errors(client):
    ResourceFactory(title="Toujours là")
    response = client.get(
        LIST, {"type": "affiche", "annee": "99999999999999999999", "theme": "x", "page": "-1"}
    )
    assert response.status_code == 200
    assert "Toujours là" in response.content.decode()


def test_htmx_gets_only_the_results(client):
    ResourceFactory(title="Fragment")
    response = client.get(LIST, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Fragment" in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_drafts_are_hidden_from_visitors_and_members(client, user):
    draft = ResourceFactory(title="Note interne", draft=True)
    assert "Note interne" not in client.get(LIST).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Note interne" not in client.get(LIST).content.decode()


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_see_drafts_marked_as_such(client, request, role):
    draft = ResourceFactory(title="Note interne", draft=True)
    client.force_login(request.getfixturevalue(role))
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "brouillon" in page.content.decode()
    assert "Note interne" in client.get(LIST).content.decode()


def test_an_unknown_resource_is_a_404(client):
    assert client.get(reverse("library:resource_detail", args=["inconnue"])).status_code == 404


def test_the_detail_shows_body_attachments_links_and_open_graph(client):
    theme = ThemeFactory(name="Concertation")
    publisher = OrganisationFactory(name="Institut de la Concertation")
    hidden_publisher = OrganisationFactory(name="Structure masquée", is_published=False)
    resource = ResourceFactory(
        title="Rencontres nationales",
        summary="Invitation et programme.",
        themes=[theme],
        organisations=[publisher, hidden_publisher],
    )
    services.resource_update(
        resource=resource,
        body="## Programme\n\n**14 h** : ouverture",
        external_url="https://example.org/rencontres",
        licence="CC BY-SA 4.0",
    )
    services.resource_attachment_add(resource=resource, title="Programme imprimable", file=pdf())
    shown_initiative = PublishedInitiativeFactory(title="Ateliers citoyens")
    draft_initiative = PublishedInitiativeFactory(
        title="Fiche en brouillon", state=PublicationState.DRAFT
    )
    shown_event = EventFactory(title="Rencontres de Lille")
    draft_event = EventFactory(title="Réunion en préparation", state=EventState.DRAFT)
    resource.initiatives.add(shown_initiative, draft_initiative)
    resource.events.add(shown_event, draft_event)

    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<h2>Programme</h2>" in body and "<strong>14 h</strong>" in body
    assert 'href="/media/resources/' in body and "Programme imprimable" in body and "PDF" in body
    assert "Concertation" in body and publisher.get_absolute_url() in body
    assert "Structure masquée" not in body
    assert shown_initiative.get_absolute_url() in body and "Fiche en brouillon" not in body
    assert shown_event.get_absolute_url() in body and "Réunion en préparation" not in body
    assert "https://example.org/rencontres" in body and "CC BY-SA 4.0" in body
    assert '<meta property="og:title" content="Rencontres nationales">' in body
    assert '<meta property="og:description" content="Invitation et programme.">' in body
    # The permalink follows the address the page was asked at (absolute links from the request).
    assert f'content="http://testserver{resource.get_absolute_url()}"' in body
    assert '<meta property="og:type" content="article">' in body


def test_the_detail_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    from tests.calls.factories import CallFactory
    from tests.groups.factories import ExchangeGroupFactory

    small, large = ResourceFactory(), ResourceFactory()
    for count, resource in ((1, small), (4, large)):
        for index in range(count):
            resource.themes.add(ThemeFactory())
            resource.organisations.add(OrganisationFactory())
            resource.initiatives.add(PublishedInitiativeFactory())
            resource.events.add(EventFactory())
            resource.calls.add(CallFactory())
            resource.groups.add(ExchangeGroupFactory())
            services.resource_attachment_add(resource=resource, title=f"F{index}", file=pdf())
    # One query per kind of link (themes, organisations, initiatives, events, calls, groups,
    # worksites, authors, attachments), whatever their number.
    with django_assert_max_num_queries(13) as first:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(large.get_absolute_url())
    assert response.status_code == 200


def test_markdown_cannot_inject_scripts(client):
    resource = ResourceFactory()
    services.resource_update(
        resource=resource,
        body='<script>alert("x")</script>\n\n[clic](javascript:alert(1)) '
        '<img src=x onerror=alert(1)> <a href="https://example.org" onclick="x()">lien</a>',
    )
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "javascript:alert" not in body
    assert "onerror" not in body and "onclick" not in body
    assert 'href="https://example.org"' in body


def test_the_title_and_summary_are_escaped(client):
    resource = ResourceFactory(title="<script>alert(1)</script>", summary="<b>gras</b>")
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;b&gt;gras&lt;/b&gt;" in body


def test_the_navigation_and_the_home_page_lead_to_the_library(client):
    ResourceFactory(title="Dernière parution")
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{LIST}"' in home
    assert "Dernière parution" in home
    page = client.get(LIST).content.decode()
    assert f'<a href="{LIST}" aria-current="page">Ressources</a>' in page


def test_the_pages_are_translated_into_english(client):
    resource = ResourceFactory(kind=ResourceKind.CALL)
    client.cookies["django_language"] = "en"
    body = client.get(LIST).content.decode()
    assert "<h1>Resources</h1>" in body and "Call for applications" in body
    assert "Year" in body and "Année" not in body
    assert "Call for applications" in client.get(resource.get_absolute_url()).content.decode()


def test_the_home_page_shows_the_open_calls(client):
    import datetime as dt

    from django.utils import timezone

    from tests.calls.factories import CallFactory

    CallFactory(title="Appel ouvert aux collectifs")
    CallFactory(title="Appel clos", closes_at=timezone.now() - dt.timedelta(days=1))
    CallFactory(
        title="Appel à venir",
        opens_at=timezone.now() + dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(days=30),
    )
    body = client.get("/").content.decode()
    assert "Appels à candidatures ouverts" in body and "Appel ouvert aux collectifs" in body
    assert "Appel clos" not in body and "Appel à venir" not in body
