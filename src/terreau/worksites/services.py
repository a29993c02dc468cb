"""Writes of the worksites app: worksites and their committee, cases and presentations,
report sections (optimistic locking, revisions, restore), comments, suggestions, report
status and its return to participants, theme tags, syntheses and edition requests."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terreau.core.markdown import render_markdown
from terreau.core.slugs import slug_unique
from terreau.events.models import EventKind
from terreau.events.services.programme import event_create
from terreau.observatory.models import Initiative

from . import anchoring, selectors
from .models import (
    DEFAULT_SECTIONS,
    PRESENTATION_FIELDS,
    Case,
    Comment,
    CommitteeMember,
    CrossTheme,
    Edition,
    Participant,
    PoolingSynthesis,
    Publication,
    Report,
    ReportStatus,
    Section,
    SectionRevision,
    Suggestion,
    ThemeTag,
    Worksite,
    WorksiteStatus,
)

#: Above this many recipients, e-mails go through the task worker (ids only).
INLINE_EMAIL_MAX = 50
MAX_BODY = 200_000


class SectionConflict(Exception):
    """A save based on an older version of a section: the three texts of the conflict."""

    def __init__(self, *, section: Section, base: str, theirs: str, yours: str):
        super().__init__("section changed since it was opened")
        self.section = section
        self.base = base
        self.theirs = theirs
        self.yours = yours
        self.current_version = section.version


def _clean_text(value: str, key: str, *, limit: int = MAX_BODY) -> str:
    value = (value or "").replace("\r\n", "\n")
    if "\x00" in value:
        raise ValidationError({key: _("The text holds a character that cannot be stored.")})
    if len(value) > limit:
        raise ValidationError(
            {key: _("The text is too long (%(limit)s characters at most).") % {"limit": limit}}
        )
    return value


# Worksites, committee, participants


@transaction.atomic
def worksite_create(*, question: str, starts_on, ends_on, partners=(), **fields) -> Worksite:
    """Create a worksite (and its publication record). Side effects: none."""
    worksite = Worksite(question=question, starts_on=starts_on, ends_on=ends_on, **fields)
    if not worksite.slug:
        worksite.slug = slug_unique(model=Worksite, text=question, fallback="chantier")
    worksite.full_clean()
    worksite.save()
    worksite.partners.set(partners)
    Publication.objects.create(worksite=worksite, title=question)
    return worksite


@transaction.atomic
def worksite_update(
    *, worksite: Worksite, fields: dict, convener, partner_ids, target_mix: dict
) -> Worksite:
    """Change what a worksite is (question, period, texts, public page, convener, partners,
    target mix). The slug, and so its addresses, stay. Side effects: none."""
    if sum(target_mix.values()) > 100:
        raise ValidationError({"target_mix": _("The target shares add up to more than 100 %.")})
    for name in ("question", "starts_on", "ends_on", "summary", "objectives", "is_public"):
        if name in fields:
            setattr(worksite, name, fields[name])
    worksite.convener = convener
    worksite.target_mix = target_mix
    worksite.full_clean()
    worksite.save()
    worksite.partners.set(partner_ids)
    return worksite


def _check_role(role: str) -> str:
    if role not in CommitteeMember.Role.values:
        raise ValidationError({"role": _("Choose one of the committee's roles.")})
    return role


def _check_keeps_a_coordinator(member: CommitteeMember, new_role: str | None) -> None:
    """A committee that had a chair or coordinator keeps one: removing or demoting the last
    of them is refused (staff can still put someone in their place)."""
    if member.role not in selectors.MANAGING_ROLES or new_role in selectors.MANAGING_ROLES:
        return
    others = (
        CommitteeMember.objects.filter(
            worksite_id=member.worksite_id, role__in=selectors.MANAGING_ROLES
        )
        .exclude(pk=member.pk)
        .exists()
    )
    if not others:
        raise ValidationError(
            _(
                "%(name)s is the committee's last chair or coordinator: name another one "
                "first, so that someone can still manage the worksite."
            )
            % {"name": member.person}
        )


@transaction.atomic
def committee_member_add(*, worksite: Worksite, person, role: str = "member") -> CommitteeMember:
    """Put a directory person on the steering committee, or change their role if they are
    on it (also a participant of the worksite, not listed as a contributor until they
    consent). Side effects: none."""
    _check_role(role)
    member = (
        CommitteeMember.objects.select_for_update().filter(worksite=worksite, person=person).first()
    )
    if member is None:
        member = CommitteeMember.objects.create(worksite=worksite, person=person, role=role)
    elif member.role != role:
        committee_member_set_role(member=member, role=role)
    Participant.objects.get_or_create(worksite=worksite, person=person)
    return member


@transaction.atomic
def committee_member_set_role(*, member: CommitteeMember, role: str) -> CommitteeMember:
    """Change a committee member's role; the last chair or coordinator keeps theirs."""
    _check_role(role)
    _check_keeps_a_coordinator(member, role)
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def committee_member_remove(*, member: CommitteeMember) -> None:
    """Take someone off the committee. They stay a participant of the worksite (with their
    consent as it was); what they wrote stays. The last chair or coordinator cannot leave."""
    _check_keeps_a_coordinator(member, None)
    member.delete()


