"""The filters of the initiative catalogue, shared by the list, the map, the dashboard, the
exports and the API: every one reads the same query string."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.filters import FilterSet
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


# The filters on the initiative's own columns (those of the covering facets index).
COLUMN_FILTERS = ("department", "commune", "scale", "status", "phase", "level", "year")


class InitiativeFilter(FilterSet):
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
        method="filter_target_public",
    )
    format = ModelChoicesFilter(
        distinct=False,
        label=_("Facilitation format"),
        queryset=FacilitationFormat.objects.all(),
        to_field_name="slug",
        method="filter_format",
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

    # Whether the filters being applied include one on the initiative's own columns (then the
    # search tests its matches as membership, see search.search_filter).
    by_columns = False

    def filter_search(self, queryset, name, value):
        return search.search_filter(queryset, value, membership=self.by_columns)

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        ids = [theme.pk for theme in value]
        # A theme includes its sub-themes (a subquery: no query of its own).
        themes = Theme.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).values("pk")
        through = Initiative.themes.through
        return self._pk_in(queryset, through.objects.filter(theme_id__in=themes))

    def filter_target_public(self, queryset, name, value):
        if not value:
            return queryset
        through = Initiative.target_publics.through
        ids = [item.pk for item in value]
        return self._pk_in(queryset, through.objects.filter(targetpublic_id__in=ids))

    def filter_format(self, queryset, name, value):
        if not value:
            return queryset
        through = Initiative.facilitation_formats.through
        ids = [item.pk for item in value]
        return self._pk_in(queryset, through.objects.filter(facilitationformat_id__in=ids))

    def _pk_in(self, queryset: QuerySet, links: QuerySet) -> QuerySet:
        """The initiatives of `queryset` found in `links` (rows of a many-to-many table): a
        subquery, no duplicates, no DISTINCT; tested as membership (lookups.pk_in_subquery),
        so that SQLite walks the index of the other filters or of the sort order and stops
        at the end of the page, instead of reading and sorting every initiative of a theme."""
        return pk_in_subquery(queryset, links.values("initiative_id"))

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q()
        for year in value:
            condition |= Q(start_date__year=year)
        return queryset.filter(condition)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.filter_queryset_except(queryset, None)

    def filter_queryset_except(self, queryset: QuerySet, excluded: str | None) -> QuerySet:
        """The queryset with every valid filter applied but `excluded` (for facet counts)."""
        data = self.form.cleaned_data
        self.by_columns = any(data.get(name) for name in COLUMN_FILTERS if name != excluded)
        for name, value in data.items():
            if name != excluded:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class SortForm(core_forms.Form):
    sort = forms.ChoiceField(label=_("Sort by"), choices=_values(SortChoices), required=False)
