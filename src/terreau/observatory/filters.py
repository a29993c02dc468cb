"""The filters of the initiative catalogue, shared by the list, the map, the dashboard, the
exports and the API: every one reads the same query string. This module cleans it (the forms
layer); `selectors.browse` reads the catalogue from the cleaned values."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.models import Theme
from terreau.territories.models import Commune, Department

from .models import (
    FacilitationFormat,
    ParticipationLevel,
    Phase,
    Scale,
    Status,
    TargetPublic,
)
from .selectors import browse
from .selectors.browse import SortChoices


class YearsField(forms.Field):
    """Repeated `year=2021` parameters."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        years = []
        for item in value or []:
            if not (str(item).isdigit() and 1000 <= int(item) <= 2999):
                raise forms.ValidationError(_("Give years as four digits."), code="invalid")
            years.append(int(item))
        return years


def _values(choices) -> list[tuple[str, str]]:
    # Values as labels: the form is never rendered (facets are), and copying lazy labels on
    # every request costs more than the queries.
    return [(value, value) for value in choices.values]


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """An empty selection cleans to [] rather than `queryset.none()`: every filter tests its
    value for truth, and that of an empty queryset compiles a query (once per filter for the
    list, once per filter and facet for the facet counts)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, required=False, **kwargs)

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)


class InitiativeFilterForm(core_forms.Form):
    """The catalogue's filters. Facets combine with AND across facets and OR within one facet
    (see `selectors.browse.initiative_filtered`); the fields are in the order the filters
    apply."""

    q = forms.CharField(label=_("Search"), required=False)
    theme = ModelChoicesField(Theme.objects.all(), label=_("Theme"), to_field_name="slug")
    department = ModelChoicesField(Department.objects.only("code", "name"), label=_("Département"))
    commune = ModelChoicesField(Commune.objects.all(), label=_("Commune"))
    scale = forms.MultipleChoiceField(label=_("Scale"), choices=_values(Scale), required=False)
    status = forms.MultipleChoiceField(label=_("Status"), choices=_values(Status), required=False)
    phase = forms.MultipleChoiceField(label=_("Phase"), choices=_values(Phase), required=False)
    target_public = ModelChoicesField(
        TargetPublic.objects.all(), label=_("Target public"), to_field_name="slug"
    )
    format = ModelChoicesField(
        FacilitationFormat.objects.all(), label=_("Facilitation format"), to_field_name="slug"
    )
    level = forms.MultipleChoiceField(
        label=_("Participation level"), choices=_values(ParticipationLevel), required=False
    )
    year = YearsField(label=_("Start year"), required=False)


class SortForm(core_forms.Form):
    sort = forms.ChoiceField(label=_("Sort by"), choices=_values(SortChoices), required=False)


def catalogue_from_query(params: QueryDict) -> browse.Catalogue:
    """The catalogue that a query string selects: the filters and the sort are cleaned here,
    then read by `selectors.browse.initiative_catalogue`. Any search text is accepted; a filter
    value that names nothing (an unknown theme, département…) selects no initiative rather
    than being ignored."""
    form = InitiativeFilterForm(params)
    is_valid = form.is_valid()
    sort_form = SortForm(params)
    sort = sort_form.cleaned_data["sort"] if sort_form.is_valid() else ""
    return browse.initiative_catalogue(
        filters=form.cleaned_data, is_valid=is_valid, sort=sort, params=params
    )