def participant_add(
    *, worksite: Worksite, person, consents_to_listing: bool = False
) -> Participant:
    """Open the worksite's workspace to a directory person. Their name appears among the
    publication's contributors only once they consent themselves. Side effects: none."""
    participant, created = Participant.objects.get_or_create(
        worksite=worksite,
        person=person,
        defaults={
            "consents_to_listing": consents_to_listing,
            "consent_changed_at": timezone.now() if consents_to_listing else None,
        },
    )
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant) -> None:
    """Close the workspace to a participant (the editions already out keep their list; the
    next ones no longer name them). Their revisions, comments and suggestions stay. Someone on
    the committee is taken off the committee first."""
    if CommitteeMember.objects.filter(
        worksite_id=participant.worksite_id, person_id=participant.person_id
    ).exists():
        raise ValidationError(
            _("%(name)s is on the steering committee: take them off the committee first.")
            % {"name": participant.person}
        )
    participant.delete()


def case_presenter_add(*, case: Case, person) -> None:
    """Make a directory person one of the case's organisers (presenters): they edit its
    presentation, submit its report and see its registrants' mix. Side effects: none."""
    case.presenters.add(person)


def case_presenter_remove(*, case: Case, person) -> None:
    """Take a presenter off a case; what they wrote stays."""
    case.presenters.remove(person)


def worksite_set_status(*, worksite: Worksite, status: str) -> Worksite:
    """Move the worksite to another stage (preparing, running, publishing, closed)."""
    if status not in WorksiteStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if worksite.status != status:
        worksite.status = status
        worksite.save(update_fields=["status", "updated_at"])
    return worksite


def participant_set_consent(*, participant: Participant, consents: bool) -> Participant:
    """Give or withdraw one's consent to be listed as a contributor. The next edition of the
    publication follows it; editions already out are not rewritten."""
    if participant.consents_to_listing != consents:
        participant.consents_to_listing = consents
        participant.consent_changed_at = timezone.now()
        participant.save(update_fields=["consents_to_listing", "consent_changed_at"])
    return participant


# Cases and their presentations


def _initiative_for(*, initiative, title: str, lead_organisation, by) -> Initiative:
    """The case's observatory initiative, created (as a draft stub) when it is not there."""
    if initiative is not None:
        return initiative
    found = Initiative.objects.filter(title__iexact=title.strip()).order_by("pk").first()
    if found:
        return found
    created = Initiative.objects.create(
        title=title.strip()[:200],
        slug=slug_unique(model=Initiative, text=title, fallback="initiative"),
        summary=_("Case of a cooperative worksite.")[:280],
        created_by=by,
    )
    created.lead_organisations.add(lead_organisation)
    return created


