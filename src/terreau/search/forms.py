"""The site search's form: the words, the kind, and the facets every kind shares."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core import forms as core_forms
from terreau.core.models import Theme
from terreau.directory.filters import theme_choices

from .registry import search_kinds
from .selectors import MAX_QUERY_CHARS, SiteQuery, department_choices

ALL = pgettext_lazy("site search filter: no restriction", "All")


class QueryField(forms.CharField):
    """Any text is a valid query: a long one is cut, not refused."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_CHARS]


class SiteSearchForm(core_forms.Form):
    q = QueryField(
        label=_("Search the site"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    territoire = forms.ChoiceField(label=_("Département"), required=False)
    du = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {t.slug: t for t in Theme.objects.active().order_by("position", "name")}
        self.fields["theme"].choices = [("", ALL), *theme_choices(list(self.themes.values()))]
        self.fields["type"].choices = [("", ALL)] + [(k.key, k.label) for k in search_kinds()]
        self.fields["territoire"].choices = [("", ALL), *department_choices()]

    def site_query(self) -> SiteQuery:
        self.is_valid()
        data = self.cleaned_data
        return SiteQuery(
            text=data.get("q") or "",
            theme=self.themes.get(data.get("theme") or ""),
            department=data.get("territoire") or "",
            date_from=data.get("du"),
            date_to=data.get("au"),
        )
