"""Full-text search: accent- and case-insensitive, French word forms, any query is safe.

These tests run on SQLite and on PostgreSQL (DATABASE_URL): the behaviour must be the same.
"""

import pytest
from django.db import connection

from terreau.observatory import search
from terreau.observatory.filters import catalogue_from_query
from terreau.observatory.models import Initiative
from terreau.observatory.selectors.browse import initiative_catalogue
from tests.observatory.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def titles(query: str) -> set[str]:
    return {initiative.title for initiative in search.search_filter(Initiative.objects, query)}


def ranked(query: str) -> list[str]:

    from terreau.observatory.selectors.browse import catalogue_rows

    Initiative.objects.update(state="published")
    catalogue = initiative_catalogue(filters={"q": query})
    return [initiative.title for initiative in catalogue_rows(catalogue)[:50]]


@pytest.fixture
def initiatives():
    return {
        "budget": InitiativeFactory(
            title="Budget participatif des jeunes",
            summary="Les habitants votent pour leurs projets.",
        ),
        "assemblee": InitiativeFactory(
            title="Assemblée populaire d'Etouvie",
            summary="Une démarche participative de quartier.",
            description="Les **élus** rencontrent les habitants chaque mois.",
        ),
        "friche": InitiativeFactory(
            title="BW friches",
            summary="Un collectif occupe une friche à Fives.",
            lessons="Le pouvoir d'agir se construit dans la durée.",
        ),
    }


def test_a_masculine_form_finds_the_feminine_one(initiatives):
    assert titles("participatif") == {
        "Budget participatif des jeunes",
        "Assemblée populaire d'Etouvie",
    }


def test_a_word_without_accents_finds_the_accented_one(initiatives):
    assert titles("elus") == {"Assemblée populaire d'Etouvie"}
    assert titles("ASSEMBLEE") == {"Assemblée populaire d'Etouvie"}


def test_plural_and_singular_forms_match(initiatives):
    assert titles("friche") == {"BW friches"}
    assert titles("habitant") == {
        "Budget participatif des jeunes",
        "Assemblée populaire d'Etouvie",
    }


def test_lessons_are_searched(initiatives):
    assert titles("agir") == {"BW friches"}


def test_every_word_of_the_query_must_match(initiatives):
    assert titles("participative élus") == {"Assemblée populaire d'Etouvie"}
    assert titles("friche élus") == set()


def test_a_title_match_ranks_before_a_summary_match(initiatives):
    InitiativeFactory(title="Quartier en fête", summary="Une fête de quartier.")
    found = ranked("quartier")
    assert found[0] == "Quartier en fête"
    assert "Assemblée populaire d'Etouvie" in found


def test_edits_are_indexed_at_once(initiatives):
    initiative = initiatives["friche"]
    initiative.summary = "Un jardin partagé."
    initiative.save()
    assert titles("jardins") == {"BW friches"}
    assert titles("collectif") == set()
    Initiative.objects.filter(pk=initiative.pk).update(title="Les jardiniers")
    assert titles("jardiniers") == {"Les jardiniers"}
    Initiative.objects.filter(pk=initiative.pk).delete()
    assert titles("jardin") == set()


def test_search_index_update_and_rebuild_keep_the_same_results(initiatives):
    search.search_index_update(initiatives["budget"])
    search.search_index_rebuild()
    assert titles("budgets") == {"Budget participatif des jeunes"}


@pytest.mark.parametrize(
    "query",
    [
        '"budget',
        "budget AND OR NOT",
        "NEAR(budget jeunes)",
        "budget*",
        "-budget",
        "budget:jeunes",
        "(((",
        "' OR 1=1 --",
        "%_\\",
        "\x00budget",
        "😀 budget 🎉",
        "😀",
        "le la les de",
        "a" * 10_000,
        "budget " * 2_000,
        "",
        "    ",
    ],
)
def test_any_query_gives_results_or_nothing_but_never_an_error(initiatives, query):
    found = titles(query)
    assert found <= {
        "Budget participatif des jeunes",
        "Assemblée populaire d'Etouvie",
        "BW friches",
    }
    if query.strip() in {'"budget', "budget*", "-budget", "\x00budget", "😀 budget 🎉", "budget"}:
        assert found == {"Budget participatif des jeunes"}


def test_a_query_without_words_does_not_filter(initiatives):
    assert len(titles("😀")) == 3
    assert len(titles("de la")) == 3


