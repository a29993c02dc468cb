"""Pages of the worksites app: the public page, the private workspace, case presentations,
co-written reports (sections, revisions, comments, suggestions, status), the pooling day
and the publication's editions. Each view checks its permission on the object it loads."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from terreau.core import uploads
from terreau.core.forms import apply_service_errors
from terreau.core.markdown import render_markdown
from terreau.events.documents.pdf import pdf_response, render_pdf

from . import merge, selectors, services
from .forms import (
    CaseForm,
    CommentForm,
    CommitteeAddForm,
    CommitteeRoleForm,
    ConsentForm,
    ParticipantAddForm,
    PersonSearchForm,
    PresentationForm,
    PresenterAddForm,
    ReplyForm,
    ReportStatusForm,
    SectionAddForm,
    SectionForm,
    SectionOwnerForm,
    SuggestionForm,
    SynthesisForm,
    TagForm,
    ThemeForm,
    WorksiteForm,
    WorksiteStatusForm,
)
from .models import (
    Case,
    Comment,
    CommitteeMember,
    CrossTheme,
    Participant,
    PoolingSynthesis,
    ReportStatus,
    Section,
    Suggestion,
    ThemeTag,
)

MAX_ID = 2**31 - 1


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def worksite_view(perm: str | None, *, on: str = "worksite"):
    """Load the worksite (and the case, when the URL names one) and check `perm` on the
    worksite, the case or its report. Anonymous visitors go to the log-in page, others get a
    403; an unknown or hidden worksite is a 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, case_slug=None, **kwargs):
            worksite = selectors.worksite_get(slug=slug)
            if worksite is None or not request.user.has_perm("worksites.view_worksite", worksite):
                raise Http404
            case = None
            if case_slug is not None:
                case = selectors.case_get(worksite=worksite, slug=case_slug)
                if case is None:
                    raise Http404
                case.worksite = worksite
                case.report.case = case
            target = {"worksite": worksite, "case": case, "report": case and case.report}[on]
            if perm and not request.user.has_perm(perm, target):
                return _deny(request)
            if case is not None:
                return view(request, worksite, case, *args, **kwargs)
            return view(request, worksite, *args, **kwargs)

        return wrapped

    return decorator


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 <= number <= MAX_ID else default


def _report_url(worksite, case) -> str:
    return reverse("worksites:report", kwargs={"slug": worksite.slug, "case_slug": case.slug})


def _section(case, pk):
    section = selectors.section_get(report=case.report, pk=_int(pk, -1))
    if section is None:
        raise Http404
    section.report = case.report
    return section


# Public pages


@require_GET
def worksite_list(request):
    return render(
        request, "worksites/worksite_list.html", {"worksites": selectors.worksite_list_public()}
    )


@require_GET
@worksite_view("worksites.view_worksite")
def worksite_detail(request, worksite):
    return render(
        request,
        "worksites/worksite_detail.html",
        {"worksite": worksite, **selectors.worksite_page(worksite=worksite)},
    )


@require_GET
@worksite_view("worksites.view_worksite", on="case")
def bulletin_pdf(request, worksite, case):
    """The paper registration form (bulletin d'inscription) of the case's workshop, made of
    the event's own registration questions."""
    event = case.workshop
    if event is None or not request.user.has_perm("events.view_event", event):
        raise Http404
    questions = list(event.questions.filter(purpose="registration"))
    from terreau.directory.models import ActorCategory

    content = render_pdf(
        "worksites/pdf/bulletin.html",
        {
            "event": event,
            "case": case,
            "worksite": worksite,
            "questions": questions,
            "categories": ActorCategory.choices,
            "pdf_title": _("Registration form — %s") % event.title,
        },
        stylesheets=("worksites/pdf/bulletin.css",),
    )
    return pdf_response(content, f"bulletin-inscription-{case.slug}")


# The private workspace


@require_GET
@worksite_view("worksites.view_workspace")
def workspace(request, worksite):
    participant = selectors.participant_of(user=request.user, worksite=worksite)
    cases = list(selectors.worksite_cases(worksite=worksite))
    for case in cases:
        case.worksite = worksite
        case.report.case = case
    return render(
        request,
        "worksites/workspace.html",
        {
            "worksite": worksite,
            "cases": cases,
            "participant": participant,
            "consent_form": ConsentForm(
                initial={"consents": participant.consents_to_listing} if participant else None
            ),
            "roles": selectors.worksite_roles(user=request.user, worksite=worksite),
        },
    )


