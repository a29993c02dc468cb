"""The filters of the initiative catalogue, shared by the list, the map, the dashboard, the
exports and the API: every one reads the same query string."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from terreau.core.models import Theme
from terreau.territories.models import Commune, Department

from . import search
from .lookups import pk_in_subquery
from .models import (
    FacilitationFormat,
    Initiative,
    ParticipationLevel,
    Phase,
    Scale,
    Status,
    TargetPublic,
)


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


class YearsFilter(django_filters.Filter):
    field_class = YearsField


def _values(choices) -> list[tuple[str, str]]:
    # Values as labels: the form is never rendered (facets are), and copying lazy labels on
    # every request costs more than the queries.
    return [(value, value) for value in choices.values]


class ModelChoicesField(django_filters.fields.ModelMultipleChoiceField):
    """An empty selection cleans to [] rather than `queryset.none()`: every filter tests its
    value for truth, and that of an empty queryset compiles a query (once per filter for the
    list, once per filter and facet for the facet counts)."""

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)


class ModelChoicesFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ModelChoicesField


class SortChoices:
    RELEVANCE = "relevance"
    DATE = "date"
    TITLE = "title"
    values = [RELEVANCE, DATE, TITLE]
    choices = [
        (RELEVANCE, _("Relevance")),
        (DATE, _("Most recent")),
        (TITLE, _("Title (A to Z)")),
    ]


def _through_filter(through, column: str):
    """Filter on a many-to-many relation with a subquery: no duplicates, no DISTINCT."""

    def method(queryset: QuerySet, name: str, value):
        if not value:
            return queryset
        ids = [item.pk for item in value]
        matching = through.objects.filter(**{f"{column}__in": ids}).values("initiative_id")
        return pk_in_subquery(queryset, matching)

    return method


class InitiativeFilter(django_filters.FilterSet):
    """Facets combine with AND across facets and OR within one facet."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    theme = ModelChoicesFilter(
        distinct=False,
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
    )
    department = ModelChoicesFilter(
        distinct=False,
        label=_("Département"),
        queryset=Department.objects.only("code", "name"),
        field_name="department",
    )
    commune = ModelChoicesFilter(
        distinct=False, label=_("Commune"), queryset=Commune.objects.all(), field_name="commune"
    )
    scale = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Scale"), choices=_values(Scale)
    )
    status = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Status"), choices=_values(Status)
    )
    phase = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Phase"), choices=_values(Phase)
    )
    target_public = ModelChoicesFilter(
        distinct=False,
        label=_("Target public"),
        queryset=TargetPublic.objects.all(),
        to_field_name="slug",
        method=_through_filter(Initiative.target_publics.through, "targetpublic_id"),
    )
    format = ModelChoicesFilter(
        distinct=False,
        label=_("Facilitation format"),
        queryset=FacilitationFormat.objects.all(),
        to_field_name="slug",
        method=_through_filter(Initiative.facilitation_formats.through, "facilitationformat_id"),
    )
    level = django_filters.MultipleChoiceFilter(
        distinct=False,
        label=_("Participation level"),
        choices=_values(ParticipationLevel),
        field_name="participation_level",
    )
    year = YearsFilter(label=_("Start year"), method="filter_year")

    class Meta:
        model = Initiative
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search.search_filter(queryset, value)

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        ids = {theme.pk for theme in value}
        # A theme includes its sub-themes.
        ids |= set(Theme.objects.filter(parent__in=ids).values_list("pk", flat=True))
        through = Initiative.themes.through
        return pk_in_subquery(
            queryset, through.objects.filter(theme_id__in=ids).values("initiative_id")
        )

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q()
        for year in value:
            condition |= Q(start_date__year=year)
        return queryset.filter(condition)

    def filter_queryset_except(self, queryset: QuerySet, excluded: str) -> QuerySet:
        """The queryset with every valid filter applied but `excluded` (for facet counts)."""
        for name, value in self.form.cleaned_data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class SortForm(forms.Form):
    sort = forms.ChoiceField(label=_("Sort by"), choices=_values(SortChoices), required=False)
