"""Services of the calls: the application state machine, answers and their checks, reviews,
reviewer assignment, reopening, paper entries, reminders — and nothing half-saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from terreau.calls import services
from terreau.calls.models import (
    TRANSITIONS,
    Answer,
    Application,
    ApplicationState,
    QuestionKind,
    Review,
    ReviewerAssignment,
)
from terreau.directory.models import Membership
from tests.calls.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
    ReviewPhaseFactory,
)
from tests.directory.factories import OrganisationFactory, PersonFactory
from tests.factories import UserFactory
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def pdf(name="engagement.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def questions(call):
    return {
        "motivation": QuestionFactory(call=call, kind=QuestionKind.LONG_TEXT, is_required=True),
        "public": QuestionFactory(
            call=call, kind=QuestionKind.CHOICE, choices="Jeunes\nHabitants", is_required=True
        ),
        "engagement": QuestionFactory(call=call, kind=QuestionKind.FILE, is_required=True),
        "count": QuestionFactory(call=call, kind=QuestionKind.NUMBER),
    }


def complete(application, questions):
    services.application_save(
        application=application,
        answers={questions["motivation"].pk: "Échanger", questions["public"].pk: "Jeunes"},
        files={questions["engagement"].pk: pdf()},
    )


# the state machine


def test_every_state_has_its_transitions_written_down():
    assert set(TRANSITIONS) == set(ApplicationState)


def test_a_draft_is_submitted_with_its_answers_and_the_applicant_is_told(
    call, questions, mailoutbox
):
    user = UserFactory()
    application = services.application_start(call=call, user=user)
    assert application.state == ApplicationState.DRAFT
    complete(application, questions)
    services.application_submit(application=application, by=user)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    assert [entry.action for entry in application.log.all()] == ["submitted"]
    assert len(mailoutbox) == 1 and call.title in mailoutbox[0].subject


def test_starting_twice_returns_the_same_draft(call):
    user = UserFactory()
    first = services.application_start(call=call, user=user)
    assert services.application_start(call=call, user=user) == first
    assert Application.objects.count() == 1


def test_a_closed_call_takes_no_new_application():
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.application_start(call=call, user=UserFactory())


def test_submission_after_the_deadline_is_refused_on_the_server_clock(call, questions):
    application = ApplicationFactory(call=call)
    complete(application, questions)
    late = call.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, now=late)
    assert error.value.code == "late"
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_missing_required_answers_and_file_are_named_field_by_field(call, questions):
    application = ApplicationFactory(call=call)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application)
    assert set(error.value.message_dict) == {
        questions["motivation"].feature_key,
        questions["public"].feature_key,
        questions["engagement"].feature_key,
    }
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_a_submitted_application_cannot_be_submitted_again(call, questions):
    application = ApplicationFactory(call=call)
    complete(application, questions)
    services.application_submit(application=application)
    with pytest.raises(ValidationError):
        services.application_submit(application=application)


def test_withdrawing_is_final(call):
    application = ApplicationFactory(call=call, state=ApplicationState.SUBMITTED)
    services.application_withdraw(application=application, reason="Plus disponible")
    assert application.state == ApplicationState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application)


def test_staff_reopen_with_a_reason_and_the_applicant_submits_after_the_deadline(questions, call):
    staff = UserFactory(is_staff=True)
    application = ApplicationFactory(call=call)
    complete(application, questions)
    services.application_submit(application=application)
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.opens_at = call.closes_at - dt.timedelta(days=10)
    call.save()
    application = Application.objects.get(pk=application.pk)
    with pytest.raises(ValidationError) as error:
        services.application_reopen(application=application, by=staff, reason="  ")
    assert "reason" in error.value.message_dict
    services.application_reopen(application=application, by=staff, reason="Pièce illisible")
    assert application.state == ApplicationState.DRAFT
    assert application.extended_until > timezone.now()
    entry = application.log.get(action="reopened")
    assert entry.reason == "Pièce illisible" and entry.by == staff
    services.application_submit(application=application)
    assert application.state == ApplicationState.SUBMITTED


def test_a_decided_application_cannot_go_back_to_draft(call):
    application = ApplicationFactory(call=call, state=ApplicationState.NOT_SELECTED)
    with pytest.raises(ValidationError):
        services.application_reopen(
            application=application, by=UserFactory(is_staff=True), reason="x"
        )


# answers


def test_invalid_answers_are_refused_field_by_field_and_nothing_is_saved(call, questions):
    application = ApplicationFactory(call=call)
    with pytest.raises(ValidationError) as error:
        services.application_save(
            application=application,
            answers={
                questions["motivation"].pk: "Une bonne raison",
                questions["public"].pk: "Martiens",
                questions["count"].pk: "beaucoup",
            },
        )
    assert set(error.value.message_dict) == {
        questions["public"].feature_key,
        questions["count"].feature_key,
    }
    assert not Answer.objects.exists()


def test_a_file_of_the_wrong_type_or_too_large_is_refused(call, questions, settings):
    application = ApplicationFactory(call=call)
    key = questions["engagement"].feature_key
    with pytest.raises(ValidationError) as error:
        services.application_save(
            application=application,
            answers={},
            files={questions["engagement"].pk: pdf("lettre.pdf", b"MZ not a pdf")},
        )
    assert key in error.value.message_dict
    settings.TERREAU_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        services.application_save(
            application=application, answers={}, files={questions["engagement"].pk: pdf()}
        )
    assert (
        "large" in error.value.message_dict[key][0]
        or "volumineux" in (error.value.message_dict[key][0])
    )
    assert not Answer.objects.exists()


def test_an_amount_above_the_ceiling_is_refused():
    call = CallFactory(grant_ceiling=Decimal("5000"), budget_envelope=Decimal("20000"))
    amount = QuestionFactory(call=call, kind=QuestionKind.AMOUNT)
    application = ApplicationFactory(call=call)
    with pytest.raises(ValidationError) as error:
        services.application_save(application=application, answers={amount.pk: Decimal("5000.01")})
    assert amount.feature_key in error.value.message_dict
    services.application_save(application=application, answers={amount.pk: Decimal("4200")})
    assert application.requested_amount == Decimal("4200")


def test_a_new_organisation_is_added_to_the_directory_unpublished(call):
    question = QuestionFactory(call=call, kind=QuestionKind.ORGANISATION)
    application = ApplicationFactory(call=call)
    services.application_save(
        application=application,
        answers={question.pk: {"name": "Collectif des Tilleuls", "kind": "collective"}},
    )
    assert application.organisation.name == "Collectif des Tilleuls"
    assert not application.organisation.is_published


def test_nul_characters_are_dropped_from_text_answers(call, questions):
    application = ApplicationFactory(call=call)
    services.application_save(
        application=application, answers={questions["motivation"].pk: "a\x00b"}
    )
    assert Answer.objects.get().value == "ab"


def test_a_paper_application_is_entered_and_submitted_by_staff(call, questions):
    staff = UserFactory(is_staff=True)
    application = services.application_paper_create(
        call=call,
        by=staff,
        name="Rabah G.",
        email="rg@example.org",
        answers={questions["motivation"].pk: "Par courrier", questions["public"].pk: "Jeunes"},
        files={questions["engagement"].pk: pdf()},
    )
    assert application.is_paper and application.state == ApplicationState.SUBMITTED
    assert application.log.get().action == "paper entry"


def test_a_paper_application_without_an_email_is_refused_whole(call, questions):
    with pytest.raises(ValidationError) as error:
        services.application_paper_create(
            call=call, by=UserFactory(is_staff=True), name="X", email="", answers={}
        )
    assert "email" in error.value.message_dict
    assert not Application.objects.exists()


# review


@pytest.fixture
def review_setup(call):
    ReviewPhaseFactory(call=call)
    criteria = [CriterionFactory(call=call), CriterionFactory(call=call, weight=2)]
    reviewer = UserFactory()
    call.reviewers.add(reviewer)
    application = ApplicationFactory(call=call, state=ApplicationState.UNDER_REVIEW)
    ReviewerAssignment.objects.create(application=application, reviewer=reviewer)
    return application, reviewer, criteria


def test_a_reviewer_scores_once_with_weights(review_setup):
    application, reviewer, (first, second) = review_setup
    review = services.review_create(
        application=application, reviewer=reviewer, scores={first.pk: 3, second.pk: 2}
    )
    assert review.total == 3 * 1 + 2 * 2
    with pytest.raises(ValidationError) as error:
        services.review_create(
            application=application, reviewer=reviewer, scores={first.pk: 1, second.pk: 1}
        )
    assert "review" in error.value.message_dict
    assert Review.objects.count() == 1


def test_a_comment_too_long_is_refused_on_its_field_not_cut(review_setup):
    application, reviewer, (first, second) = review_setup
    scores = {first.pk: 3, second.pk: 2}
    with pytest.raises(ValidationError) as error:
        services.review_create(
            application=application, reviewer=reviewer, scores=scores, comment="x" * 5001
        )
    assert set(error.value.message_dict) == {"comment"}
    assert not Review.objects.exists()
    review = services.review_create(
        application=application, reviewer=reviewer, scores=scores, comment="x" * 5000
    )
    assert len(review.comment) == 5000


def test_a_score_outside_the_named_values_or_missing_is_refused(review_setup):
    application, reviewer, (first, second) = review_setup
    with pytest.raises(ValidationError) as error:
        services.review_create(application=application, reviewer=reviewer, scores={first.pk: 7})
    assert set(error.value.message_dict) == {f"c{first.pk}", f"c{second.pk}"}
    assert not Review.objects.exists()


def test_a_reviewer_with_a_declared_conflict_cannot_score(review_setup):
    application, reviewer, (first, second) = review_setup
    services.conflict_declare(application=application, reviewer=reviewer, reason="Collègue")
    with pytest.raises(ValidationError) as error:
        services.review_create(
            application=application, reviewer=reviewer, scores={first.pk: 1, second.pk: 1}
        )
    assert "conflict" in error.value.message_dict
    assert not ReviewerAssignment.objects.exists()


def test_no_scoring_without_an_active_review_phase(review_setup):
    application, reviewer, (first, second) = review_setup
    application.call.review_phases.update(is_active=False)
    with pytest.raises(ValidationError):
        services.review_create(
            application=application, reviewer=reviewer, scores={first.pk: 1, second.pk: 1}
        )


def test_automatic_assignment_is_balanced_and_avoids_the_applicants_organisation(call):
    call.reviewers_per_application = 2
    call.save()
    organisation = OrganisationFactory()
    reviewers = [UserFactory() for _ in range(3)]
    call.reviewers.set(reviewers)
    colleague = PersonFactory(user=reviewers[0])
    Membership.objects.create(person=colleague, organisation=organisation)
    applications = [
        ApplicationFactory(call=call, state=ApplicationState.SUBMITTED) for _ in range(5)
    ]
    applications[0].organisation = organisation
    applications[0].save()
    result = services.reviewers_assign_balanced(call=call)
    assert result.shortfalls == {}
    assert not ReviewerAssignment.objects.filter(
        application=applications[0], reviewer=reviewers[0]
    ).exists()
    loads = sorted(result.loads.values())
    assert sum(loads) == 10 and loads[-1] - loads[0] <= 1
    assert set(call.applications.values_list("state", flat=True)) == {ApplicationState.UNDER_REVIEW}


def test_a_reviewer_from_the_organisation_cannot_be_assigned_by_hand(call):
    organisation = OrganisationFactory()
    reviewer = UserFactory()
    Membership.objects.create(person=PersonFactory(user=reviewer), organisation=organisation)
    application = ApplicationFactory(call=call, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.reviewer_assign(application=application, reviewer=reviewer)
    assert "reviewer" in error.value.message_dict


# call editing


def test_call_dates_are_checked_field_by_field(call):
    with pytest.raises(ValidationError) as error:
        services.call_update(call=call, fields={"closes_at": call.opens_at - dt.timedelta(days=1)})
    assert "closes_at" in error.value.message_dict


def test_a_call_without_questions_cannot_be_published():
    call = CallFactory(is_published=False)
    with pytest.raises(ValidationError):
        services.call_publish(call=call)
    QuestionFactory(call=call)
    assert services.call_publish(call=call).is_published


def test_score_values_are_parsed_and_checked():
    assert services.parse_score_values("0 = faible\n3 = excellent") == [
        [0, "faible"],
        [3, "excellent"],
    ]
    with pytest.raises(ValidationError):
        services.parse_score_values("excellent")
    with pytest.raises(ValidationError):
        services.parse_score_values("1 = a\n1 = b")


def test_one_review_phase_is_active_at_a_time(call):
    first = services.review_phase_save(call=call, fields={"name": "Tri"})
    second = services.review_phase_save(call=call, fields={"name": "Jury"})
    services.review_phase_activate(phase=first)
    services.review_phase_activate(phase=second)
    first.refresh_from_db()
    assert not first.is_active and second.is_active


# reminders


def test_drafts_are_reminded_once_some_days_before_the_deadline(mailoutbox):
    call = CallFactory(closes_at=timezone.now() + dt.timedelta(days=3), reminder_days=7)
    ApplicationFactory(call=call)
    ApplicationFactory(call=call, state=ApplicationState.SUBMITTED)
    far = CallFactory(closes_at=timezone.now() + dt.timedelta(days=30), reminder_days=7)
    ApplicationFactory(call=far)
    assert services.call_reminders_send() == 1
    assert len(mailoutbox) == 1 and call.title in mailoutbox[0].subject
    assert services.call_reminders_send() == 0


def test_the_reminder_command_sends_them(mailoutbox):
    from django.core.management import call_command

    call = CallFactory(closes_at=timezone.now() + dt.timedelta(days=2))
    ApplicationFactory(call=call)
    call_command("send_call_reminders")
    assert len(mailoutbox) == 1


def test_a_support_request_is_taken_up_followed_and_closed(mailoutbox):
    from terreau.calls.models import CallKind, Family, SupportState

    kind = CallKind.objects.create(name="Appui", slug="appui", family=Family.SUPPORT)
    call = CallFactory(kind=kind)
    staff = UserFactory(is_staff=True)
    request = ApplicationFactory(call=call, state=ApplicationState.SUBMITTED)
    follow_up = services.support_open(application=request, by=staff)
    assert request.state == ApplicationState.SELECTED and len(mailoutbox) == 1
    services.support_update(follow_up=follow_up, adviser=staff)
    services.support_log_add(
        follow_up=follow_up, by=staff, on=timezone.localdate(), kind="meeting", text="Entretien"
    )
    with pytest.raises(ValidationError) as error:
        services.support_update(follow_up=follow_up, close=True)
    assert "outcome" in error.value.message_dict
    services.support_update(follow_up=follow_up, outcome="Conseil relancé", close=True)
    assert follow_up.state == SupportState.CLOSED
    with pytest.raises(ValidationError):
        services.support_log_add(
            follow_up=follow_up, by=staff, on=timezone.localdate(), kind="note", text="x"
        )


def test_instalments_never_exceed_the_amount_granted():
    from terreau.calls.models import AidFollowUp

    application = ApplicationFactory(state=ApplicationState.SELECTED)
    aid = AidFollowUp.objects.create(application=application, amount_granted=Decimal("3000"))
    services.instalment_add(follow_up=aid, amount=Decimal("2000"), due_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        services.instalment_add(follow_up=aid, amount=Decimal("1500"), due_on=timezone.localdate())
    assert "amount" in error.value.message_dict
    assert aid.instalments.count() == 1


def test_staff_record_the_day_an_instalment_was_paid_and_the_aid_then_awaits_its_report():
    from terreau.calls.models import AidFollowUp, AidState

    application = ApplicationFactory(state=ApplicationState.SELECTED)
    aid = AidFollowUp.objects.create(application=application, amount_granted=Decimal("3000"))
    today = timezone.localdate()
    first = services.instalment_add(follow_up=aid, amount=Decimal("2000"), due_on=today)
    second = services.instalment_add(follow_up=aid, amount=Decimal("1000"), due_on=today)
    services.instalment_record_payment(instalment=first, paid_on=today - dt.timedelta(days=3))
    aid.refresh_from_db()
    assert aid.state == AidState.PAYING
    services.instalment_record_payment(instalment=second, paid_on=today)
    aid.refresh_from_db()
    first.refresh_from_db()
    assert first.paid_on == today - dt.timedelta(days=3)
    assert aid.state == AidState.REPORT_DUE


@pytest.mark.parametrize("days, message", [(1, "dans le futur"), (None, "Indiquez le jour")])
def test_a_payment_date_in_the_future_or_missing_is_refused_and_nothing_is_saved(days, message):
    from terreau.calls.models import AidFollowUp

    application = ApplicationFactory(state=ApplicationState.SELECTED)
    aid = AidFollowUp.objects.create(application=application, amount_granted=Decimal("3000"))
    instalment = services.instalment_add(
        follow_up=aid, amount=Decimal("3000"), due_on=timezone.localdate()
    )
    paid_on = None if days is None else timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError) as error:
        services.instalment_record_payment(instalment=instalment, paid_on=paid_on)
    assert message in " ".join(error.value.message_dict["paid_on"])
    instalment.refresh_from_db()
    assert instalment.paid_on is None


def test_the_payments_of_a_closed_aid_no_longer_change():
    from terreau.calls.models import AidFollowUp, AidState

    application = ApplicationFactory(state=ApplicationState.SELECTED)
    aid = AidFollowUp.objects.create(application=application, amount_granted=Decimal("3000"))
    instalment = services.instalment_add(
        follow_up=aid, amount=Decimal("3000"), due_on=timezone.localdate()
    )
    AidFollowUp.objects.filter(pk=aid.pk).update(state=AidState.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.instalment_record_payment(instalment=instalment, paid_on=timezone.localdate())
    assert "paid_on" in error.value.message_dict


def test_selected_applications_are_the_call_s_selected_ones_in_one_query(
    django_assert_num_queries,
):
    from terreau.calls import selectors
    from terreau.calls.models import CallGroup, GroupAssignment

    call = CallFactory()
    east = CallGroup.objects.create(call=call, name="Est", min_size=1, max_size=15)
    chosen = [ApplicationFactory(call=call, state=ApplicationState.SELECTED) for _ in range(3)]
    ApplicationFactory(call=call, state=ApplicationState.WAITING_LIST)
    ApplicationFactory(state=ApplicationState.SELECTED)  # another call's
    GroupAssignment.objects.create(group=east, application=chosen[0])
    with django_assert_num_queries(1):
        everyone = selectors.selected_applications(call=call)
        assert {a.pk for a in everyone} == {a.pk for a in chosen}
        assert [a.group_assignment.group.name for a in everyone if a.pk == chosen[0].pk] == ["Est"]
    assert [a.pk for a in selectors.selected_applications(call=call, call_group=east)] == [
        chosen[0].pk
    ]
