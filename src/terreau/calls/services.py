"""Writes of the calls app: calls and their forms, applications and their states, reviews,
reviewer assignment, selection runs and their confirmation, groups, aid and support follow-up.

Every function runs in one transaction and raises ValidationError with field keys (answers
are keyed "q<question id>"), so that nothing is half-saved.
"""

import datetime as dt
import random
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.slugs import slug_unique
from terreau.core.uploads import validate_upload

from . import mail, review_assignment
from .models import (
    IN_COMPETITION,
    TRANSITIONS,
    AidFollowUp,
    AidState,
    Answer,
    Application,
    ApplicationLog,
    ApplicationState,
    Call,
    CallGroup,
    ConflictDeclaration,
    Criterion,
    Family,
    GroupAssignment,
    Instalment,
    Question,
    QuestionKind,
    Review,
    ReviewerAssignment,
    ReviewPhase,
    ReviewScore,
    SelectionMethod,
    SelectionRun,
    SupportFollowUp,
    SupportLogEntry,
    SupportState,
)

#: Above this many outcome e-mails, confirming queues a task (with ids) instead.
INLINE_MAIL_LIMIT = 50
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 10_000}


def _clean_text(value) -> str:
    # PostgreSQL text cannot hold NUL characters.
    return str(value or "").replace("\x00", "").strip()


TEXT_LIMIT = 5000


def _limited_text(value, *, field: str) -> str:
    """The cleaned text, refused on its field when it is longer than TEXT_LIMIT (never cut)."""
    text = _clean_text(value)
    try:
        MaxLengthValidator(TEXT_LIMIT)(text)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None
    return text


