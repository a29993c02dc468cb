"""The pieces every app shares: the charts and the list components."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from terreau.core.charts import bar_chart_svg, fill_bar_svg, stacked_bar_svg
from terreau.directory.models import Organisation
from terreau.events.models import Answer
from tests.directory.factories import OrganisationFactory, PersonFactory


def test_a_bar_chart_is_an_image_with_its_figures_and_no_link():
    svg = bar_chart_svg([("Nord", 3), ("<Somme>", 1)], title="Par département")
    assert 'role="img"' in svg and "<a " not in svg
    assert "<desc>Nord: 3; &lt;Somme&gt;: 1</desc>" in svg


def test_a_stacked_bar_lays_its_segments_end_to_end():
    svg = stacked_bar_svg([("1", 60.0), ("2", 25.5), ("unplaced", 14.5)], css_class="rank-bar")
    assert 'class="rank-bar"' in svg and 'aria-hidden="true"' in svg
    assert '<rect class="rank-1" x="0.0" width="60.0"' in svg
    assert '<rect class="rank-2" x="60.0" width="25.5"' in svg
    assert '<rect class="rank-unplaced" x="85.5" width="14.5"' in svg


def test_a_fill_bar_stays_on_its_track():
    assert 'class="fill-value" width="100"' in fill_bar_svg(130, css_class="fill-bar")
    assert 'class="fill-value" width="0"' in fill_bar_svg(-5, css_class="fill-bar")


def test_an_answer_reads_the_same_on_the_staff_page_and_in_the_csv_but_for_the_separator():
    assert Answer.text(["Atelier A", "Atelier B"]) == "Atelier A, Atelier B"
    assert Answer.text(["Atelier A", "Atelier B"], separator="; ") == "Atelier A; Atelier B"
    with translation.override("en"):
        assert Answer.text(True) == "Yes" and Answer.text(None) == ""


@pytest.mark.django_db
def test_the_organisations_list_links_each_one_and_names_one_without_a_page():
    lille = OrganisationFactory(name="Ville de Lille")
    unnamed = Organisation(name="Sans page", slug="")
    html = render_to_string(
        "directory/includes/organisations.html", {"organisations": [lille, unnamed]}
    )
    assert f'<a href="{lille.get_absolute_url()}">Ville de Lille</a>' in html
    assert "<li>Sans page</li>" in html


@pytest.mark.django_db
def test_the_card_list_shows_a_card_per_result_and_says_when_there_is_none():
    people = [PersonFactory(first_name="Ada", last_name="Lovelace", is_listed=True)]
    request = RequestFactory().get("/annuaire/personnes/")
    for results, expected in ((people, "Ada Lovelace"), ([], "Nobody here")):
        page = Paginator(results, 20).get_page(1)
        html = render_to_string(
            "components/card_list.html",
            {
                "results": page.object_list,
                "page_obj": page,
                "heading": "1 person",
                "empty": "Nobody here",
                "card": "directory/includes/person_card.html",
            },
            request=request,
        )
        assert '<section id="results"' in html and "<h2" in html
        assert expected in html


def test_a_service_error_lands_on_its_field_or_above_the_form():
    from django import forms
    from django.core.exceptions import ValidationError

    from terreau.core.forms import Form, apply_service_errors

    class NameForm(Form):
        name = forms.CharField()

    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError({"name": "Taken.", "elsewhere": "Refused."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Refused."]
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError("Closed."))
    assert form.non_field_errors() == ["Closed."]
