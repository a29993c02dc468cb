"""The site-wide search: every kind through one box, grouped by kind with counts, French-aware
and accent-insensitive, the same facets across kinds, suggestions; the same results on SQLite
and PostgreSQL (run this module with DATABASE_URL=postgres://… too)."""

import datetime as dt

import pytest
from django.urls import reverse

from terreau.events.models import EventState
from terreau.search.indexing import reindex
from terreau.search.models import SearchDocument
from terreau.search.registry import search_kinds
from terreau.search.selectors import SiteQuery, kind_page, site_search, suggestions
from tests.factories import ThemeFactory
from tests.library.factories import NeedFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def reindex_all():
    for kind in search_kinds():
        if kind.is_indexed:
            reindex(kind)


@pytest.fixture
def corpus():
    from tests.directory.factories import OrganisationFactory, PersonFactory
    from tests.events.factories import EventFactory
    from tests.observatory.factories import InitiativeFactory

    participation, climate = ThemeFactory(name="Participation"), ThemeFactory(name="Climat")
    data = {
        "initiative": InitiativeFactory(
            published=True,
            title="Assemblée populaire d'Étouvie",
            summary="La participation des habitants aux décisions du quartier.",
        ),
        "resource": ResourceFactory(
            title="Guide des élus participatifs",
            summary="Comment les élu·es font participer les habitants.",
            themes=[participation],
            published_on=dt.date(2022, 12, 1),
        ),
        "draft": ResourceFactory(title="Brouillon participatif", draft=True),
        "news": ResourceFactory(
            kind="news",
            title="Journée régionale de la participation",
            summary="Information régionale.",
            themes=[climate],
            published_on=dt.date(2015, 9, 29),
        ),
        "need": NeedFactory(title="Comment faire participer les habitants à une ZAC ?"),
        "event": EventFactory(
            title="Rencontres de la participation citoyenne", state=EventState.PUBLISHED
        ),
        "organisation": OrganisationFactory(name="Collectif participatif de Fives"),
        "person": PersonFactory(first_name="Élise", last_name="Participe", is_listed=True),
        "hidden_person": PersonFactory(first_name="Paul", last_name="Participe", is_listed=False),
    }
    reindex_all()
    return data


def keys(groups):
    return {group["kind"].key: group["count"] for group in groups}


def test_one_query_finds_every_kind_grouped_with_counts(corpus):
    groups = site_search(SiteQuery(text="participation"))
    counts = keys(groups)
    assert counts["initiatives"] == 1
    assert counts["resources"] == 1  # the draft is not public
    assert counts["news"] == 1 and counts["needs"] == 1 and counts["events"] == 1
    assert counts["organisations"] == 1
    assert counts["people"] == 1  # only who chose to be listed
    titles = [hit.title for group in groups for hit in group["hits"]]
    assert not any("Brouillon" in title or "Paul" in title for title in titles)


def test_accents_case_and_french_forms_are_ignored(corpus):
    for text in ("ETOUVIE", "étouvie assemblées", "élus", "ELUS participatif"):
        assert site_search(SiteQuery(text=text)), text
    resource_hits = kind_page(
        search_kinds_by("resources"), SiteQuery(text="ÉLUS"), offset=0, limit=5
    )
    assert resource_hits[0] == 1 and "<mark>" in resource_hits[1][0].title


def search_kinds_by(key):
    return next(kind for kind in search_kinds() if kind.key == key)


def test_facets_apply_to_every_kind(corpus):
    participation = corpus["resource"].themes.get()
    by_theme = keys(site_search(SiteQuery(text="participation", theme=participation)))
    assert by_theme == {"resources": 1}
    by_date = keys(
        site_search(
            SiteQuery(
                text="participation", date_from=dt.date(2015, 1, 1), date_to=dt.date(2016, 1, 1)
            )
        )
    )
    assert by_date.get("news") == 1 and "resources" not in by_date