def _apply(instance, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


# calls

CALL_FIELDS = {
    "kind",
    "title",
    "summary",
    "body",
    "selection_text",
    "opens_at",
    "closes_at",
    "notification_on",
    "notification_label",
    "first_meeting_at",
    "first_meeting_place",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
    "postal_address",
    "places",
    "budget_envelope",
    "grant_ceiling",
    "is_review_anonymised",
    "reviewers_per_application",
    "reminder_days",
}


def check_call(call: Call) -> None:
    errors = {}
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The deadline must come after the opening.")
    if call.notification_on and call.closes_at and call.notification_on < call.closes_at.date():
        errors["notification_on"] = _("The notification cannot come before the deadline.")
    if call.first_meeting_at and call.closes_at and call.first_meeting_at < call.closes_at:
        errors["first_meeting_at"] = _("The first meeting cannot come before the deadline.")
    if call.budget_envelope is not None and call.budget_envelope <= 0:
        errors["budget_envelope"] = _("The envelope must be a positive amount.")
    if call.grant_ceiling is not None and call.grant_ceiling <= 0:
        errors["grant_ceiling"] = _("The ceiling must be a positive amount.")
    if (
        call.grant_ceiling is not None
        and call.budget_envelope is not None
        and call.grant_ceiling > call.budget_envelope
    ):
        errors["grant_ceiling"] = _("The ceiling per application cannot exceed the envelope.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def call_create(*, fields: dict, zones=(), reviewers=()) -> Call:
    """Create a call (unpublished). No side effects."""
    call = Call()
    _apply(call, fields, CALL_FIELDS)
    call.slug = slug_unique(model=Call, text=call.title or "", fallback="appel")
    check_call(call)
    call.full_clean()
    call.save()
    call.zones.set(zones)
    call.reviewers.set(reviewers)
    return call


@transaction.atomic
def call_update(*, call: Call, fields: dict, zones=None, reviewers=None) -> Call:
    """Change a call's fields (zones and reviewers when given). No side effects."""
    _apply(call, fields, CALL_FIELDS)
    check_call(call)
    call.full_clean()
    call.save()
    if zones is not None:
        call.zones.set(zones)
    if reviewers is not None:
        call.reviewers.set(reviewers)
    return call


@transaction.atomic
def call_publish(*, call: Call, publish: bool = True) -> Call:
    """Publish (or withdraw from view) a call. A call without questions cannot be published."""
    if publish and not call.questions.exists():
        raise ValidationError(_("Add at least one question to the form before publishing."))
    call.is_published = publish
    call.save(update_fields=["is_published", "updated_at"])
    return call


QUESTION_FIELDS = {
    "position",
    "kind",
    "label",
    "help_text",
    "choices",
    "is_required",
    "is_identifying",
}


@transaction.atomic
def question_save(*, call: Call, fields: dict, question: Question | None = None) -> Question:
    """Add or change a question of a call's form. Choice questions need two choices."""
    question = question or Question(call=call)
    if question.call_id != call.pk:
        raise ValidationError(_("This question belongs to another call."))
    _apply(question, fields, QUESTION_FIELDS)
    is_choice = question.kind in {QuestionKind.CHOICE, QuestionKind.MULTIPLE_CHOICE}
    if is_choice and len(question.choice_list) < 2:
        raise ValidationError({"choices": _("Give at least two choices, one per line.")})
    question.full_clean()
    question.save()
    return question


CRITERION_FIELDS = {
    "position",
    "family",
    "name",
    "description",
    "weight",
    "is_required",
    "score_values",
}


def parse_score_values(text: str) -> list[list]:
    """ "0 = insufficient" lines → [[0, "insufficient"], …]; raises ValidationError."""
    values = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        number, sep, name = line.partition("=")
        try:
            value = int(number.strip())
        except ValueError:
            raise ValidationError(
                {"score_values": _("Write each value as “number = name”, e.g. “3 = excellent”.")}
            ) from None
        if abs(value) > 1000:
            raise ValidationError({"score_values": _("Score values stay between -1000 and 1000.")})
        values.append([value, _clean_text(name)[:120] or str(value)])
    if len({value for value, _name in values}) != len(values) or len(values) < 2:
        raise ValidationError(
            {"score_values": _("Give at least two different score values, one per line.")}
        )
    return sorted(values)


@transaction.atomic
def criterion_save(*, call: Call, fields: dict, criterion: Criterion | None = None) -> Criterion:
    """Add or change a selection criterion. No side effects."""
    criterion = criterion or Criterion(call=call)
    if criterion.call_id != call.pk:
        raise ValidationError(_("This criterion belongs to another call."))
    _apply(criterion, fields, CRITERION_FIELDS)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def call_group_save(*, call: Call, fields: dict, group: CallGroup | None = None) -> CallGroup:
    group = group or CallGroup(call=call)
    _apply(group, fields, {"name", "zone", "min_size", "max_size", "position"})
    if group.min_size > group.max_size:
        raise ValidationError({"max_size": _("The maximum cannot be below the minimum.")})
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def review_phase_save(*, call: Call, fields: dict, phase: ReviewPhase | None = None) -> ReviewPhase:
    phase = phase or ReviewPhase(call=call)
    _apply(
        phase,
        fields,
        {"name", "position", "starts_at", "ends_at", "may_review", "may_see_other_reviews"},
    )
    if phase.starts_at and phase.ends_at and phase.ends_at <= phase.starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def review_phase_activate(*, phase: ReviewPhase) -> ReviewPhase:
    """Make this the call's one active phase (the others are deactivated)."""
    ReviewPhase.objects.filter(call=phase.call_id, is_active=True).exclude(pk=phase.pk).update(
        is_active=False
    )
    phase.is_active = True
    phase.save(update_fields=["is_active"])
    return phase


# applications


def _log(application: Application, action: str, by=None, reason: str = "") -> None:
    ApplicationLog.objects.create(application=application, action=action, by=by, reason=reason)


def _move(application: Application, state: str) -> None:
    if state not in TRANSITIONS[ApplicationState(application.state)]:
        raise ValidationError(
            _("An application cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": ApplicationState(application.state).label,
                "new": ApplicationState(state).label,
            },
            code="transition",
        )
    application.state = state


@transaction.atomic
def application_start(*, call: Call, user) -> Application:
    """The applicant's draft for this call, created on first visit while the call is open.

    Side effects: may create the draft (name and e-mail from the account and directory)."""
    existing = Application.objects.filter(call=call, applicant=user).first()
    if existing:
        return existing
    if not call.is_open:
        raise ValidationError(_("This call is not open for applications."), code="closed")
    person = getattr(user, "person", None)
    name = person.display_name if person else f"{user.first_name} {user.last_name}".strip()
    membership = person.memberships.select_related("organisation").first() if person else None
    try:
        with transaction.atomic():
            return Application.objects.create(
                call=call,
                applicant=user,
                person=person,
                organisation=membership.organisation if membership else None,
                applicant_name=name or user.email,
                applicant_email=user.email,
            )
    except IntegrityError:
        # Two tabs started the same draft at once: the other one won.
        return Application.objects.get(call=call, applicant=user)


def _answer_value(question: Question, raw, errors: dict, *, call: Call):
    """The stored form of one answer, or None when empty; errors go to errors["q<id>"]."""
    key = question.feature_key
    kind = question.kind
    if raw in (None, "", [], ()):
        return None
    if kind in TEXT_LIMITS:
        text = _clean_text(raw)
        if len(text) > TEXT_LIMITS[kind]:
            errors[key] = _("Keep this answer under %(n)s characters.") % {"n": TEXT_LIMITS[kind]}
            return None
        return text or None
    if kind == QuestionKind.CHOICE:
        if raw not in question.choice_list:
            errors[key] = _("Pick one of the choices offered.")
            return None
        return raw
    if kind == QuestionKind.MULTIPLE_CHOICE:
        values = [raw] if isinstance(raw, str) else list(raw)
        if not set(values) <= set(question.choice_list):
            errors[key] = _("Pick among the choices offered.")
            return None
        return [choice for choice in question.choice_list if choice in values]
    if kind == QuestionKind.YES_NO:
        if raw in (True, "yes", "oui", "True"):
            return True
        if raw in (False, "no", "non", "False"):
            return False
        errors[key] = _("Answer yes or no.")
        return None
    if kind in {QuestionKind.NUMBER, QuestionKind.AMOUNT}:
        try:
            number = Decimal(str(raw).replace(",", ".").replace(" ", "").replace("\u202f", ""))
        except InvalidOperation:
            errors[key] = _("Enter a number.")
            return None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            errors[key] = _("Enter a number.")
            return None
        if kind == QuestionKind.AMOUNT:
            if number < 0:
                errors[key] = _("An amount cannot be negative.")
                return None
            if number != number.quantize(Decimal("0.01")):
                errors[key] = _("Give the amount in euros and cents at most.")
                return None
            if call.grant_ceiling is not None and number > call.grant_ceiling:
                errors[key] = _("The ceiling per application is %(ceiling)s €.") % {
                    "ceiling": call.grant_ceiling
                }
                return None
        return str(number)
    if kind == QuestionKind.DATE:
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            errors[key] = _("Enter a valid date.")
            return None
    if kind == QuestionKind.ORGANISATION:
        return _organisation_answer(raw, errors, key)
    return None


def _organisation_answer(raw, errors: dict, key: str):
    from terreau.directory.models import Organisation, OrganisationKind
    from terreau.directory.services import organisation_create

    if isinstance(raw, Organisation):
        return raw.pk
    if isinstance(raw, dict):
        name = _clean_text(raw.get("name"))[:255]
        kind = raw.get("kind") or ""
        if not name:
            return None
        if kind not in OrganisationKind.values:
            errors[key] = _("Say what kind of organisation it is.")
            return None
        found = Organisation.objects.filter(name__iexact=name).first()
        if found:
            return found.pk
        # Added to the directory unpublished: staff review new organisations.
        return organisation_create(name=name, kind=kind, is_published=False).pk
    errors[key] = _("Pick an organisation from the directory or add yours.")
    return None


@transaction.atomic
def application_save(
    *, application: Application, answers: dict, files: dict | None = None, zone=None, by=None
) -> Application:
    """Save a draft's answers (all of them or none). Required answers are checked on submit.

    `answers`: question id → value (str, list, bool, Decimal, date, Organisation or a dict
    {"name", "kind"} for a new organisation); `files`: question id → uploaded file; a question
    missing from both keeps its previous answer. Side effects: may add an unpublished
    organisation to the directory."""
    if (by is None or not by.is_staff) and not application.accepts_changes_at(timezone.now()):
        raise ValidationError(_("This application can no longer be changed."), code="closed")
    call = application.call
    questions = {question.pk: question for question in call.questions.all()}
    errors: dict[str, str] = {}
    values = {}
    for question_id, raw in answers.items():
        question = questions.get(int(question_id))
        if question is None or question.kind == QuestionKind.FILE:
            continue
        values[question.pk] = _answer_value(question, raw, errors, call=call)
    uploads = {}
    for question_id, upload in (files or {}).items():
        question = questions.get(int(question_id))
        if question is None or question.kind != QuestionKind.FILE or not upload:
            continue
        try:
            validate_upload(upload)
        except ValidationError as error:
            errors[question.feature_key] = error.messages[0]
            continue
        uploads[question.pk] = upload
    if zone is not None and not call.zones.filter(pk=zone.pk).exists():
        errors["zone"] = _("Pick one of the call's zones.")
    if errors:
        raise ValidationError(errors)
    existing = {answer.question_id: answer for answer in application.answers.all()}
    for question_id, value in values.items():
        answer = existing.get(question_id) or Answer(
            application=application, question_id=question_id
        )
        answer.value = value
        answer.save()
        question = questions[question_id]
        if question.kind == QuestionKind.ORGANISATION and value:
            application.organisation_id = value
        if question.kind == QuestionKind.AMOUNT:
            application.requested_amount = Decimal(value) if value else None
    for question_id, upload in uploads.items():
        answer = existing.get(question_id) or Answer(
            application=application, question_id=question_id
        )
        answer.file = upload
        answer.value = upload.name[:200]
        answer.save()
    if zone is not None:
        application.zone = zone
    application.save()
    return application


def _missing_required(application: Application) -> dict:
    answers = {answer.question_id: answer for answer in application.answers.all()}
    errors = {}
    for question in application.call.questions.all():
        if not question.is_required:
            continue
        answer = answers.get(question.pk)
        if question.kind == QuestionKind.FILE:
            if answer is None or not answer.file:
                errors[question.feature_key] = _("Attach this document.")
        elif answer is None or answer.value in (None, "", []):
            errors[question.feature_key] = _("This answer is required.")
    if application.call.zones.exists() and application.zone_id is None:
        errors["zone"] = _("Say which zone you belong to.")
    return errors


@transaction.atomic
def application_submit(*, application: Application, by=None, now=None) -> Application:
    """Submit a draft: on the server's clock, before the deadline (or a reopening's end), with
    every required answer. Side effects: logs "submitted"; e-mails an acknowledgement."""
    # Lock the row: two tabs submitting at once must not both pass the checks.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    application.refresh_from_db()
    now = now or timezone.now()
    if application.state != ApplicationState.DRAFT:
        raise ValidationError(_("This application has already been submitted."), code="state")
    if not application.accepts_changes_at(now):
        raise ValidationError(
            _("The deadline has passed: applications are no longer accepted."), code="late"
        )
    errors = _missing_required(application)
    if errors:
        raise ValidationError(errors)
    _move(application, ApplicationState.SUBMITTED)
    application.submitted_at = now
    application.extended_until = None
    application.save()
    _log(application, "submitted", by=by)
    mail.application_acknowledge(application=application)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by=None, reason: str = "") -> Application:
    """The applicant withdraws. Side effects: logs "withdrawn"; frees a group seat."""
    _move(application, ApplicationState.WITHDRAWN)
    application.save()
    GroupAssignment.objects.filter(application=application).delete()
    _log(application, "withdrawn", by=by, reason=_clean_text(reason)[:2000])
    return application


@transaction.atomic
def application_reopen(
    *, application: Application, by, reason: str, until: dt.datetime | None = None
) -> Application:
    """Staff send a submitted application back to draft, with a logged reason, so that the
    applicant can change and submit it again (until `until`, after the deadline).
    Side effects: logs "reopened" with the reason."""
    reason = _clean_text(reason)
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the application is reopened.")
    now = timezone.now()
    if until is not None and until <= now:
        errors["until"] = _("The new deadline must be in the future.")
    if errors:
        raise ValidationError(errors)
    _move(application, ApplicationState.DRAFT)
    application.submitted_at = None
    if until is None and now > application.call.closes_at:
        until = now + dt.timedelta(days=3)
    application.extended_until = until
    application.save()
    _log(application, "reopened", by=by, reason=reason[:2000])
    return application


@transaction.atomic
def application_paper_create(
    *, call: Call, by, name: str, email: str, answers: dict, files: dict | None = None, zone=None
) -> Application:
    """Staff enter an application received on paper or by e-mail: saved and submitted at once
    (the deadline is the postmark's, checked by staff). Side effects: logs "paper entry"."""
    name, email = _clean_text(name)[:255], _clean_text(email)[:254]
    errors = {}
    if not name:
        errors["name"] = _("Give the applicant's name.")
    if not email:
        errors["email"] = _("Give the applicant's e-mail.")
    if errors:
        raise ValidationError(errors)
    application = Application(call=call, applicant_name=name, applicant_email=email, is_paper=True)
    try:
        application.full_clean(exclude=["call", "applicant", "person", "organisation", "zone"])
    except ValidationError as error:
        raise ValidationError(
            {
                "email" if key == "applicant_email" else key: value
                for key, value in error.message_dict.items()
            }
        ) from None
    application.save()
    application_save(application=application, answers=answers, files=files, zone=zone, by=by)
    errors = _missing_required(application)
    if errors:
        raise ValidationError(errors)
    _move(application, ApplicationState.SUBMITTED)
    application.submitted_at = timezone.now()
    application.save()
    _log(application, "paper entry", by=by)
    return application


# review


@transaction.atomic
def reviewers_assign_balanced(*, call: Call) -> review_assignment.AssignmentResult:
    """Give each submitted application the call's number of reviewers, loads even, never a
    reviewer from the applicant's organisation nor one with a declared conflict.
    Side effects: submitted applications move to "under review"."""
    from terreau.directory.models import Membership

    reviewers = list(call.reviewers.all())
    person_orgs: dict[int, set[int]] = {}
    for user_id, organisation_id in Membership.objects.filter(
        person__user__in=reviewers
    ).values_list("person__user_id", "organisation_id"):
        person_orgs.setdefault(user_id, set()).add(organisation_id)
    applications = list(call.applications.filter(state__in=IN_COMPETITION))
    existing = set(
        ReviewerAssignment.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        )
    )
    conflicts = set(
        ConflictDeclaration.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id"
        )
    )
    result = review_assignment.assign(
        [
            review_assignment.Item(
                a.pk, frozenset({a.organisation_id} if a.organisation_id else ())
            )
            for a in applications
        ],
        [review_assignment.Item(r.pk, frozenset(person_orgs.get(r.pk, ()))) for r in reviewers],
        call.reviewers_per_application,
        existing={pair for pair in existing if pair[0] in {a.pk for a in applications}},
        conflicts=conflicts,
    )
    ReviewerAssignment.objects.bulk_create(
        [ReviewerAssignment(application_id=a, reviewer_id=r) for a, r in result.pairs]
    )
    call.applications.filter(state=ApplicationState.SUBMITTED).update(
        state=ApplicationState.UNDER_REVIEW
    )
    return result


