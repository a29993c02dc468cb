"""The library list's filters (django-filter): they parse the URL, selectors do the work."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.filters import FilterSet
from terreau.core.models import Theme
from terreau.directory.filters import theme_choices

from . import selectors
from .models import Need, NeedState, Resource, ResourceKind

PAGE_SIZES = (20, 50, 100)
ALL = pgettext_lazy("library filter: no restriction", "All")


class ResourceFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="keep",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("In titles and summaries; accents and case are ignored."),
    )
    type = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ResourceKind.choices, method="keep", empty_label=ALL
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=(), method="keep", empty_label=ALL
    )
    annee = django_filters.ChoiceFilter(label=_("Year"), choices=(), method="keep", empty_label=ALL)
    par_page = django_filters.ChoiceFilter(
        label=_("Results per page"),
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        method="keep",
        empty_label=None,
    )

    class Meta:
        model = Resource
        fields = ["q", "type", "theme", "annee", "par_page"]

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, queryset=Resource.objects.none(), **kwargs)
        self.user = user
        # One query each per request, shared by validation and rendering.
        self.themes = {t.slug: t for t in Theme.objects.active().order_by("position", "name")}
        self.filters["theme"].extra["choices"] = theme_choices(list(self.themes.values()))
        self.filters["annee"].extra["choices"] = [
            (str(year), str(year)) for year in selectors.resource_years(user=user)
        ]

    def keep(self, queryset, name, value):
        return queryset

    def cleaned(self, name):
        self.form.is_valid()  # invalid values are left out of cleaned_data and reported
        return self.form.cleaned_data.get(name) or None

    @property
    def page_size(self) -> int:
        return int(self.cleaned("par_page") or PAGE_SIZES[0])

    def filter_queryset(self, queryset):
        return selectors.resource_list(
            user=self.user,
            query=self.cleaned("q") or "",
            kind=self.cleaned("type") or "",
            theme=self.themes.get(self.cleaned("theme")),
            year=self.cleaned("annee"),
        )


class NeedFilter(FilterSet):
    """The co-development board's filters: words, state, theme, département."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="keep",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("In the questions and their context; accents and case are ignored."),
    )
    etat = django_filters.ChoiceFilter(
        label=_("State"),
        choices=(),
        method="keep",
        empty_label=pgettext_lazy("co-development filter", "Open needs"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=(), method="keep", empty_label=ALL
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=(), method="keep", empty_label=ALL
    )
    par_page = django_filters.ChoiceFilter(
        label=_("Results per page"),
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        method="keep",
        empty_label=None,
    )

    class Meta:
        model = Need
        fields = ["q", "etat", "theme", "departement", "par_page"]

    def __init__(self, data=None, *, user=None, **kwargs):
        from terreau.territories.models import Department

        super().__init__(data, queryset=Need.objects.none(), **kwargs)
        self.themes = {t.slug: t for t in Theme.objects.active().order_by("position", "name")}
        self.filters["theme"].extra["choices"] = theme_choices(list(self.themes.values()))
        self.departments = {d.code: d for d in Department.objects.order_by("code")}
        self.filters["departement"].extra["choices"] = [
            (code, f"{department.name} ({code})") for code, department in self.departments.items()
        ]
        self.filters["etat"].extra["choices"] = [
            (NeedState.RESOLVED, NeedState.RESOLVED.label),
            ("all", pgettext_lazy("co-development filter", "All needs")),
        ]

    def keep(self, queryset, name, value):
        return queryset

    def cleaned(self, name):
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or None

    @property
    def page_size(self) -> int:
        return int(self.cleaned("par_page") or PAGE_SIZES[0])

    def filter_queryset(self, queryset):
        from .selectors.codevelopment import need_list

        return need_list(
            query=self.cleaned("q") or "",
            state=self.cleaned("etat") or "",
            theme=self.themes.get(self.cleaned("theme")),
            department=self.departments.get(self.cleaned("departement")),
        )
