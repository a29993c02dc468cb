"""Staff manage worksites, their committee and participants in the Django admin; the
committee works in the worksite's own pages."""

from django.contrib import admin

from .models import (
    Case,
    CommitteeMember,
    CrossTheme,
    Edition,
    Participant,
    PoolingSynthesis,
    Publication,
    Report,
    Section,
    Worksite,
)


class CommitteeInline(admin.TabularInline):
    model = CommitteeMember
    autocomplete_fields = ["person"]
    extra = 1


class ParticipantInline(admin.TabularInline):
    model = Participant
    autocomplete_fields = ["person"]
    readonly_fields = ["consent_changed_at"]
    extra = 1


@admin.register(Worksite)
class WorksiteAdmin(admin.ModelAdmin):
    list_display = ["question", "starts_on", "ends_on", "status", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["question"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["convener", "partners"]
    raw_id_fields = ["pooling_day"]
    inlines = [CommitteeInline, ParticipantInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "worksite", "lead_organisation", "workshop", "position"]
    list_filter = ["worksite"]
    search_fields = ["title"]
    autocomplete_fields = ["initiative", "lead_organisation", "presenters"]
    raw_id_fields = ["workshop"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["title", "owner", "position", "version"]
    readonly_fields = ["version"]
    raw_id_fields = ["owner"]
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["case", "status", "validated_at", "returned_at"]
    list_filter = ["status"]
    readonly_fields = ["validated_at", "validated_by", "returned_at"]
    inlines = [SectionInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "worksite", "licence", "resource"]
    readonly_fields = ["identifier", "resource"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["publication", "number", "status", "progress", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Edition._meta.fields]


admin.site.register(CrossTheme)
admin.site.register(PoolingSynthesis)
