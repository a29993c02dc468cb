"""The base of every django-filter FilterSet of the site: its form is screened like every form."""

import django_filters

from .forms import harden


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form refuses control characters, over-long values and ids out of range
    field by field (terreau.core.forms), so a hostile query string never reaches the database."""

    def get_form_class(self):
        return harden(super().get_form_class())
