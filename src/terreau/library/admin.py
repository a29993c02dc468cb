"""Staff write the library in the Django admin: search, filters, autocompletes, attachments."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from terreau.directory.admin import NormalisedSearchMixin

from . import services
from .models import Resource, ResourceAttachment


class ResourceAttachmentInline(admin.TabularInline):
    model = ResourceAttachment
    extra = 1
    fields = ["title", "file", "position", "extraction", "extraction_error"]
    readonly_fields = ["extraction", "extraction_error"]


class PublishedOnYearFilter(admin.SimpleListFilter):
    title = _("year of publication")
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        years = Resource.objects.dates("published_on", "year", order="DESC")
        return [(str(date.year), str(date.year)) for date in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


@admin.register(Resource)
class ResourceAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "published_on", "state", "updated_at"]
    list_filter = ["state", "kind", PublishedOnYearFilter, "themes"]
    search_fields = ["search_text"]
    search_help_text = _("Title or summary; accents and case are ignored.")
    prepopulated_fields = {"slug": ["title"]}
    # Organisations and initiatives are many: autocompletes. Themes are a short taxonomy and
    # events have no admin of their own (staff manage them in the events' staff area).
    autocomplete_fields = ["organisations", "initiatives", "authors", "related", "commune"]
    filter_horizontal = ["themes", "events", "calls", "groups", "worksites"]
    inlines = [ResourceAttachmentInline]
    date_hierarchy = "published_on"
    list_per_page = 50
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "state", "published_on")}),
        (_("News"), {"fields": ("news_kind", "starts_at", "ends_at")}),
        (
            _("Content"),
            {"fields": ("summary", "body", "external_url", "licence", "language")},
        ),
        (_("Territory"), {"fields": ("commune",)}),
        (
            _("Links"),
            {
                "fields": (
                    "themes",
                    "authors",
                    "organisations",
                    "initiatives",
                    "events",
                    "calls",
                    "groups",
                    "worksites",
                    "related",
                )
            },
        ),
    )

    def save_formset(self, request, form, formset, change):
        """New attachments go to the task worker for their text and cover."""
        super().save_formset(request, form, formset, change)
        for attachment in formset.new_objects:
            if isinstance(attachment, ResourceAttachment):
                services.attachment_extraction_queue(attachment=attachment)

    @admin.action(description=_("Publish the selected resources"))
    def publish(self, request, queryset):
        for resource in queryset:
            services.resource_publish(resource=resource)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d resource published.", "%(count)d resources published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Move the selected resources back to draft"))
    def unpublish(self, request, queryset):
        for resource in queryset:
            services.resource_unpublish(resource=resource)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "%(count)d resource moved back to draft.",
                "%(count)d resources moved back to draft.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
