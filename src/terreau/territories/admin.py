"""Django admin of the territories app.

The geography (regions, départements, EPCI, communes) comes from official data through
`manage.py load_territories`: staff can browse and search it, not edit it (an edit would be
overwritten by the next load). Zones are staff's own: editable, with autocomplete widgets.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Commune, Department, Epci, Region, Zone


class ReadOnlyGeographyAdmin(admin.ModelAdmin):
    """Viewable and searchable by staff; written only by the loader."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyGeographyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyGeographyAdmin):
    list_display = ["name", "code", "region", "commune_count"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    exclude = ["outline"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commune_total=Count("communes"))

    @admin.display(description=_("communes"), ordering="commune_total")
    def commune_count(self, obj):
        return obj.commune_total


@admin.register(Epci)
class EpciAdmin(ReadOnlyGeographyAdmin):
    list_display = ["name", "siren", "kind", "commune_count"]
    list_filter = ["kind"]
    search_fields = ["name", "siren"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commune_total=Count("communes"))

    @admin.display(description=_("communes"), ordering="commune_total")
    def commune_count(self, obj):
        return obj.commune_total


@admin.register(Commune)
class CommuneAdmin(ReadOnlyGeographyAdmin):
    list_display = ["name", "insee", "department", "postal_codes", "population", "epci"]
    list_filter = ["department", "epci__kind"]
    list_select_related = ["department", "epci"]
    search_fields = ["name", "search_name", "=insee", "postal_codes", "epci__name"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: "lievin" finds Liévin (search_name is the normalised name).
        from .text import normalize

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        normalized = normalize(search_term)
        if normalized and normalized != search_term:
            queryset |= self.model.objects.filter(search_name__contains=normalized)
        return queryset, may_have_duplicates


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "department_count", "commune_count"]
    search_fields = ["name", "slug", "description"]
    list_filter = ["departments"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["departments"]
    autocomplete_fields = ["communes"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                department_total=Count("departments", distinct=True),
                commune_total=Count("communes", distinct=True),
            )
        )

    @admin.display(description=_("départements"), ordering="department_total")
    def department_count(self, obj):
        return obj.department_total

    @admin.display(description=_("communes listed"), ordering="commune_total")
    def commune_count(self, obj):
        return obj.commune_total