@transaction.atomic
def reviewer_assign(*, application: Application, reviewer) -> ReviewerAssignment:
    """Staff assign one reviewer by hand (the same organisation rule applies)."""
    from terreau.directory.models import Membership

    if (
        application.organisation_id
        and Membership.objects.filter(
            person__user=reviewer, organisation_id=application.organisation_id
        ).exists()
    ):
        raise ValidationError(
            {"reviewer": _("This reviewer belongs to the applicant's organisation.")}
        )
    if ConflictDeclaration.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("This reviewer declared a conflict of interest.")})
    assignment, _created = ReviewerAssignment.objects.get_or_create(
        application=application, reviewer=reviewer
    )
    return assignment


@transaction.atomic
def conflict_declare(
    *, application: Application, reviewer, reason: str = ""
) -> ConflictDeclaration:
    """A reviewer declares a conflict of interest: they can no longer score the application.
    Side effects: their review of it, if any, and their assignment are deleted."""
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"reason": _clean_text(reason)[:2000]}
    )
    Review.objects.filter(application=application, reviewer=reviewer).delete()
    ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).delete()
    return declaration


def _check_scores(application: Application, scores: dict) -> dict[int, int]:
    criteria = {criterion.pk: criterion for criterion in application.call.criteria.all()}
    errors, clean = {}, {}
    for criterion in criteria.values():
        key = f"c{criterion.pk}"
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        if raw in (None, ""):
            if criterion.is_required:
                errors[key] = _("Score this criterion.")
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[key] = _("Pick one of the score values.")
            continue
        if value not in {v for v, _name in criterion.value_choices}:
            errors[key] = _("Pick one of the score values.")
            continue
        clean[criterion.pk] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _total(application: Application, scores: dict[int, int]) -> float:
    criteria = {criterion.pk: criterion for criterion in application.call.criteria.all()}
    return float(sum(criteria[pk].weight * value for pk, value in scores.items()))