@transaction.atomic
def case_create(
    *,
    worksite: Worksite,
    title: str,
    lead_organisation,
    initiative=None,
    presenters=(),
    workshop=None,
    workshop_starts_at: dt.datetime | None = None,
    venue=None,
    by=None,
) -> Case:
    """Add a case: its initiative (found or created), its report with the three sections of
    the seed, and its evening workshop (an event of kind "evening workshop", 19:00–21:30,
    created as a draft when a start is given). Side effects: may create an initiative and an
    event."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the case a title.")})
    initiative = _initiative_for(
        initiative=initiative, title=title, lead_organisation=lead_organisation, by=by
    )
    if workshop is None and workshop_starts_at is not None:
        workshop = event_create(
            fields={
                "title": _("Evening workshop: %(title)s") % {"title": title},
                "kind": EventKind.EVENING_WORKSHOP,
                "starts_at": workshop_starts_at,
                "ends_at": workshop_starts_at + dt.timedelta(hours=2, minutes=30),
                "venue": venue,
                "summary": worksite.question[:300],
                "organisers": [o for o in [worksite.convener] if o],
                "partners": [lead_organisation],
                "initiatives": [initiative],
            }
        )
    elif workshop is not None:
        workshop.initiatives.add(initiative)
    position = (worksite.cases.aggregate(top=Max("position"))["top"] or 0) + 1
    case = Case(
        worksite=worksite,
        initiative=initiative,
        title=title,
        slug=slug_unique(
            model=Case, text=title, fallback="cas", queryset=Case.objects.filter(worksite=worksite)
        ),
        lead_organisation=lead_organisation,
        workshop=workshop,
        position=position,
    )
    case.full_clean()
    case.save()
    case.presenters.set(presenters)
    report = Report.objects.create(case=case)
    for number, heading in enumerate(DEFAULT_SECTIONS, start=1):
        Section.objects.create(report=report, title=str(heading), position=number)
    return case


@transaction.atomic
def case_presentation_update(*, case: Case, fields: dict, by=None) -> Case:
    """Write the case presentation's headings (Markdown). Side effects: none."""
    for name, _label in PRESENTATION_FIELDS:
        if name in fields:
            setattr(case, name, _clean_text(fields[name], name, limit=50_000))
    case.presentation_updated_at = timezone.now()
    case.save()
    return case