@require_POST
@worksite_view("worksites.view_workspace")
def consent_change(request, worksite):
    participant = selectors.participant_of(user=request.user, worksite=worksite)
    if participant is None or not request.user.has_perm("worksites.change_consent", participant):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    consents = form.is_valid() and form.cleaned_data["consents"]
    services.participant_set_consent(participant=participant, consents=consents)
    messages.success(
        request,
        _("You will be listed among the contributors.")
        if consents
        else _("You will not be listed among the contributors of the next editions."),
    )
    return redirect("worksites:workspace", slug=worksite.slug)


def _case_create_view(request, worksite):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                worksite=worksite,
                title=data["title"],
                lead_organisation=data["lead_organisation"],
                initiative=data["initiative"],
                workshop_starts_at=data["workshop_starts_at"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Case added, with its report and its three sections."))
            return redirect("worksites:presentation", slug=worksite.slug, case_slug=case.slug)
    return render(request, "worksites/case_form.html", {"worksite": worksite, "form": form})


case_create = worksite_view("worksites.manage_worksite")(_case_create_view)


# Case presentation


@worksite_view("worksites.edit_presentation", on="case")
def presentation_edit(request, worksite, case):
    form = PresentationForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        services.case_presentation_update(case=case, fields=form.cleaned_data, by=request.user)
        messages.success(request, _("Presentation saved."))
        return redirect("worksites:presentation", slug=worksite.slug, case_slug=case.slug)
    return render(
        request,
        "worksites/presentation_form.html",
        {
            "worksite": worksite,
            "case": case,
            "form": form,
            "recipients": len(selectors.workshop_recipients(event=case.workshop))
            if case.workshop_id
            else 0,
        },
    )


@require_POST
@worksite_view("worksites.send_presentation", on="case")
def presentation_send(request, worksite, case):
    try:
        count = services.case_presentation_send(case=case, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Presentation sent to %(count)s registered people.") % {"count": count}
        )
    return redirect("worksites:presentation", slug=worksite.slug, case_slug=case.slug)


@require_GET
@worksite_view("worksites.view_registrant_mix", on="case")
def registrant_mix(request, worksite, case):
    rows, total = selectors.registrant_mix(case=case)
    return render(
        request,
        "worksites/registrant_mix.html",
        {"worksite": worksite, "case": case, "rows": rows, "total": total},
    )


# The co-written report


def _thread_links(request, worksite, case, threads, section) -> None:
    """What each thread's buttons need (thread rows of `selectors.thread_rows`), computed here
    once rather than per thread in the template: the resolve link from one reversed URL, and
    the permission asked of the rule on a bare comment (its author and section are all the
    rule reads)."""
    pattern = reverse(
        "worksites:comment_resolve",
        kwargs={"slug": worksite.slug, "case_slug": case.slug, "comment_id": 2**31 - 1},
    )
    for thread in threads:
        comment = Comment(pk=thread["pk"], author_id=thread["author_id"], section=section)
        thread["can_resolve"] = request.user.has_perm("worksites.resolve_comment", comment)
        thread["resolve_url"] = pattern.replace(str(2**31 - 1), str(thread["pk"]))


def _section_links(request, worksite, case, section) -> None:
    kwargs = {"slug": worksite.slug, "case_slug": case.slug, "pk": section.pk}
    section.comment_url = reverse("worksites:comment_add", kwargs=kwargs)
    section.can_edit = request.user.has_perm("worksites.edit_section", section)
    section.can_decide = request.user.has_perm("worksites.decide_suggestion", section)


@require_GET
@worksite_view("worksites.view_report", on="report")
def report_detail(request, worksite, case):
    report = case.report
    sections = selectors.report_page(report=report)
    for section in sections:
        section.report = report
        section.html = selectors.section_html(section)
        _section_links(request, worksite, case, section)
        _thread_links(request, worksite, case, section.open_threads, section)
        for suggestion in section.pending_suggestions:
            suggestion.section = section
    return render(
        request,
        "worksites/report_detail.html",
        {
            "worksite": worksite,
            "case": case,
            "report": report,
            "sections": sections,
            "section_add_form": SectionAddForm(),
            "statuses": ReportStatus,
            "can_comment": request.user.has_perm("worksites.comment", report),
        },
    )


@require_GET
@worksite_view("worksites.view_report", on="report")
def section_comments(request, worksite, case, pk):
    """Every comment thread of a section, open ones first, 50 a page."""
    section = _section(case, pk)
    _section_links(request, worksite, case, section)
    page = Paginator(selectors.section_threads(section=section), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.thread_rows(page.object_list)
    _thread_links(request, worksite, case, page.object_list, section)
    return render(
        request,
        "worksites/section_comments.html",
        {
            "worksite": worksite,
            "case": case,
            "section": section,
            "page_obj": page,
            "can_comment": request.user.has_perm("worksites.comment", case.report),
        },
    )


STATUS_PERMS = {
    (ReportStatus.DRAFT, ReportStatus.IN_REVIEW): "worksites.submit_report",
    (ReportStatus.IN_REVIEW, ReportStatus.DRAFT): "worksites.submit_report",
    (ReportStatus.IN_REVIEW, ReportStatus.VALIDATED): "worksites.validate_report",
    (ReportStatus.VALIDATED, ReportStatus.DRAFT): "worksites.validate_report",
}


@require_POST
@worksite_view("worksites.view_report", on="report")
def report_status(request, worksite, case):
    report = case.report
    form = ReportStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect(_report_url(worksite, case))
    status = form.cleaned_data["status"]
    perm = STATUS_PERMS.get((report.status, status))
    if perm and not request.user.has_perm(perm, report):
        raise PermissionDenied
    if perm is None and not request.user.has_perm("worksites.submit_report", report):
        raise PermissionDenied
    try:
        services.report_set_status(report=report, status=status, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Report status changed."))
    return redirect(_report_url(worksite, case))


@require_POST
@worksite_view("worksites.return_report", on="report")
def report_return(request, worksite, case):
    try:
        count = services.report_return(report=case.report, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("The report is being sent to the %(count)s participants of the workshop.")
            % {"count": count},
        )
    return redirect(_report_url(worksite, case))


@require_POST
@worksite_view("worksites.add_section", on="report")
def section_add(request, worksite, case):
    form = SectionAddForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"title": _("Give the section a title.")})
        services.section_add(report=case.report, title=form.cleaned_data["title"], by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Section added."))
    return redirect(_report_url(worksite, case))


@worksite_view("worksites.view_report", on="report")
def section_edit(request, worksite, case, pk):
    section = _section(case, pk)
    if not request.user.has_perm("worksites.edit_section", section):
        raise PermissionDenied
    conflict = None
    form = SectionForm(
        request.POST or None, initial={"body": section.body, "base_version": section.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                section=section,
                body=form.cleaned_data["body"],
                base_version=form.cleaned_data["base_version"],
                by=request.user,
            )
        except services.SectionConflict as error:
            merged = merge.merge3(
                error.base,
                error.theirs,
                error.yours,
                theirs_label=_("their version"),
                yours_label=_("your version"),
            )
            conflict = {"error": error, "merged": merged}
            # The form now builds on the current version: saving the merge is a normal save.
            form = SectionForm(initial={"body": merged.text, "base_version": error.current_version})
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Section saved (version %(v)s).") % {"v": section.version})
            return redirect(_report_url(worksite, case) + f"#section-{section.pk}")
    status = 409 if conflict else 200
    return render(
        request,
        "worksites/section_form.html",
        {
            "worksite": worksite,
            "case": case,
            "section": section,
            "form": form,
            "conflict": conflict,
            "preview": render_markdown(form["body"].value() or ""),
        },
        status=status,
    )


@require_POST
@worksite_view("worksites.view_report", on="report")
def section_preview(request, worksite, case, pk):
    """The live preview of the section being edited (htmx): sanitised Markdown."""
    section = _section(case, pk)
    if not request.user.has_perm("worksites.edit_section", section):
        raise PermissionDenied
    text = request.POST.get("body", "")[: services.MAX_BODY].replace("\x00", "")
    return HttpResponse(render_markdown(text) or mark_safe(""))


@require_GET
@worksite_view("worksites.view_report", on="report")
def section_history(request, worksite, case, pk):
    section = _section(case, pk)
    revisions = list(selectors.section_revisions(section=section)[:200])
    selected = _int(request.GET.get("version"))
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1].body if index + 1 < len(revisions) else ""
        diff = (
            merge.unified_diff(previous, revision.body)
            if selected in (None, revision.version)
            else None
        )
        rows.append({"revision": revision, "diff": diff})
    return render(
        request,
        "worksites/section_history.html",
        {"worksite": worksite, "case": case, "section": section, "rows": rows},
    )


@require_POST
@worksite_view("worksites.view_report", on="report")
def section_restore(request, worksite, case, pk, version):
    section = _section(case, pk)
    if not request.user.has_perm("worksites.edit_section", section):
        raise PermissionDenied
    revision = (
        selectors.section_revisions(section=section).filter(version=_int(version, -1)).first()
    )
    if revision is None:
        raise Http404
    try:
        services.section_restore(section=section, revision=revision, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Version %(v)s restored as a new version.") % {"v": revision.version}
        )
    return redirect(_report_url(worksite, case) + f"#section-{section.pk}")


# Comments and suggestions


@require_POST
@worksite_view("worksites.comment", on="report")
def comment_add(request, worksite, case, pk):
    section = _section(case, pk)
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(
            section=section, pk=_int(request.POST["parent"], -1)
        ).first()
        if parent is None:
            raise Http404
        form = ReplyForm(request.POST)
    else:
        form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(dict(form.errors.items()) or _("The comment is not valid."))
        services.comment_add(
            section=section,
            body=form.cleaned_data["body"],
            quote=form.cleaned_data.get("quote", ""),
            start=form.cleaned_data.get("start"),
            parent=parent,
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Comment added."))
    return redirect(_report_url(worksite, case) + f"#section-{section.pk}")


@require_POST
@worksite_view("worksites.view_report", on="report")
def comment_resolve(request, worksite, case, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("section"),
        pk=_int(comment_id, -1),
        section__report=case.report,
        parent__isnull=True,
    )
    comment.section.report = case.report
    if not request.user.has_perm("worksites.resolve_comment", comment):
        raise PermissionDenied
    if request.POST.get("action") == "reopen":
        services.comment_reopen(comment=comment)
        messages.success(request, _("Comment reopened."))
    else:
        services.comment_resolve(comment=comment, by=request.user)
        messages.success(request, _("Comment resolved."))
    return redirect(_report_url(worksite, case) + f"#section-{comment.section_id}")


@require_POST
@worksite_view("worksites.suggest", on="report")
def suggestion_add(request, worksite, case, pk):
    section = _section(case, pk)
    form = SuggestionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(dict(form.errors))
        services.suggestion_add(
            section=section,
            quote=form.cleaned_data["quote"],
            replacement=form.cleaned_data["replacement"],
            start=form.cleaned_data.get("start"),
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Suggestion sent to the section's owner."))
    return redirect(_report_url(worksite, case) + f"#section-{section.pk}")


@require_POST
@worksite_view("worksites.view_report", on="report")
def suggestion_decide(request, worksite, case, suggestion_id):
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("section"),
        pk=_int(suggestion_id, -1),
        section__report=case.report,
    )
    suggestion.section.report = case.report
    if not request.user.has_perm("worksites.decide_suggestion", suggestion):
        raise PermissionDenied
    try:
        if request.POST.get("decision") == "accept":
            services.suggestion_accept(suggestion=suggestion, by=request.user)
            messages.success(request, _("Suggestion accepted: the section has a new version."))
        else:
            services.suggestion_reject(suggestion=suggestion, by=request.user)
            messages.success(request, _("Suggestion rejected."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(_report_url(worksite, case) + f"#section-{suggestion.section_id}")


# Pooling day: themes, tagged passages, syntheses


@worksite_view("worksites.tag_passages")
def themes(request, worksite):
    theme_form = ThemeForm(prefix="theme")
    tag_form = TagForm(
        prefix="tag",
        themes=CrossTheme.objects.filter(worksite=worksite),
        sections=selectors.worksite_sections(worksite=worksite),
    )
    if request.method == "POST":
        try:
            if "theme-name" in request.POST:
                theme_form = ThemeForm(request.POST, prefix="theme")
                if theme_form.is_valid():
                    services.theme_create(worksite=worksite, name=theme_form.cleaned_data["name"])
                    messages.success(request, _("Theme added."))
                    return redirect("worksites:themes", slug=worksite.slug)
            else:
                tag_form = TagForm(
                    request.POST,
                    prefix="tag",
                    themes=CrossTheme.objects.filter(worksite=worksite),
                    sections=selectors.worksite_sections(worksite=worksite),
                )
                if tag_form.is_valid():
                    data = tag_form.cleaned_data
                    services.theme_tag_add(
                        theme=data["theme"],
                        section=data["section"],
                        quote=data["quote"],
                        by=request.user,
                    )
                    messages.success(request, _("Passage tagged."))
                    return redirect("worksites:themes", slug=worksite.slug)
        except ValidationError as error:
            apply_service_errors(
                tag_form if "theme-name" not in request.POST else theme_form, error
            )
    return render(
        request,
        "worksites/themes.html",
        {
            "worksite": worksite,
            "themes": selectors.theme_gathering(worksite=worksite),
            "theme_form": theme_form,
            "tag_form": tag_form,
        },
    )


@require_POST
@worksite_view("worksites.tag_passages")
def tag_remove(request, worksite, tag_id):
    tag = get_object_or_404(ThemeTag, pk=_int(tag_id, -1), theme__worksite=worksite)
    services.theme_tag_remove(tag=tag)
    messages.success(request, _("Tag removed."))
    return redirect("worksites:themes", slug=worksite.slug)


@worksite_view("worksites.view_worksite")
def pooling(request, worksite):
    """The pooling day's page: the exchange groups' syntheses (the committee records them)."""
    can_write = request.user.has_perm("worksites.write_synthesis", worksite)
    themes_qs = CrossTheme.objects.filter(worksite=worksite)
    editing = None
    if can_write and request.GET.get("synthesis"):
        editing = get_object_or_404(
            PoolingSynthesis, pk=_int(request.GET["synthesis"], -1), worksite=worksite
        )
    initial = (
        {"group_name": editing.group_name, "theme": editing.theme_id, "body": editing.body}
        if editing
        else None
    )
    form = SynthesisForm(initial=initial, themes=themes_qs)
    if request.method == "POST":
        if not can_write:
            return _deny(request)
        if request.POST.get("synthesis"):
            editing = get_object_or_404(
                PoolingSynthesis, pk=_int(request.POST["synthesis"], -1), worksite=worksite
            )
        form = SynthesisForm(request.POST, themes=themes_qs)
        if form.is_valid():
            try:
                services.synthesis_save(
                    worksite=worksite, synthesis=editing, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Synthesis saved."))
                return redirect("worksites:pooling", slug=worksite.slug)
    return render(
        request,
        "worksites/pooling.html",
        {
            "worksite": worksite,
            "syntheses": PoolingSynthesis.objects.filter(worksite=worksite).select_related("theme"),
            "form": form,
            "editing": editing,
            "can_write": can_write,
        },
    )


# The publication


@worksite_view("worksites.build_publication")
def publication(request, worksite):
    if request.method == "POST":
        try:
            edition = services.edition_request(worksite=worksite, by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Edition %(n)s is being built.") % {"n": edition.number})
        return redirect("worksites:publication", slug=worksite.slug)
    return render(
        request,
        "worksites/publication.html",
        {
            "worksite": worksite,
            "editions": selectors.editions(worksite=worksite),
            "validated": selectors.validated_report_count(worksite=worksite),
            "publication": services.publication_get(worksite=worksite),
        },
    )


@require_GET
@worksite_view("worksites.build_publication")
def edition_progress(request, worksite, number):
    edition = selectors.edition_get(worksite=worksite, number=_int(number, -1))
    if edition is None:
        raise Http404
    return render(
        request, "worksites/publication.html#edition", {"worksite": worksite, "edition": edition}
    )


def _edition(request, worksite, number):
    edition = selectors.edition_get(worksite=worksite, number=_int(number, -1))
    if edition is None or not request.user.has_perm("worksites.view_edition", edition):
        raise Http404
    return edition


@require_GET
@worksite_view("worksites.view_worksite")
def edition_detail(request, worksite, number):
    edition = _edition(request, worksite, number)
    if not edition.is_ready:
        raise Http404
    try:
        with edition.html_file.open("rb") as handle:
            body = handle.read().decode()
    except FileNotFoundError:
        raise Http404 from None
    latest = selectors.edition_latest_ready(worksite=worksite)
    return render(
        request,
        "worksites/edition_detail.html",
        {
            "worksite": worksite,
            "edition": edition,
            "latest": latest,
            # Built by us from sanitised Markdown (publication.book_build).
            "body": mark_safe(body),  # noqa: S308
        },
    )


def _edition_file(request, worksite, number, kind):
    edition = _edition(request, worksite, number)
    if not edition.is_ready:
        raise Http404
    field, content_type = {
        "pdf": (edition.pdf_file, "application/pdf"),
        "epub": (edition.epub_file, "application/epub+zip"),
    }[kind]
    return uploads.protected_file_response(
        field,
        content_type=content_type,
        as_attachment=kind == "epub",
        download_name=f"{worksite.slug}-edition-{edition.number}.{kind}",
    )


@require_GET
@worksite_view("worksites.view_worksite")
def edition_pdf(request, worksite, number):
    return _edition_file(request, worksite, number, "pdf")


@require_GET
@worksite_view("worksites.view_worksite")
def edition_epub(request, worksite, number):
    return _edition_file(request, worksite, number, "epub")


@worksite_view("worksites.edit_worksite")
def worksite_edit(request, worksite):
    """What the worksite is: its question, period, texts, partners and target mix."""
    form = WorksiteForm(request.POST or None, instance=worksite)
    if request.method == "POST" and form.is_valid():
        try:
            services.worksite_update(
                worksite=worksite,
                fields=form.cleaned_data,
                convener=form.cleaned_data["convener"],
                partner_ids=form.cleaned_data["partners"],
                target_mix=form.target_mix(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Worksite saved."))
            return redirect("worksites:detail", slug=worksite.slug)
    return render(request, "worksites/worksite_form.html", {"worksite": worksite, "form": form})


# Members: the committee, the participants and the sections' owners


def _members_url(worksite, query: str = "") -> str:
    url = reverse("worksites:members", kwargs={"slug": worksite.slug})
    return url + (f"?{urlencode({'q': query})}" if query else "")


@require_GET
@worksite_view("worksites.view_workspace")
def members(request, worksite):
    """Who is in the worksite; its chairs and coordinators (and staff) add and remove people
    of the directory, change committee roles, the sections' owners and the worksite's stage."""
    can_manage = request.user.has_perm("worksites.manage_members", worksite)
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if can_manage and search.is_valid() else ""
    page = selectors.members_page(worksite=worksite)
    users = selectors.member_users(worksite=worksite)
    if can_manage:
        choices = SectionOwnerForm.choices_for(users)  # one query for every section's form
        for section in page["sections"]:
            section.owner_form = SectionOwnerForm(
                initial={"owner": section.owner_id},
                users=users,
                choices=choices,
                prefix=f"s{section.pk}",
            )
    return render(
        request,
        "worksites/members.html",
        {
            "worksite": worksite,
            **page,
            "can_manage": can_manage,
            "can_change_status": request.user.has_perm("worksites.change_status", worksite),
            "status_form": WorksiteStatusForm(initial={"status": worksite.status}),
            "search_form": search,
            "query": query,
            "people": selectors.person_search(user=request.user, worksite=worksite, query=query)
            if query
            else [],
            "roles": CommitteeMember.Role.choices,
        },
    )


def _person_action(request, worksite, form_class, add, **form_kwargs):
    """Add the person of a search result (committee, participant or presenter) and go back
    to the search."""
    form = form_class(request.POST, user=request.user, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            name = add(form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, name)
    return redirect(_members_url(worksite, request.POST.get("q", "")[:200]))


@require_POST
@worksite_view("worksites.manage_members")
def committee_add(request, worksite):
    def add(data):
        member = services.committee_member_add(
            worksite=worksite, person=data["person"], role=data["role"]
        )
        return _("%(name)s is on the steering committee (%(role)s).") % {
            "name": member.person,
            "role": member.get_role_display(),
        }

    return _person_action(request, worksite, CommitteeAddForm, add)


@require_POST
@worksite_view("worksites.manage_members")
def participant_add(request, worksite):
    def add(data):
        participant = services.participant_add(worksite=worksite, person=data["person"])
        return _("%(name)s is a participant of the worksite.") % {"name": participant.person}

    return _person_action(request, worksite, ParticipantAddForm, add)


@require_POST
@worksite_view("worksites.manage_members")
def presenter_add(request, worksite):
    def add(data):
        services.case_presenter_add(case=data["case"], person=data["person"])
        return _("%(name)s presents the case “%(case)s”.") % {
            "name": data["person"],
            "case": data["case"],
        }

    return _person_action(
        request, worksite, PresenterAddForm, add, cases=Case.objects.filter(worksite=worksite)
    )


@require_POST
@worksite_view("worksites.manage_members")
def presenter_remove(request, worksite, case_id, person_id):
    case = Case.objects.filter(worksite=worksite, pk=_int(case_id, -1)).first()
    person = case and case.presenters.filter(pk=_int(person_id, -1)).first()
    if person is None:
        raise Http404
    services.case_presenter_remove(case=case, person=person)
    messages.success(
        request,
        _("%(name)s no longer presents the case “%(case)s”.") % {"name": person, "case": case},
    )
    return redirect(_members_url(worksite) + "#s-presenters")


def _attempt(request, action, success) -> None:
    """Run a service call; its refusal becomes error messages, else `success()` is said."""
    try:
        action()
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success())


def _committee_member(worksite, member_id):
    member = (
        CommitteeMember.objects.select_related("person")
        .filter(worksite=worksite, pk=_int(member_id, -1))
        .first()
    )
    if member is None:
        raise Http404
    member.worksite = worksite
    return member


@require_POST
@worksite_view("worksites.manage_members")
def committee_role(request, worksite, member_id):
    member = _committee_member(worksite, member_id)
    form = CommitteeRoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services.committee_member_set_role(member=member, role=role),
        lambda: (
            _("%(name)s: %(role)s.") % {"name": member.person, "role": member.get_role_display()}
        ),
    )
    return redirect(_members_url(worksite))


@require_POST
@worksite_view("worksites.manage_members")
def committee_remove(request, worksite, member_id):
    member = _committee_member(worksite, member_id)
    _attempt(
        request,
        lambda: services.committee_member_remove(member=member),
        lambda: (
            _("%(name)s is no longer on the committee (and stays a participant).")
            % {"name": member.person}
        ),
    )
    return redirect(_members_url(worksite))


@require_POST
@worksite_view("worksites.manage_members")
def participant_remove(request, worksite, participant_id):
    participant = (
        Participant.objects.select_related("person")
        .filter(worksite=worksite, pk=_int(participant_id, -1))
        .first()
    )
    if participant is None:
        raise Http404
    _attempt(
        request,
        lambda: services.participant_remove(participant=participant),
        lambda: (
            _("%(name)s is no longer a participant; what they wrote stays.")
            % {"name": participant.person}
        ),
    )
    return redirect(_members_url(worksite))


@require_POST
@worksite_view("worksites.manage_members")
def section_owner(request, worksite, section_id):
    section = (
        Section.objects.select_related("report__case")
        .filter(report__case__worksite=worksite, pk=_int(section_id, -1))
        .first()
    )
    if section is None:
        raise Http404
    form = SectionOwnerForm(
        request.POST, users=selectors.member_users(worksite=worksite), prefix=f"s{section.pk}"
    )

    def save():
        if not form.is_valid():
            raise ValidationError(
                _("The owner of a section is someone of the worksite (with an account).")
            )
        services.section_set_owner(section=section, owner=form.cleaned_data["owner"])

    _attempt(
        request,
        save,
        lambda: (
            _("%(case)s — %(section)s: owner changed.")
            % {"case": section.report.case.title, "section": section.title}
        ),
    )
    return redirect(_members_url(worksite) + "#s-sections")


@require_POST
@worksite_view("worksites.change_status")
def worksite_status(request, worksite):
    form = WorksiteStatusForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services.worksite_set_status(worksite=worksite, status=status),
        lambda: _("The worksite is now: %(status)s.") % {"status": worksite.get_status_display()},
    )
    return redirect(_members_url(worksite))