def _check_reviewer(application: Application, reviewer) -> None:
    if ConflictDeclaration.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError(
            {"conflict": _("You declared a conflict of interest on this application.")}
        )
    if not reviewer.has_perm("calls.review_application", application):
        raise ValidationError(
            _("You may not score this application now (not assigned, or no review phase open)."),
            code="forbidden",
        )


@transaction.atomic
def review_create(*, application: Application, reviewer, scores: dict, comment: str = "") -> Review:
    """A reviewer's scores for an application, once. Side effects: none."""
    _check_reviewer(application, reviewer)
    if Review.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError(
            {"review": _("You have already scored this application: change your review instead.")}
        )
    clean = _check_scores(application, scores)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=application,
                reviewer=reviewer,
                comment=_limited_text(comment, field="comment"),
                total=_total(application, clean),
            )
    except IntegrityError:
        raise ValidationError(
            {"review": _("You have already scored this application: change your review instead.")}
        ) from None
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion_id=pk, value=value) for pk, value in clean.items()]
    )
    return review


@transaction.atomic
def review_update(*, review: Review, scores: dict, comment: str = "") -> Review:
    _check_reviewer(review.application, review.reviewer)
    clean = _check_scores(review.application, scores)
    review.scores.all().delete()
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion_id=pk, value=value) for pk, value in clean.items()]
    )
    review.comment = _limited_text(comment, field="comment")
    review.total = _total(review.application, clean)
    review.save()
    return review


