"""Reads of the library: who sees what, filters, accent-insensitive search, order."""

import datetime as dt

import pytest

from terreau.library import selectors
from terreau.library.models import ResourceKind
from tests.factories import ThemeFactory, UserFactory
from tests.library.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:
    return [resource.title for resource in queryset]


def test_drafts_are_listed_for_moderators_and_staff_only(user, moderator, staff):
    ResourceFactory(title="Publiée")
    ResourceFactory(title="Brouillon", draft=True)
    assert titles(selectors.resource_list(user=None)) == ["Publiée"]
    assert titles(selectors.resource_list(user=user)) == ["Publiée"]
    assert set(titles(selectors.resource_list(user=moderator))) == {"Publiée", "Brouillon"}
    assert set(titles(selectors.resource_list(user=staff))) == {"Publiée", "Brouillon"}


def test_search_ignores_accents_and_case_in_titles_and_summaries():
    ResourceFactory(title="Les élus et la démocratie", summary="Un guide.")
    ResourceFactory(title="Budget", summary="Le rôle des ÉLUS dans le budget participatif")
    ResourceFactory(title="Autre chose", summary="Rien à voir.")
    assert len(selectors.resource_list(query="ELUS")) == 2
    assert titles(selectors.resource_list(query="democratie elus")) == ["Les élus et la démocratie"]
    assert titles(selectors.resource_list(query="Démocratie")) == ["Les élus et la démocratie"]
    assert not selectors.resource_list(query="introuvable")


def test_kind_year_and_theme_filters_combine():
    parent = ThemeFactory(name="Participation citoyenne")
    child = ThemeFactory(name="Concertation", parent=parent)
    match = ResourceFactory(
        title="Cible", kind=ResourceKind.GUIDE, published_on=dt.date(2014, 11, 18), themes=[child]
    )
    ResourceFactory(kind=ResourceKind.NEWS, published_on=dt.date(2014, 5, 1), themes=[child])
    ResourceFactory(kind=ResourceKind.GUIDE, published_on=dt.date(2015, 1, 1), themes=[child])
    ResourceFactory(kind=ResourceKind.GUIDE, published_on=dt.date(2014, 3, 1))
    found = selectors.resource_list(kind=ResourceKind.GUIDE, year="2014", theme=parent)
    assert list(found) == [match]  # the parent theme finds its sub-themes, without duplicates


def test_newest_first_and_undated_documents_last():
    ResourceFactory(title="Sans date", published_on=None)
    ResourceFactory(title="2015", published_on=dt.date(2015, 9, 29))
    ResourceFactory(title="2023", published_on=dt.date(2023, 5, 11))
    assert titles(selectors.resource_list()) == ["2023", "2015", "Sans date"]


def test_years_come_from_the_resources_the_user_may_see():
    ResourceFactory(published_on=dt.date(2015, 9, 29))
    ResourceFactory(published_on=dt.date(2015, 1, 2))
    ResourceFactory(published_on=dt.date(2023, 5, 11), draft=True)
    ResourceFactory(published_on=None)
    assert selectors.resource_years(user=None) == [2015]
    assert selectors.resource_years(user=UserFactory(is_moderator=True)) == [2023, 2015]


def test_the_cross_link_prefetch_keeps_published_resources_only():
    from terreau.observatory.models import Initiative
    from tests.observatory.factories import PublishedInitiativeFactory

    initiative = PublishedInitiativeFactory()
    ResourceFactory(title="Visible").initiatives.add(initiative)
    ResourceFactory(title="Cachée", draft=True).initiatives.add(initiative)
    found = Initiative.objects.prefetch_related(selectors.resources_published_prefetch()).get(
        pk=initiative.pk
    )
    assert titles(found.resources.all()) == ["Visible"]