def test_the_catalogue_sorts_a_search_by_relevance_and_marks_the_excerpt(initiatives):
    initiatives["assemblee"].state = initiatives["budget"].state = "published"
    initiatives["assemblee"].save()
    initiatives["budget"].save()
    catalogue = initiative_catalogue_for("participatif")
    assert catalogue.sort == "relevance"
    from terreau.observatory.selectors.browse import catalogue_rows

    rows = list(catalogue_rows(catalogue, with_text=True)[:10])
    assert [row.title for row in rows] == [
        "Budget participatif des jeunes",
        "Assemblée populaire d'Etouvie",
    ]
    excerpt = search.search_excerpt(rows[1], "participatif")
    assert "<mark>participative</mark>" in excerpt


def test_excerpts_escape_html():
    initiative = InitiativeFactory(summary="<script>alert(1)</script> élus")
    excerpt = search.search_excerpt(initiative, "elus")
    assert "<script>" not in excerpt
    assert "&lt;script&gt;" in excerpt
    assert "<mark>élus</mark>" in excerpt


def initiative_catalogue_for(query):
    return initiative_catalogue(filters={"q": query})


def test_runs_on_the_configured_database():
    assert connection.vendor in {"sqlite", "postgresql"}


def test_an_initiative_published_through_the_contribution_services_is_searchable(user, moderator):
    from terreau.observatory.services import proposals as proposal_services

    proposal = proposal_services.proposal_create(author=user)
    proposal_services.proposal_save_step(
        proposal=proposal,
        step=1,
        data={"title": "Marche exploratoire des femmes", "summary": "Des habitantes arpentent."},
    )
    proposal_services.proposal_submit(proposal=proposal)
    assert titles("marches exploratoires") == set()  # not published yet: the list filters it
    proposal_services.proposal_publish(proposal=proposal, moderator=moderator)
    published = search.search_filter(Initiative.objects.filter(state="published"), "habitante")
    assert [initiative.title for initiative in published] == ["Marche exploratoire des femmes"]


def test_an_edit_in_the_admin_is_searchable(client, staff):
    from django.urls import reverse

    initiative = InitiativeFactory(title="Ancien titre", summary="Résumé")
    client.force_login(staff)
    url = reverse("admin:observatory_initiative_change", args=[initiative.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "title": "Jardin partagé des Trois-Ponts",
        "summary": "Résumé",
        "slug": initiative.slug,
    }
    response = client.post(url, data | _inline_management(client.get(url)))
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    assert titles("jardins partages") == {"Jardin partagé des Trois-Ponts"}


def _inline_management(response) -> dict:
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial) or 0
    return data


def test_the_large_data_set_generator_makes_searchable_initiatives(settings):
    import random

    from terreau.observatory import dataset
    from tests.territories.factories import CommuneFactory

    CommuneFactory(insee="62498", name="Lens", population=32000, latitude=50.43, longitude=2.83)
    created = dataset.generate(scale="small", rng=random.Random(1), stdout=None)
    assert created == dataset.SIZES["small"] == Initiative.objects.count()
    assert Initiative.themes.through.objects.count() >= created
    assert Initiative.objects.filter(state="published").count() > created * 0.9
    assert search.search_filter(Initiative.objects.all(), "lens").count() == created


def test_a_search_with_filters_counts_and_ranks_only_what_both_select():
    """The list's paginator: with a filter beside the search, the count and the page hold the
    initiatives matching the words among those the filter selects, nothing else."""
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from terreau.observatory.selectors.browse import catalogue_rows

    InitiativeFactory(title="Budget participatif", scale="commune", state="published")
    InitiativeFactory(title="Budget des habitants", scale="commune", state="published")
    InitiativeFactory(title="Budget régional", scale="region", state="published")
    InitiativeFactory(title="Budget en brouillon", scale="commune", state="draft")
    InitiativeFactory(title="Jardin partagé", scale="commune", state="published")
    params = QueryDict("q=budget&scale=commune")
    page = Paginator(catalogue_rows(catalogue_from_query(params)), 20).get_page(1)
    assert page.paginator.count == 2
    assert {row.title for row in page.object_list} == {
        "Budget participatif",
        "Budget des habitants",
    }
    unknown = QueryDict("q=budget&theme=no-such-theme")
    assert Paginator(catalogue_rows(catalogue_from_query(unknown)), 20).count == 0
