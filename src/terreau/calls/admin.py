"""Admin of the calls: kinds of call, and read access to calls and applications for support."""

from django.contrib import admin

from .models import Answer, Application, ApplicationLog, Call, CallKind, Criterion, Question


@admin.register(CallKind)
class CallKindAdmin(admin.ModelAdmin):
    list_display = ["name", "family", "position"]
    prepopulated_fields = {"slug": ["name"]}


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "opens_at", "closes_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title"]
    inlines = [QuestionInline, CriterionInline]
    filter_horizontal = ["zones", "reviewers"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


class LogInline(admin.TabularInline):
    model = ApplicationLog
    extra = 0
    readonly_fields = ["at", "by", "action", "reason"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant_name", "call", "state", "submitted_at"]
    list_filter = ["call", "state"]
    search_fields = ["applicant_name", "applicant_email"]
    raw_id_fields = ["applicant", "person", "organisation"]
    inlines = [AnswerInline, LogInline]
