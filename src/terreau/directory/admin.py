"""Staff edit the directory in the Django admin: search, filters, autocompletes, inlines."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terreau.core.search import search_words

from .models import Membership, Organisation, Person


class NormalisedSearchMixin:
    """Admin search through the normalised `search_text` column (accents and case ignored),
    which is also what the autocompletes use."""

    normalised_search_fields = ["search_text"]

    def get_search_results(self, request, queryset, search_term):
        words = search_words(search_term)
        if not words:
            return queryset, False
        for word in words:
            condition = Q()
            for field in self.normalised_search_fields:
                condition |= Q(**{f"{field}__contains": word})
            queryset = queryset.filter(condition)
        return queryset, False


class DepartmentFilter(admin.SimpleListFilter):
    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        from terreau.territories.models import Department

        return [(d.code, str(d)) for d in Department.objects.order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(commune__department_id=self.value())
        return queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["person", "organisation", "role", "start_date", "end_date"]
    autocomplete_fields = ["person", "organisation"]


class OrganisationMembershipInline(MembershipInline):
    fk_name = "organisation"
    fields = ["person", "role", "start_date", "end_date"]
    autocomplete_fields = ["person"]


class PersonMembershipInline(MembershipInline):
    fk_name = "person"
    fields = ["organisation", "role", "start_date", "end_date"]
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "commune", "parent", "is_published"]
    list_filter = ["kind", "is_published", DepartmentFilter, "themes"]
    list_select_related = ["commune", "parent"]
    search_fields = ["search_text"]
    search_help_text = _("Name, acronym or commune; accents and case are ignored.")
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune", "parent"]
    filter_horizontal = ["themes"]
    inlines = [OrganisationMembershipInline]
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "slug", "acronym", "kind", "is_published")}),
        (_("Place and contact"), {"fields": ("commune", "address", "website", "email", "phone")}),
        (_("Presentation"), {"fields": ("description", "parent", "themes", "logo")}),
    )


@admin.register(Person)
class PersonAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = ["display_name", "title", "actor_category", "commune", "is_listed", "user"]
    list_filter = ["actor_category", "is_listed", "contact_consent", DepartmentFilter, "themes"]
    list_select_related = ["commune", "user"]
    search_fields = ["search_text"]
    search_help_text = _("Name or title; accents and case are ignored.")
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    autocomplete_fields = ["user", "commune"]
    filter_horizontal = ["themes"]
    inlines = [PersonMembershipInline]
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "slug", "title", "actor_category")}),
        (_("Profile"), {"fields": ("commune", "bio", "themes", "user")}),
        (_("Contact and consent"), {"fields": ("email", "phone", "is_listed", "contact_consent")}),
    )

    @admin.display(description=_("name"), ordering="last_name")
    def display_name(self, person):
        return person.display_name


@admin.register(Membership)
class MembershipAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = ["person", "organisation", "role", "start_date", "end_date"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__search_text", "organisation__search_text"]
    normalised_search_fields = ["person__search_text", "organisation__search_text"]
    autocomplete_fields = ["person", "organisation"]
    list_filter = ["organisation__kind"]