def _presentation_message(case: Case, email: str) -> EmailMultiAlternatives:
    context = {"case": case, "worksite": case.worksite, "site_url": settings.SITE_URL}
    subject = _("Presentation of the case “%(title)s”") % {"title": case.title}
    text = render_to_string("worksites/email/presentation.txt", context)
    html = render_to_string("worksites/email/presentation.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[email])
    message.attach_alternative(html, "text/html")
    return message


def case_presentation_send(*, case: Case, by=None) -> int:
    """Send the case presentation to everyone registered to its workshop (the seed's
    promise). Up to INLINE_EMAIL_MAX e-mails are written in this transaction (the outbox
    delivers them); more go through the task worker, by registration ids.

    Raises ValidationError when there is no workshop, no presentation or nobody registered.
    Returns the number of recipients."""
    if not case.workshop_id:
        raise ValidationError({"workshop": _("This case has no workshop yet.")})
    if not case.presentation_parts:
        raise ValidationError({"presentation": _("Write the presentation before sending it.")})
    recipients = selectors.workshop_recipients(event=case.workshop)
    if not recipients:
        raise ValidationError({"workshop": _("Nobody is registered to the workshop yet.")})
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(presentation_sent_at=timezone.now())
        if len(recipients) <= INLINE_EMAIL_MAX:
            with translation.override(settings.LANGUAGE_CODE):
                for registration in recipients:
                    _presentation_message(case, registration.email).send()
        else:
            from .tasks import send_presentation

            ids = [r.pk for r in recipients]
            transaction.on_commit(lambda: send_presentation.enqueue(case.pk, ids))
    return len(recipients)


def case_presentation_send_to(*, case: Case, registration_ids: list[int]) -> int:
    """The bulk half of `case_presentation_send` (called by the task)."""
    from terreau.events.models import Registration

    sent = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for email in Registration.objects.filter(pk__in=registration_ids).values_list(
            "email", flat=True
        ):
            _presentation_message(case, email).send()
            sent += 1
    return sent


# Report sections


def _check_editable(report: Report) -> None:
    if report.status == ReportStatus.VALIDATED:
        raise ValidationError(
            {
                "body": _(
                    "This report is validated: it can no longer be edited. Ask the committee "
                    "to reopen it."
                )
            }
        )


@transaction.atomic
def section_add(*, report: Report, title: str, owner=None, by=None) -> Section:
    """Add a section to a report (the committee's own headings). Side effects: none."""
    _check_editable(report)
    title = _clean_text(title, "title", limit=200).strip()
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    position = (report.sections.aggregate(top=Max("position"))["top"] or 0) + 1
    return Section.objects.create(report=report, title=title, owner=owner, position=position)


def _reanchor(section: Section, body: str) -> None:
    """Move each open comment to where its passage now is; flag those whose passage is gone
    (they are kept, with their quote)."""
    changed = []
    for comment in section.comments.filter(parent__isnull=True).exclude(quote=""):
        anchor = anchoring.locate(body, comment.quote, start=comment.start)
        if anchor is None:
            if not comment.is_passage_gone:
                comment.is_passage_gone = True
                changed.append(comment)
        elif (anchor.start, anchor.end, False) != (
            comment.start,
            comment.end,
            comment.is_passage_gone,
        ):
            comment.start, comment.end, comment.is_passage_gone = anchor.start, anchor.end, False
            changed.append(comment)
    if changed:
        Comment.objects.bulk_update(changed, ["start", "end", "is_passage_gone"])


def section_save(
    *, section: Section, body: str, base_version: int, by=None, note: str = ""
) -> Section:
    """Save a section's text as a new revision, if nobody saved it since `base_version`.

    The version check and the increment are one UPDATE … WHERE version = base, so two saves
    based on the same version cannot both succeed, on SQLite as on PostgreSQL. Raises
    SectionConflict (with base, theirs and yours) when the section moved on, ValidationError
    when the report is validated or the text is refused. Side effects: comments re-anchored.
    """
    body = _clean_text(body, "body")
    with transaction.atomic():
        report = Report.objects.get(pk=section.report_id)
        _check_editable(report)
        updated = Section.objects.filter(pk=section.pk, version=base_version).update(
            body=body, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Section.objects.get(pk=section.pk)
            base = (
                SectionRevision.objects.filter(section=section, version=base_version)
                .values_list("body", flat=True)
                .first()
            )
            raise SectionConflict(section=current, base=base or "", theirs=current.body, yours=body)
        section.refresh_from_db(fields=["body", "version", "updated_at"])
        SectionRevision.objects.create(
            section=section, version=section.version, body=body, author=by, note=note[:200]
        )
        _reanchor(section, body)
    return section


def section_restore(*, section: Section, revision: SectionRevision, by=None) -> Section:
    """Bring back an earlier revision's text, as a new revision (nothing is lost)."""
    if revision.section_id != section.pk:
        raise ValidationError({"revision": _("This revision belongs to another section.")})
    return section_save(
        section=section,
        body=revision.body,
        base_version=section.version,
        by=by,
        note=_("Restored from version %(version)s") % {"version": revision.version},
    )


def section_set_owner(*, section: Section, owner) -> Section:
    """Give a section an owner, who accepts or rejects its suggestions (None: the committee
    decides). The owner is someone of the worksite with an account: on its committee, a
    participant, or a presenter of a case."""
    worksite_id = section.report.case.worksite_id
    if (
        owner is not None
        and not selectors.member_users(worksite=Worksite(pk=worksite_id))
        .filter(pk=owner.pk)
        .exists()
    ):
        raise ValidationError(
            {"owner": _("The owner of a section is someone of the worksite (with an account).")}
        )
    section.owner = owner
    section.save(update_fields=["owner", "updated_at"])
    return section


# Comments and suggestions


def _anchor_or_error(section: Section, quote: str, start) -> anchoring.Anchor:
    anchor = anchoring.check_quote(section.body, quote, start)
    if anchor is None:
        raise ValidationError(
            {"quote": _("This passage is not (or no longer) in the section: copy it again.")}
        )
    return anchor


@transaction.atomic
def comment_add(
    *, section: Section, body: str, by, quote: str = "", start: int | None = None, parent=None
) -> Comment:
    """Comment on a passage of a section (or reply to a thread). Side effects: none."""
    body = _clean_text(body, "body", limit=10_000).strip()
    if not body:
        raise ValidationError({"body": _("Write your comment.")})
    if parent is not None:
        if parent.section_id != section.pk or parent.parent_id is not None:
            raise ValidationError({"parent": _("Reply to a thread of this section.")})
        return Comment.objects.create(section=section, parent=parent, author=by, body=body)
    quote = _clean_text(quote, "quote", limit=1000).strip()
    comment = Comment(section=section, author=by, body=body)
    if quote:
        anchor = _anchor_or_error(section, quote, start)
        comment.quote, comment.start, comment.end = quote, anchor.start, anchor.end
    comment.save()
    return comment


def comment_resolve(*, comment: Comment, by) -> Comment:
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), by
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def comment_reopen(*, comment: Comment) -> Comment:
    if comment.resolved_at is not None:
        comment.resolved_at, comment.resolved_by = None, None
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def suggestion_add(
    *, section: Section, quote: str, replacement: str, by, start: int | None = None
) -> Suggestion:
    """Propose a replacement for a passage. Side effects: none."""
    _check_editable(Report.objects.get(pk=section.report_id))
    quote = _clean_text(quote, "quote", limit=1000)
    replacement = _clean_text(replacement, "replacement", limit=10_000)
    if not quote.strip():
        raise ValidationError({"quote": _("Copy the passage you want to change.")})
    if quote == replacement:
        raise ValidationError({"replacement": _("The replacement is the same as the passage.")})
    anchor = _anchor_or_error(section, quote, start)
    return Suggestion.objects.create(
        section=section,
        author=by,
        quote=quote,
        start=anchor.start,
        end=anchor.end,
        replacement=replacement,
    )


def suggestion_accept(*, suggestion: Suggestion, by) -> Suggestion:
    """Replace the passage by the suggestion, as a new revision of the section. Raises
    ValidationError when the suggestion was decided or its passage is gone (it stays
    pending, so nothing is lost)."""
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != Suggestion.Status.PENDING:
            raise ValidationError({"status": _("This suggestion was already decided.")})
        section = Section.objects.select_related("report").get(pk=suggestion.section_id)
        anchor = anchoring.locate(section.body, suggestion.quote, start=suggestion.start)
        if anchor is None:
            raise ValidationError(
                {"quote": _("The passage of this suggestion is no longer in the section.")}
            )
        body = section.body[: anchor.start] + suggestion.replacement + section.body[anchor.end :]
        section_save(
            section=section,
            body=body,
            base_version=section.version,
            by=by,
            note=_("Suggestion accepted"),
        )
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.decided_by, suggestion.decided_at = by, timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def suggestion_reject(*, suggestion: Suggestion, by) -> Suggestion:
    updated = Suggestion.objects.filter(pk=suggestion.pk, status=Suggestion.Status.PENDING).update(
        status=Suggestion.Status.REJECTED, decided_by=by, decided_at=timezone.now()
    )
    if not updated:
        raise ValidationError({"status": _("This suggestion was already decided.")})
    suggestion.refresh_from_db()
    return suggestion


# Report status and its return to participants

TRANSITIONS = {
    (ReportStatus.DRAFT, ReportStatus.IN_REVIEW),
    (ReportStatus.IN_REVIEW, ReportStatus.DRAFT),
    (ReportStatus.IN_REVIEW, ReportStatus.VALIDATED),
    (ReportStatus.VALIDATED, ReportStatus.DRAFT),
}


def report_set_status(*, report: Report, status: str, by=None) -> Report:
    """Move a report along draft → in review → validated (or back to draft to reopen it).
    Permissions (who may validate) are the view's; this checks the transition."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if (report.status, status) not in TRANSITIONS:
            raise ValidationError(
                {
                    "status": _("A report cannot go from “%(old)s” to “%(new)s”.")
                    % {"old": report.get_status_display(), "new": ReportStatus(status).label}
                    if status in ReportStatus.values
                    else _("Unknown status.")
                }
            )
        report.status = status
        if status == ReportStatus.VALIDATED:
            report.validated_at, report.validated_by = timezone.now(), by
        else:
            report.validated_at, report.validated_by = None, None
        report.save()
    return report


def report_return(*, report: Report, by=None) -> int:
    """Queue the return of a validated report to every participant of its workshop (one
    task, then one e-mail each). Returns how many people it goes to."""
    if report.status != ReportStatus.VALIDATED:
        raise ValidationError({"status": _("Only a validated report is returned to participants.")})
    case = report.case
    if not case.workshop_id:
        raise ValidationError({"workshop": _("This case has no workshop, hence no participants.")})
    participants = selectors.workshop_participants(event=case.workshop)
    if not participants:
        raise ValidationError({"workshop": _("Nobody took part in the workshop.")})
    from .tasks import return_report

    report_id = report.pk
    transaction.on_commit(lambda: return_report.enqueue(report_id))
    return len(participants)


def report_return_send(*, report: Report) -> int:
    """Send the validated report to the workshop's participants (called by the task)."""
    report = Report.objects.select_related("case__worksite", "case__workshop").get(pk=report.pk)
    if report.status != ReportStatus.VALIDATED or not report.case.workshop_id:
        return 0
    sections = list(report.sections.order_by("position", "pk"))
    context = {
        "report": report,
        "case": report.case,
        "worksite": report.case.worksite,
        "sections": [(s.title, s.body, render_markdown(s.body)) for s in sections],
    }
    sent = 0
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        subject = _("Report of the workshop on “%(title)s”") % {"title": report.case.title}
        text = render_to_string("worksites/email/report.txt", context)
        html = render_to_string("worksites/email/report.html", context)
        for registration in selectors.workshop_participants(event=report.case.workshop):
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()), body=text, to=[registration.email]
            )
            message.attach_alternative(html, "text/html")
            message.send()
            sent += 1
        Report.objects.filter(pk=report.pk).update(returned_at=timezone.now())
    return sent


