"""How the catalogue and the detail page read the database: same results on SQLite and
PostgreSQL (DATABASE_URL), whichever way the query is written for the planner."""

import datetime

import pytest
from django.http import QueryDict

from terreau.observatory.filters import InitiativeFilterForm, catalogue_from_query
from terreau.observatory.lookups import pk_in_subquery
from terreau.observatory.models import (
    Approach,
    ChangeType,
    Initiative,
    OrganiserType,
    Purpose,
    RecruitmentMethod,
)
from terreau.observatory.selectors import pages
from terreau.observatory.selectors.browse import initiative_catalogue, initiative_filtered
from tests.factories import ThemeFactory
from tests.observatory.factories import (
    FacilitationFormatFactory,
    InitiativeFactory,
    TargetPublicFactory,
)
from tests.territories.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    catalogue = catalogue_from_query(QueryDict(query))
    return [initiative.title for initiative in catalogue.queryset]


def test_an_empty_selection_cleans_to_an_empty_list():
    form = InitiativeFilterForm(QueryDict(""))
    assert form.is_valid()
    for name in ("theme", "department", "commune", "target_public", "format"):
        assert form.cleaned_data[name] == []


def test_the_selectors_read_cleaned_values_as_the_query_string_selects():
    theme = ThemeFactory(slug="habitat")
    nord = DepartmentFactory(code="59", name="Nord")
    chosen = InitiativeFactory(published=True, themes=[theme], department=nord, scale="commune")
    somme = DepartmentFactory(code="80", name="Somme")
    InitiativeFactory(published=True, themes=[theme], department=somme, scale="commune")
    InitiativeFactory(published=True, department=nord, scale="commune")
    from_query = catalogue_from_query(QueryDict("theme=habitat&department=59&scale=commune"))
    cleaned = {"theme": [theme], "department": [nord], "scale": ["commune"]}
    assert list(from_query.queryset) == list(initiative_catalogue(filters=cleaned).queryset)
    assert list(initiative_filtered(cleaned)) == [chosen]
    # A facet's scope leaves its own filter out.
    assert len(initiative_filtered(cleaned, excluded="department")) == 2


def test_a_value_that_names_nothing_selects_no_initiative_but_keeps_the_other_facets():
    InitiativeFactory(published=True, scale="commune")
    catalogue = catalogue_from_query(QueryDict("theme=nowhere&scale=commune"))
    assert list(catalogue.queryset) == []
    assert catalogue.filters["scale"] == ["commune"]


def test_the_catalogue_selectors_do_not_import_the_forms_layer():
    import ast
    import inspect

    from terreau.observatory.selectors import browse

    tree = ast.parse(inspect.getsource(browse))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any("filters" in name or "forms" in name for name in imported)


def test_pk_in_subquery_selects_what_pk_in_selects():
    theme = ThemeFactory()
    tagged = [InitiativeFactory(published=True, themes=[theme]) for _ in range(3)]
    InitiativeFactory(published=True)
    links = Initiative.themes.through.objects.filter(theme=theme).values("initiative_id")
    queryset = Initiative.objects.filter(state="published")
    assert set(pk_in_subquery(queryset, links)) == set(queryset.filter(pk__in=links)) == set(tagged)
    assert pk_in_subquery(queryset.filter(pk=tagged[0].pk), links).count() == 1


@pytest.fixture
def places():
    nord = DepartmentFactory(code="59", name="Nord")
    somme = DepartmentFactory(code="80", name="Somme")
    return {
        "lille": CommuneFactory(insee="59350", name="Lille", department=nord),
        "amiens": CommuneFactory(insee="80021", name="Amiens", department=somme),
    }


def test_subquery_filters_combine_with_column_filters_and_keep_the_sort(places):
    theme, format_ = ThemeFactory(slug="jardins"), FacilitationFormatFactory(slug="atelier")
    public = TargetPublicFactory(slug="habitants")
    for year, commune in ((2019, "lille"), (2023, "lille"), (2021, "amiens"), (2022, "lille")):
        InitiativeFactory(
            published=True,
            title=f"Jardin {year}",
            summary="Un jardin partagé par les habitants.",
            commune=places[commune],
            start_date=datetime.date(year, 1, 1),
            themes=[theme],
            facilitation_formats=[format_] if year != 2022 else [],
            target_publics=[public],
        )
    InitiativeFactory(published=True, title="Sans thème", commune=places["lille"])
    assert titles("theme=jardins&department=59") == ["Jardin 2023", "Jardin 2022", "Jardin 2019"]
    assert titles("theme=jardins&format=atelier&target_public=habitants&department=59") == [
        "Jardin 2023",
        "Jardin 2019",
    ]
    assert titles("format=atelier&sort=title") == ["Jardin 2019", "Jardin 2021", "Jardin 2023"]
    # The search tested as a list of matches (a column filter is set), or driving the query.
    assert titles("q=jardin&department=59&sort=date") == [
        "Jardin 2023",
        "Jardin 2022",
        "Jardin 2019",
    ]
    assert titles("q=jardin&year=2021") == ["Jardin 2021"]
    assert sorted(titles("q=jardin&theme=jardins")) == [
        "Jardin 2019",
        "Jardin 2021",
        "Jardin 2022",
        "Jardin 2023",
    ]


