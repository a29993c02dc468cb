"""The directory's list filters (django-filter): they parse the URL, selectors do the work."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.filters import FilterSet
from terreau.core.models import Theme
from terreau.territories.models import Department

from . import selectors
from .models import ActorCategory, Organisation, OrganisationKind, Person

PAGE_SIZES = (20, 50, 100)
ALL = pgettext_lazy("directory filter: no restriction", "All")


def theme_choices(themes: list[Theme]):
    """Themes grouped under their parent theme, by slug (for readable URLs)."""
    groups = []
    for parent in (theme for theme in themes if theme.parent_id is None):
        children = [(t.slug, t.label) for t in themes if t.parent_id == parent.pk]
        if children:
            groups.append((parent.label, [(parent.slug, parent.label), *children]))
        else:
            groups.append((parent.slug, parent.label))
    return groups


class DirectoryFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="keep",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=(), method="keep", empty_label=ALL
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=(), method="keep", empty_label=ALL
    )
    par_page = django_filters.ChoiceFilter(
        label=_("Results per page"),
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        method="keep",
        empty_label=None,
    )

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, queryset=self._meta.model.objects.none(), **kwargs)
        self.user = user
        # One query each per request, shared by validation and rendering.
        self.departments = {d.code: d for d in Department.objects.order_by("code")}
        self.themes = {t.slug: t for t in Theme.objects.active().order_by("position", "name")}
        self.filters["departement"].extra["choices"] = [
            (code, str(department)) for code, department in self.departments.items()
        ]
        self.filters["theme"].extra["choices"] = theme_choices(list(self.themes.values()))

    def keep(self, queryset, name, value):
        return queryset

    def cleaned(self, name):
        self.form.is_valid()  # invalid values are left out of cleaned_data and reported
        return self.form.cleaned_data.get(name) or None

    def chosen_department(self):
        return self.departments.get(self.cleaned("departement"))

    def chosen_theme(self):
        return self.themes.get(self.cleaned("theme"))

    @property
    def page_size(self) -> int:
        return int(self.cleaned("par_page") or PAGE_SIZES[0])


class OrganisationFilter(DirectoryFilter):
    type = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, method="keep", empty_label=ALL
    )

    class Meta:
        model = Organisation
        fields = ["q", "type", "departement", "theme", "par_page"]

    def filter_queryset(self, queryset):
        return selectors.organisation_list(
            user=self.user,
            query=self.cleaned("q") or "",
            kind=self.cleaned("type") or "",
            department=self.chosen_department(),
            theme=self.chosen_theme(),
        )


class PersonFilter(DirectoryFilter):
    categorie = django_filters.ChoiceFilter(
        label=_("Actor category"),
        choices=ActorCategory.choices,
        method="keep",
        empty_label=ALL,
    )

    class Meta:
        model = Person
        fields = ["q", "categorie", "departement", "theme", "par_page"]

    def filter_queryset(self, queryset):
        return selectors.person_list(
            user=self.user,
            query=self.cleaned("q") or "",
            actor_category=self.cleaned("categorie") or "",
            department=self.chosen_department(),
            theme=self.chosen_theme(),
        )