def test_saving_or_unpublishing_updates_the_index(corpus, django_capture_on_commit_callbacks):
    resource = corpus["resource"]
    with django_capture_on_commit_callbacks(execute=True):
        resource.title = "Manuel de survie des élu·es en transitions"
        resource.save()
    assert (
        kind_page(search_kinds_by("resources"), SiteQuery(text="survie"), offset=0, limit=5)[0] == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        resource.state = "draft"
        resource.save()
    assert not SearchDocument.objects.filter(kind="resources", object_id=resource.pk).exists()


@pytest.mark.parametrize(
    "text",
    [
        '"participation" OR NOT * AND (',
        "participation -habitants",
        "NEAR(a b)",
        "a" * 10_000,
        "😀 ' ; --",
        "\x00",
    ],
)
def test_operators_and_huge_queries_answer_normally(client, corpus, text):
    response = client.get(reverse("search:results"), {"q": text})
    assert response.status_code == 200
    assert client.get(reverse("search:suggest"), {"q": text}).status_code == 200


def test_the_page_groups_by_kind_and_one_click_shows_one_kind(client, corpus):
    page = client.get(reverse("search:results"), {"q": "participation"}).content.decode()
    assert "?q=participation&amp;type=resources" in page or "type=resources" in page
    one = client.get(
        reverse("search:results"), {"q": "participation", "type": "needs"}
    ).content.decode()
    assert corpus["need"].get_absolute_url() in one
    assert corpus["resource"].get_absolute_url() not in one
    assert (
        client.get(
            reverse("search:results"), {"q": "participation", "type": "needs", "page": "999999999"}
        ).status_code
        == 200
    )


def test_suggestions_as_one_types(client, corpus):
    titles = [hit.title for hit in suggestions("rencontres particip")]
    assert titles == ["Rencontres de la participation citoyenne"]
    fragment = client.get(
        reverse("search:suggest"), {"q": "rencontres"}, headers={"HX-Request": "true"}
    )
    assert "Rencontres de la participation" in fragment.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_results_page_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, count
):
    for n in range(count):
        ResourceFactory(title=f"Participation {n}")
        NeedFactory(title=f"Participation {n} ?")
    reindex_all()
    with django_assert_num_queries(EXPECTED_QUERIES):
        client.get(reverse("search:results"), {"q": "participation"})


# The facets' themes and départements, the counts and best hits of every indexed kind (their
# ranks, then their fields), the initiatives' count and page (their own index).
EXPECTED_QUERIES = 6


def test_same_results_on_both_databases(corpus):
    """The expected sets are written out: this module passes on SQLite and on PostgreSQL."""
    found = {
        group["kind"].key: sorted(hit.url for hit in group["hits"])
        for group in site_search(SiteQuery(text="habitants participer"))
    }
    assert found == {
        "initiatives": [corpus["initiative"].get_absolute_url()],
        "resources": [corpus["resource"].get_absolute_url()],
        "needs": [corpus["need"].get_absolute_url()],
    }


def test_calls_groups_and_worksites_are_found_and_only_when_public(db):
    from tests.calls.factories import CallFactory
    from tests.groups.factories import ExchangeGroupFactory
    from tests.worksites.factories import worksite_create

    CallFactory(title="Appel à candidatures pour la démocratie locale")
    CallFactory(title="Appel brouillon sur la démocratie", is_published=False)
    ExchangeGroupFactory(name="Groupe démocratie Est")
    worksite_create(question="Comment impliquer chacun dans le débat démocratique ?")
    hidden = worksite_create(question="Chantier démocratie interne")
    type(hidden).objects.filter(pk=hidden.pk).update(is_public=False)
    for key in ("calls", "groups", "worksites"):
        reindex(search_kinds_by(key))
    groups = site_search(SiteQuery(text="démocratie"))
    counts = keys(groups)
    assert counts.get("calls") == 1 and counts.get("groups") == 1 and counts.get("worksites") == 1
    titles = [hit.title for group in groups for hit in group["hits"]]
    assert not any("brouillon" in title.lower() or "interne" in title for title in titles)


def test_the_grouped_results_are_each_kind_s_first_page_in_its_order():
    """Every kind's best hits on the results page (one pass over the index) are the first ones
    of that kind's own page, in the same order, with the same counts."""
    for n in range(6):
        ResourceFactory(
            title=f"Budget participatif {n}" if n % 2 else f"Guide {n}",
            summary="Le budget participatif " * (n + 1),
            published_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
        )
        NeedFactory(title=f"Comment lancer un budget participatif ({n}) ?")
    reindex_all()
    query = SiteQuery(text="budget participatif")
    groups = {group["kind"].key: group for group in site_search(query, per_kind=3)}
    assert {"resources", "needs"} <= set(groups)
    for key in ("resources", "needs"):
        kind = next(kind for kind in search_kinds() if kind.key == key)
        count, hits = kind_page(kind, query, offset=0, limit=3)
        assert groups[key]["count"] == count == 6
        assert [hit.url for hit in groups[key]["hits"]] == [hit.url for hit in hits]
