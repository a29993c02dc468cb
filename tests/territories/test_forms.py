"""CommuneChoiceField, the commune input other apps' forms use."""

from django import forms

from terreau.territories.forms import CommuneChoiceField
from terreau.territories.models import Commune


class PlaceForm(forms.Form):
    commune = CommuneChoiceField()


class OptionalPlaceForm(forms.Form):
    commune = CommuneChoiceField(required=False, queryset=Commune.objects.filter(department="59"))


def test_the_field_accepts_an_insee_code_or_a_name_with_its_departement(tiny_region):
    for typed in ["62510", "Liévin (62)", " lievin (62) ", "Liévin"]:
        form = PlaceForm({"commune": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"] == Commune.objects.get(insee="62510")


def test_an_unknown_commune_gets_a_clear_french_message(tiny_region):
    form = PlaceForm({"commune": "Atlantis"})
    assert not form.is_valid()
    (message,) = form.errors["commune"]
    assert "Aucune commune ne correspond à « Atlantis »" in message
    assert "Liévin (62)" in message and "62510" in message


def test_an_ambiguous_name_asks_for_the_departement(tiny_region):
    from .factories import CommuneFactory, DepartmentFactory

    CommuneFactory(insee="59998", name="Liévin", department=DepartmentFactory(code="59"))
    form = PlaceForm({"commune": "Liévin"})
    assert not form.is_valid()
    assert "Plusieurs communes" in form.errors["commune"][0]


def test_the_field_is_required_unless_told_otherwise_and_can_be_restricted(tiny_region):
    assert PlaceForm({"commune": ""}).errors["commune"] == ["Ce champ est obligatoire."]
    optional = OptionalPlaceForm({"commune": ""})
    assert optional.is_valid() and optional.cleaned_data["commune"] is None
    outside = OptionalPlaceForm({"commune": "62510"})
    assert not outside.is_valid()
    assert OptionalPlaceForm({"commune": "59350"}).is_valid()


def test_the_input_shows_the_label_of_the_initial_commune_and_carries_its_suggestions(tiny_region):
    html = str(PlaceForm(initial={"commune": "62510"})["commune"])
    assert 'value="Liévin (62)"' in html
    assert 'list="id_commune-suggestions"' in html
    assert '<datalist id="id_commune-suggestions">' in html
    assert 'data-commune-search="/territoires/communes/recherche/"' in html
    assert "territories/commune-autocomplete.js" in html
    bound = str(PlaceForm({"commune": "Atlantis"})["commune"])
    assert 'value="Atlantis"' in bound and 'aria-invalid="true"' in bound


def test_the_field_knows_when_the_commune_changed(tiny_region):
    field = CommuneChoiceField()
    lievin = Commune.objects.get(insee="62510")
    assert not field.has_changed("62510", "Liévin (62)")
    assert not field.has_changed(lievin, "62510")
    assert field.has_changed("62510", "Lille (59)")
    assert field.has_changed(None, "Atlantis")
    assert not field.has_changed(None, "")