def test_the_vocabulary_of_an_initiative_comes_by_relation_in_each_vocabulary_order():
    parent = ThemeFactory(name="Écologie", position=1)
    late, early = ThemeFactory(name="B", position=2, parent=parent), ThemeFactory(name="A")
    purposes = [
        Purpose.objects.create(name="Zèle", slug="zele", position=0),
        Purpose.objects.create(name="Avis", slug="avis", position=1),
        Purpose.objects.create(name="Premier", slug="premier", position=0),
    ]
    approach = Approach.objects.create(name="Approche", slug="approche")
    recruitment = RecruitmentMethod.objects.create(name="Tirage au sort", slug="tirage")
    funder, organiser = (
        OrganiserType.objects.create(name="Commune", slug="commune"),
        OrganiserType.objects.create(name="Association", slug="association"),
    )
    change = ChangeType.objects.create(name="Politique", slug="politique")
    public, format_ = TargetPublicFactory(), FacilitationFormatFactory()
    initiative = InitiativeFactory(
        published=True,
        themes=[late, early],
        target_publics=[public],
        facilitation_formats=[format_],
    )
    initiative.purposes.set(purposes)
    initiative.approaches.set([approach])
    initiative.recruitment_methods.set([recruitment])
    initiative.funder_types.set([funder])
    initiative.organiser_types.set([organiser])
    initiative.change_types.set([change])
    InitiativeFactory(published=True, themes=[parent], target_publics=[public])

    vocabulary = pages.initiative_vocabulary(initiative=initiative)

    assert vocabulary["themes"] == [early, late]  # position, then name
    assert vocabulary["themes"][1].parent_id == parent.pk
    assert vocabulary["themes"][1].description == late.description  # read when asked
    assert [p.name for p in vocabulary["purposes"]] == ["Premier", "Zèle", "Avis"]
    assert vocabulary["target_publics"] == [public]
    assert vocabulary["facilitation_formats"] == [format_]
    assert vocabulary["approaches"] == [approach]
    assert vocabulary["recruitment_methods"] == [recruitment]
    assert vocabulary["funder_types"] == [funder]
    assert vocabulary["organiser_types"] == [organiser]
    assert vocabulary["change_types"] == [change]
    assert pages.initiative_vocabulary(initiative=InitiativeFactory()) == {
        name: [] for name in pages.VOCABULARY_RELATIONS
    }


def test_the_detail_page_shows_every_vocabulary(client):
    initiative = InitiativeFactory(
        published=True,
        themes=[ThemeFactory(name="Jeunesse")],
        target_publics=[TargetPublicFactory(name="Collégiens")],
        facilitation_formats=[FacilitationFormatFactory(name="Forum ouvert")],
    )
    initiative.purposes.set([Purpose.objects.create(name="Décider ensemble", slug="decider")])
    initiative.approaches.set([Approach.objects.create(name="Aller vers", slug="aller")])
    initiative.recruitment_methods.set([RecruitmentMethod.objects.create(name="Tirage", slug="t")])
    initiative.funder_types.set([OrganiserType.objects.create(name="Région", slug="region")])
    initiative.organiser_types.set([OrganiserType.objects.create(name="Centre social", slug="cs")])
    initiative.change_types.set([ChangeType.objects.create(name="Pratiques", slug="pratiques")])
    body = client.get(initiative.get_absolute_url()).content.decode()
    for name in (
        "Jeunesse",
        "Collégiens",
        "Forum ouvert",
        "Décider ensemble",
        "Aller vers",
        "Tirage",
        "Région",
        "Centre social",
        "Pratiques",
    ):
        assert f'<span class="tag">{name}</span>' in body


def test_related_initiatives_count_themes_and_formats_and_skip_unpublished(places):
    theme, other = ThemeFactory(), ThemeFactory()
    format_ = FacilitationFormatFactory()
    base = InitiativeFactory(
        published=True,
        commune=places["lille"],
        themes=[theme, other],
        facilitation_formats=[format_],
    )
    both = InitiativeFactory(
        published=True, commune=places["amiens"], themes=[theme], facilitation_formats=[format_]
    )
    two_themes = InitiativeFactory(published=True, commune=places["amiens"], themes=[theme, other])
    nearby = InitiativeFactory(published=True, commune=places["lille"], themes=[theme])
    InitiativeFactory(
        commune=places["lille"], themes=[theme, other], facilitation_formats=[format_]
    )
    far = InitiativeFactory(published=True, commune=places["amiens"], themes=[other])
    InitiativeFactory(published=True, commune=places["amiens"])
    # Two shared items each for the first three (a theme and a format, two themes, a theme
    # and the département): the most recent first; the draft never shows.
    assert pages.initiative_related(initiative=base) == [nearby, two_themes, both, far]
    vocabulary = pages.initiative_vocabulary(initiative=base)
    assert pages.initiative_related(initiative=base, vocabulary=vocabulary, limit=2) == [
        nearby,
        two_themes,
    ]


def test_without_themes_or_formats_related_initiatives_come_from_the_departement(places):
    base = InitiativeFactory(published=True, commune=places["lille"])
    neighbour = InitiativeFactory(published=True, commune=places["lille"])
    InitiativeFactory(published=True, commune=places["amiens"])
    assert pages.initiative_related(initiative=base) == [neighbour]