# selection


def quotas_build(
    *, pool_counts: dict[str, dict[str, int]], pool_size: int, rows: list[dict], seats: int
) -> list[dict]:
    """Quota rows {feature, value, min, max} from staff rows: either min/max given, or
    "proportional ± n" (`tolerance`) computed from the pool's share of each value
    (`pool_counts`: feature → value → applications holding it, out of `pool_size`)."""
    quotas = []
    for row in rows:
        feature, value = row["feature"], row["value"]
        if row.get("tolerance") is not None and pool_size:
            count = pool_counts.get(feature, {}).get(value, 0)
            # [floor(expected) − n, ceil(expected) + n], clipped to what the pool holds.
            low = max(0, seats * count // pool_size - int(row["tolerance"]))
            high = min(count, -(-seats * count // pool_size) + int(row["tolerance"]))
            quotas.append({"feature": feature, "value": value, "min": low, "max": high})
        else:
            quotas.append(
                {"feature": feature, "value": value, "min": int(row["min"]), "max": int(row["max"])}
            )
    return quotas


@transaction.atomic
def selection_run(
    *,
    call: Call,
    by,
    method: str,
    seats: int,
    quotas: list[dict],
    seed: int | None = None,
    merit_seats: int = 0,
    grant_share: float | None = None,
) -> SelectionRun:
    """Compute a selection over the applications in competition and store it (not confirmed).

    Quotas are rows {feature, value, min, max} over the features of `selectors.candidates`.
    Raises ValidationError keyed "seats", "quotas", "budget" or "method" (infeasible quotas
    explained, with the relaxation the solver found). No side effects beyond the run row."""
    from . import selection, selectors

    if method not in SelectionMethod.values:
        raise ValidationError({"method": _("Pick a selection method.")})
    candidates = selectors.candidates(call=call)
    errors = {}
    if seats < 1:
        errors["seats"] = _("Select at least one application.")
    elif seats > len(candidates):
        errors["seats"] = _(
            "There are only %(n)s applications in competition: you cannot select %(seats)s."
        ) % {"n": len(candidates), "seats": seats}
    budget = None
    if method == SelectionMethod.BUDGET:
        if call.budget_envelope is None:
            errors["budget"] = _("Set the call's budget envelope first.")
        else:
            budget = float(call.budget_envelope)
            costs = [c.cost * (grant_share or 1) for c in candidates if c.cost > 0]
            if costs and budget < min(costs):
                errors["budget"] = _(
                    "The envelope (%(budget)s €) is smaller than the cheapest grant "
                    "(%(cheapest)s €)."
                ) % {"budget": call.budget_envelope, "cheapest": f"{min(costs):.2f}"}
    if method == SelectionMethod.HYBRID and not (0 < merit_seats < seats):
        errors["merit_seats"] = _(
            "Give a number of seats by merit between 1 and the seats minus one."
        )
    if errors:
        raise ValidationError(errors)
    if seed is None and method in {
        SelectionMethod.LEXIMIN,
        SelectionMethod.MAXIMIN,
        SelectionMethod.HYBRID,
    }:
        seed = random.SystemRandom().randrange(1, 2**31)
    quota_objects = [
        selection.Quota(
            feature=q["feature"], value=q["value"], min=int(q["min"]), max=int(q["max"])
        )
        for q in quotas
    ]
    shares = {c.id: grant_share for c in candidates} if grant_share else None
    try:
        result = selection.select(
            candidates,
            quota_objects,
            seats,
            method=method,
            seed=seed,
            budget=budget,
            merit_seats=merit_seats,
            grant_shares=shares,
        )
    except selection.Infeasible as error:
        messages = list(error.explanation) or [_("The quotas cannot all be met.")]
        labels, value_labels = selectors.feature_labels(call=call)
        for quota, new_min, new_max in error.relaxations:
            messages.append(
                _(
                    "Smallest relaxation found: %(feature)s = %(value)s from "
                    "%(old_min)s–%(old_max)s to %(min)s–%(max)s."
                )
                % {
                    "feature": labels.get(quota.feature, quota.feature),
                    "value": value_labels.get(quota.feature, {}).get(quota.value, quota.value),
                    "old_min": quota.min,
                    "old_max": quota.max,
                    "min": new_min,
                    "max": new_max,
                }
            )
        raise ValidationError({"quotas": messages}) from None
    except ValueError as error:
        raise ValidationError({"quotas": str(error)}) from None
    lottery = None
    if result.lottery is not None:
        lottery = {
            "marginals": result.lottery.marginals,
            "panels": [
                [sorted(panel), probability] for panel, probability in result.lottery.panels
            ],
        }
    return SelectionRun.objects.create(
        call=call,
        method=method,
        seats=seats,
        seed=result.seed if result.seed is not None else seed,
        quotas=quotas,
        options={"merit_seats": merit_seats, "grant_share": grant_share},
        result={
            "panel": list(result.panel),
            "waiting_list": list(result.waiting_list),
            "total_score": result.total_score,
            "total_cost": result.total_cost,
            "lottery": lottery,
            "grants": dict(getattr(result, "grants", {}) or {}),
            "pool": [c.id for c in candidates],
            "features": {c.id: c.features for c in candidates},
        },
        created_by=by,
    )


@transaction.atomic
def selection_confirm(*, run: SelectionRun, by, notify: bool = True) -> SelectionRun:
    """Staff confirm a run: the panel is selected, the waiting list waits, the others are not
    selected; every applicant is e-mailed the outcome (by a task above 50 applicants) unless
    `notify` is False (the demo's 2013 call, whose results went out in 2013).
    Side effects: states, logs, e-mails; aid and support follow-ups for those selected."""
    run = (
        SelectionRun.objects.select_for_update().select_related("call", "call__kind").get(pk=run.pk)
    )
    call = run.call
    if run.is_confirmed or call.results_sent_at:
        raise ValidationError(_("The results of this call have already been confirmed."))
    panel = {int(pk) for pk in run.result.get("panel", [])}
    waiting = [int(pk) for pk in run.result.get("waiting_list", [])]
    now = timezone.now()
    applications = list(call.applications.filter(state__in=IN_COMPETITION))
    for application in applications:
        if application.pk in panel:
            _move(application, ApplicationState.SELECTED)
        elif application.pk in waiting:
            _move(application, ApplicationState.WAITING_LIST)
        else:
            _move(application, ApplicationState.NOT_SELECTED)
        application.decided_at = now
        _log(application, application.state, by=by)
    Application.objects.bulk_update(applications, ["state", "decided_at"])
    family = call.kind.family
    share = run.options.get("grant_share") or 1
    for application in applications:
        if application.pk not in panel:
            continue
        if family == Family.FINANCIAL_AID:
            granted = run.result.get("grants", {}).get(str(application.pk))
            if granted is not None:
                amount = Decimal(str(granted))
            else:
                amount = (application.requested_amount or Decimal(0)) * Decimal(str(share))
            AidFollowUp.objects.get_or_create(
                application=application,
                defaults={"amount_granted": amount.quantize(Decimal("0.01"))},
            )
        elif family == Family.SUPPORT:
            SupportFollowUp.objects.get_or_create(application=application)
    run.confirmed_at = now
    run.confirmed_by = by
    run.save(update_fields=["confirmed_at", "confirmed_by"])
    call.results_sent_at = now
    call.save(update_fields=["results_sent_at", "updated_at"])
    ids = [application.pk for application in applications]
    if not notify:
        return run
    if len(ids) > INLINE_MAIL_LIMIT:
        from .tasks import send_outcome_emails

        send_outcome_emails.enqueue(application_ids=ids)
    else:
        mail.outcome_send(application_ids=ids)
    return run


# groups


@transaction.atomic
def groups_form(*, call: Call, features: list[str]) -> dict[str, list[int]]:
    """Split the selected into the call's groups, balanced on `features`: an applicant moved
    by hand stays in their group, one whose zone is a group's zone goes to that group.
    Returns group name → application ids. Side effects: replaces the call's group members."""
    from . import grouping, selectors

    groups = list(call.groups.all())
    if not groups:
        raise ValidationError(_("Add the call's groups first."))
    candidates = list(selectors.candidates(call=call, states=[ApplicationState.SELECTED]))
    low, high = sum(g.min_size for g in groups), sum(g.max_size for g in groups)
    if not low <= len(candidates) <= high:
        raise ValidationError(
            _(
                "%(n)s people are selected; the groups take between %(low)s and %(high)s: "
                "change the groups' sizes."
            )
            % {"n": len(candidates), "low": low, "high": high}
        )
    zone_group = {group.zone_id: str(group.pk) for group in groups if group.zone_id}
    fixed = {
        str(pk): zone_group[zone_id]
        for pk, zone_id in call.applications.filter(state=ApplicationState.SELECTED).values_list(
            "pk", "zone_id"
        )
        if zone_id in zone_group
    }
    manual = list(GroupAssignment.objects.filter(group__call=call, is_manual=True))
    fixed |= {str(a.application_id): str(a.group_id) for a in manual}
    fixed = {pk: group for pk, group in fixed.items() if pk in {c.id for c in candidates}}
    try:
        formed = grouping.form_groups(
            candidates,
            {str(group.pk): (group.min_size, group.max_size) for group in groups},
            features,
            fixed=fixed,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    manual_ids = {a.application_id for a in manual}
    GroupAssignment.objects.filter(group__call=call).delete()
    by_pk = {str(group.pk): group for group in groups}
    GroupAssignment.objects.bulk_create(
        [
            GroupAssignment(
                group=by_pk[key], application_id=int(pk), is_manual=int(pk) in manual_ids
            )
            for key, members in formed.items()
            for pk in members
        ]
    )
    return {by_pk[key].name: [int(pk) for pk in members] for key, members in formed.items()}


@transaction.atomic
def group_member_move(*, application: Application, group: CallGroup) -> GroupAssignment:
    """Staff move a selected applicant to another group of the same call."""
    if group.call_id != application.call_id or application.state != ApplicationState.SELECTED:
        raise ValidationError(
            {"group": _("Only a selected applicant joins one of the call's groups.")}
        )
    assignment, _created = GroupAssignment.objects.update_or_create(
        application=application, defaults={"group": group, "is_manual": True}
    )
    return assignment


# aid and support follow-up


@transaction.atomic
def aid_update(*, follow_up: AidFollowUp, fields: dict) -> AidFollowUp:
    _apply(
        follow_up,
        fields,
        {
            "amount_granted",
            "state",
            "agreement",
            "agreement_signed_on",
            "final_report_due_on",
            "final_report_received_on",
            "notes",
        },
    )
    upload = fields.get("agreement")
    if upload and not getattr(upload, "_committed", True):
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise ValidationError({"agreement": error.messages}) from None
    ceiling = follow_up.application.call.grant_ceiling
    if ceiling is not None and follow_up.amount_granted > ceiling:
        raise ValidationError(
            {"amount_granted": _("The ceiling per application is %(c)s €.") % {"c": ceiling}}
        )
    if follow_up.final_report_received_on and follow_up.state != AidState.CLOSED:
        follow_up.state = AidState.CLOSED
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def _check_paid_on(paid_on) -> None:
    """A payment date is a real date, never in the future (the server's day, Europe/Paris)."""
    if paid_on is not None and paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("A payment date cannot be in the future: give the day it was paid.")}
        )


def _settle_aid_state(follow_up: AidFollowUp) -> None:
    """Once every instalment is paid and they add up to the amount granted, the aid waits for
    its final report (if it is not already received or closed)."""
    instalments = list(follow_up.instalments.all())
    paid_in_full = bool(
        instalments
        and all(i.paid_on for i in instalments)
        and sum(i.amount for i in instalments) >= follow_up.amount_granted
    )
    if paid_in_full and follow_up.state == AidState.PAYING:
        follow_up.state = AidState.REPORT_DUE
        follow_up.save(update_fields=["state"])
    elif not paid_in_full and follow_up.state == AidState.REPORT_DUE:
        follow_up.state = AidState.PAYING
        follow_up.save(update_fields=["state"])


@transaction.atomic
def instalment_add(*, follow_up: AidFollowUp, amount, due_on, paid_on=None) -> Instalment:
    """Schedule a payment; the instalments never add up to more than the amount granted."""
    planned = sum(i.amount for i in follow_up.instalments.all())
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give a positive amount.")})
    _check_paid_on(paid_on)
    if planned + amount > follow_up.amount_granted:
        raise ValidationError(
            {
                "amount": _("The instalments would exceed the amount granted (%(a)s €).")
                % {"a": follow_up.amount_granted}
            }
        )
    instalment = Instalment.objects.create(
        follow_up=follow_up, amount=amount, due_on=due_on, paid_on=paid_on
    )
    if follow_up.state in {AidState.GRANTED, AidState.AGREEMENT_SIGNED}:
        follow_up.state = AidState.PAYING
        follow_up.save(update_fields=["state"])
    _settle_aid_state(follow_up)
    return instalment


@transaction.atomic
def instalment_record_payment(*, instalment: Instalment, paid_on) -> Instalment:
    """Record (or correct) the day an instalment was paid. Refused: no date, a date in the
    future, an aid already closed. Side effect: the aid moves to "final report due" once every
    instalment is paid."""
    instalment = (
        Instalment.objects.select_for_update().select_related("follow_up").get(pk=instalment.pk)
    )
    follow_up = instalment.follow_up
    if paid_on is None:
        raise ValidationError({"paid_on": _("Give the day the instalment was paid.")})
    _check_paid_on(paid_on)
    if follow_up.state == AidState.CLOSED:
        raise ValidationError(
            {"paid_on": _("This aid is closed: its payments can no longer change.")}
        )
    instalment.paid_on = paid_on
    instalment.save(update_fields=["paid_on"])
    _settle_aid_state(follow_up)
    return instalment


@transaction.atomic
def support_open(*, application: Application, by) -> SupportFollowUp:
    """Staff take up a support request (no selection round for a rolling support call): the
    request is selected and its follow-up opened. Side effects: logs "selected"; e-mails the
    applicant the outcome."""
    if application.call.kind.family != Family.SUPPORT:
        raise ValidationError(_("Only a support request gets a support follow-up."))
    _move(application, ApplicationState.SELECTED)
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_at", "updated_at"])
    _log(application, "selected", by=by)
    follow_up, _created = SupportFollowUp.objects.get_or_create(application=application)
    mail.outcome_send(application_ids=[application.pk])
    return follow_up


@transaction.atomic
def support_update(
    *, follow_up: SupportFollowUp, adviser=None, outcome: str | None = None, close=False
) -> SupportFollowUp:
    """Assign an adviser, or close the request with an outcome (required to close)."""
    if adviser is not None:
        if not adviser.is_staff:
            raise ValidationError({"adviser": _("The adviser must be a staff member.")})
        follow_up.adviser = adviser
        if follow_up.state == SupportState.OPEN:
            follow_up.state = SupportState.IN_PROGRESS
    if outcome is not None:
        follow_up.outcome = _limited_text(outcome, field="outcome")
    if close:
        if not follow_up.outcome:
            raise ValidationError({"outcome": _("Write the outcome before closing the request.")})
        follow_up.state = SupportState.CLOSED
        follow_up.closed_on = timezone.localdate()
    follow_up.save()
    return follow_up


@transaction.atomic
def support_log_add(*, follow_up: SupportFollowUp, by, on, kind: str, text: str) -> SupportLogEntry:
    if follow_up.state == SupportState.CLOSED:
        raise ValidationError(_("This request is closed."))
    entry = SupportLogEntry(follow_up=follow_up, by=by, on=on, kind=kind, text=_clean_text(text))
    entry.full_clean(exclude=["follow_up", "by"])
    entry.save()
    if follow_up.state == SupportState.OPEN:
        follow_up.state = SupportState.IN_PROGRESS
        follow_up.save(update_fields=["state"])
    return entry


# reminders


@transaction.atomic
def call_reminders_send(*, now=None) -> int:
    """E-mail every applicant with a draft, `reminder_days` before a call's deadline, once per
    call. Returns the number of e-mails. Side effects: e-mails; marks the call reminded."""
    now = now or timezone.now()
    sent = 0
    calls = Call.objects.select_for_update().filter(
        is_published=True, reminders_sent_at__isnull=True, closes_at__gt=now, opens_at__lte=now
    )
    for call in calls:
        if call.closes_at - dt.timedelta(days=call.reminder_days) > now:
            continue
        drafts = list(
            call.applications.filter(state=ApplicationState.DRAFT).values_list("pk", flat=True)
        )
        mail.reminder_send(call=call, application_ids=drafts)
        sent += len(drafts)
        call.reminders_sent_at = now
        call.save(update_fields=["reminders_sent_at"])
    return sent
