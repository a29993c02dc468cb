"""Administration: staff edit the vocabularies, methods and initiatives; every change to an
initiative made here is recorded as a revision too."""

from django.contrib import admin
from django.utils.translation import gettext

from . import models
from .services.revisions import initiative_save_revision


@admin.register(
    models.TargetPublic,
    models.FacilitationFormat,
    models.RecruitmentMethod,
    models.Purpose,
    models.Approach,
    models.ChangeType,
    models.OrganiserType,
)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "duration", "updated_at"]
    list_filter = ["state", "facilitation_formats"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["facilitation_formats", "themes"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class InitiativeLinkInline(admin.TabularInline):
    model = models.InitiativeLink
    extra = 1


class InitiativeMediaInline(admin.TabularInline):
    model = models.InitiativeMedia
    extra = 0
    fields = ["kind", "file", "title", "alt_text"]


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "status", "commune", "completeness", "updated_at"]
    list_filter = ["state", "status", "phase", "completeness", "department"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["commune", "lead_organisations", "partners", "contacts"]
    filter_horizontal = list(models.INITIATIVE_VOCABULARIES)
    readonly_fields = ["completeness", "created_by", "created_at", "updated_at", "published_at"]
    inlines = [InitiativeLinkInline, InitiativeMediaInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        initiative_save_revision(
            initiative=form.instance,
            data={},
            author=request.user,
            publisher=request.user,
            message=gettext("Edited in the administration"),
            publish=False,
        )


@admin.register(models.InitiativeRevision)
class InitiativeRevisionAdmin(admin.ModelAdmin):
    list_display = ["initiative", "number", "author", "published_by", "created_at"]
    search_fields = ["initiative__title"]
    readonly_fields = [field.name for field in models.InitiativeRevision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalCommentInline(admin.TabularInline):
    model = models.ProposalComment
    extra = 0
    readonly_fields = ["author", "action", "body", "created_at"]
    can_delete = False


@admin.register(models.InitiativeProposal)
class InitiativeProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "state", "initiative", "updated_at"]
    list_filter = ["state"]
    readonly_fields = ["author", "initiative", "state", "data", "base_data", "base_revision"]
    inlines = [ProposalCommentInline]