# Pooling day: cross-cutting themes, tagged passages, syntheses


def theme_create(*, worksite: Worksite, name: str) -> CrossTheme:
    name = _clean_text(name, "name", limit=150).strip()
    if not name:
        raise ValidationError({"name": _("Name the theme.")})
    if worksite.themes.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This theme already exists.")})
    position = (worksite.themes.aggregate(top=Max("position"))["top"] or 0) + 1
    return CrossTheme.objects.create(worksite=worksite, name=name, position=position)


def theme_tag_add(*, theme: CrossTheme, section: Section, quote: str, by) -> ThemeTag:
    """Tag a passage of a section with a theme; the passage must be in the section."""
    if section.report.case.worksite_id != theme.worksite_id:
        raise ValidationError({"section": _("This section belongs to another worksite.")})
    quote = _clean_text(quote, "quote", limit=2000).strip()
    if not quote:
        raise ValidationError({"quote": _("Copy the passage to tag.")})
    if quote not in section.body:
        raise ValidationError({"quote": _("This passage is not in the section.")})
    return ThemeTag.objects.create(theme=theme, section=section, quote=quote, tagged_by=by)


def theme_tag_remove(*, tag: ThemeTag) -> None:
    tag.delete()


def synthesis_save(
    *, worksite: Worksite, group_name: str, body: str, theme=None, synthesis=None, by=None
) -> PoolingSynthesis:
    """Record (or correct) what an exchange group of the pooling day concluded."""
    group_name = _clean_text(group_name, "group_name", limit=200).strip()
    body = _clean_text(body, "body", limit=50_000)
    if not group_name:
        raise ValidationError({"group_name": _("Name the exchange group.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the group's synthesis.")})
    if theme is not None and theme.worksite_id != worksite.pk:
        raise ValidationError({"theme": _("This theme belongs to another worksite.")})
    synthesis = synthesis or PoolingSynthesis(worksite=worksite)
    synthesis.group_name, synthesis.body, synthesis.theme, synthesis.updated_by = (
        group_name,
        body,
        theme,
        by,
    )
    synthesis.save()
    return synthesis


# The publication


def publication_get(*, worksite: Worksite) -> Publication:
    publication, _created = Publication.objects.get_or_create(
        worksite=worksite, defaults={"title": worksite.question[:255]}
    )
    return publication


def edition_request(*, worksite: Worksite, by=None) -> Edition:
    """Ask for a new edition of the publication, built by the task worker.

    Raises ValidationError when no report is validated (nothing to publish) or an edition is
    being built. Side effects: a task queued with the edition's id."""
    if not selectors.validated_report_count(worksite=worksite):
        raise ValidationError(
            {
                "reports": _(
                    "No report is validated yet: the publication is compiled from validated "
                    "reports only."
                )
            }
        )
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(
            pk=publication_get(worksite=worksite).pk
        )
        if publication.editions.filter(
            status__in=[Edition.Status.PENDING, Edition.Status.BUILDING]
        ).exists():
            raise ValidationError({"edition": _("An edition is being built already.")})
        number = (publication.editions.aggregate(top=Max("number"))["top"] or 0) + 1
        edition = Edition.objects.create(publication=publication, number=number, requested_by=by)
        from .tasks import build_edition

        edition_id = edition.pk
        transaction.on_commit(lambda: build_edition.enqueue(edition_id))
    return edition
