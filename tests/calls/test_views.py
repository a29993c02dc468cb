"""Pages of the calls: public list and call page, applying over visits, the applicant's
status, the staff area, CSV export, and constant query counts on list pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from terreau.calls.models import (
    Application,
    ApplicationState,
    QuestionKind,
    Review,
    ReviewerAssignment,
)
from tests.calls.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    QuestionFactory,
    ReviewPhaseFactory,
)
from tests.factories import UserFactory
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def count_queries(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_shows_open_and_past_calls(client):
    open_call = CallFactory(title="Appel ouvert")
    past = CallFactory(
        title="Appel passé",
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=2),
    )
    CallFactory(title="Brouillon", is_published=False)
    response = client.get(reverse("calls:call_list"))
    content = response.content.decode()
    assert open_call.title in content and past.title in content
    assert "Brouillon" not in content


def test_a_draft_call_is_a_404_for_visitors_and_seen_by_staff(client, staff):
    call = CallFactory(is_published=False)
    assert client.get(call.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(call.get_absolute_url()).status_code == 200


def test_the_call_page_shows_its_timeline_and_contact(client):
    call = CallFactory(
        notification_label="à la mi-avril",
        first_meeting_at=timezone.now() + dt.timedelta(days=40),
        first_meeting_place="151 avenue du Président Hoover, Lille",
        contact_name="Rabah Ghomrane",
    )
    content = client.get(call.get_absolute_url()).content.decode()
    for text in ["à la mi-avril", "151 avenue du Président Hoover", "Rabah Ghomrane"]:
        assert text in content


@pytest.mark.parametrize(
    "name, url_name",
    [
        ("call list", "calls:call_list"),
        ("my applications", "calls:my_applications"),
        ("staff calls", "calls:staff_calls"),
        ("follow-up", "calls:staff_follow_up"),
    ],
)
def test_list_pages_run_the_same_number_of_queries_for_1_and_3_items(client, staff, name, url_name):
    client.force_login(staff)
    url = reverse(url_name)

    def add():
        call = CallFactory()
        ApplicationFactory(call=call, applicant=staff)

    add()
    one = count_queries(client, url)
    add()
    add()
    assert count_queries(client, url) == one


def test_the_applications_table_and_review_queue_run_constant_queries(client, staff):
    call = CallFactory()
    ReviewPhaseFactory(call=call)
    criteria = [CriterionFactory(call=call), CriterionFactory(call=call)]
    call.reviewers.add(staff)

    def add():
        application = ApplicationFactory(call=call, state=ApplicationState.UNDER_REVIEW)
        ReviewerAssignment.objects.create(application=application, reviewer=staff)
        review = Review.objects.create(application=application, reviewer=staff, total=3)
        for criterion in criteria:
            review.scores.create(criterion=criterion, value=1)

    client.force_login(staff)
    table = reverse("calls:staff_applications", kwargs={"slug": call.slug})
    queue = reverse("calls:review_queue", kwargs={"slug": call.slug})
    add()
    one_table, one_queue = count_queries(client, table), count_queries(client, queue)
    add()
    add()
    assert count_queries(client, table) == one_table
    assert count_queries(client, queue) == one_queue


def test_applying_over_two_visits_then_submitting(client, mailoutbox):
    call = CallFactory()
    motivation = QuestionFactory(call=call, kind=QuestionKind.LONG_TEXT, is_required=True)
    letter = QuestionFactory(call=call, kind=QuestionKind.FILE, is_required=True)
    user = UserFactory()
    client.force_login(user)
    url = reverse("calls:apply", kwargs={"slug": call.slug})
    response = client.post(url, {motivation.feature_key: "Partager", "save": "1"})
    assert response.status_code == 302
    application = Application.objects.get(applicant=user)
    assert application.state == ApplicationState.DRAFT
    # second visit: the answer is there; submitting without the letter names the field
    response = client.get(url)
    assert "Partager" in response.content.decode()
    response = client.post(url, {motivation.feature_key: "Partager", "submit": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors[letter.feature_key]
    response = client.post(
        url,
        {
            motivation.feature_key: "Partager",
            letter.feature_key: SimpleUploadedFile("lettre.pdf", PDF),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert len(mailoutbox) == 1
    # once submitted, the form is closed: the page sends to the status
    assert client.get(url)["Location"] == application.get_absolute_url()


def test_applying_is_refused_after_the_deadline(client):
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    QuestionFactory(call=call)
    client.force_login(UserFactory())
    response = client.get(reverse("calls:apply", kwargs={"slug": call.slug}))
    assert response.status_code == 302 and not Application.objects.exists()


def test_applicants_never_see_each_others_applications(client):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(UserFactory())
    assert client.get(application.get_absolute_url()).status_code == 404
    client.force_login(application.applicant)
    assert client.get(application.get_absolute_url()).status_code == 200


def test_an_applicant_withdraws(client):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(application.applicant)
    url = reverse("calls:application_withdraw", kwargs={"pk": application.pk})
    assert client.post(url, {"reason": ""}).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_members_cannot_reach_the_staff_area(client, user):
    call = CallFactory()
    client.force_login(user)
    for url in [
        reverse("calls:staff_calls"),
        reverse("calls:staff_call", kwargs={"slug": call.slug}),
        reverse("calls:staff_applications", kwargs={"slug": call.slug}),
        reverse("calls:staff_selection", kwargs={"slug": call.slug}),
    ]:
        assert client.get(url).status_code == 403


def test_the_csv_export_neutralises_formulas(client, staff):
    call = CallFactory()
    ApplicationFactory(call=call, applicant_name="=HYPERLINK(1)", state="submitted")
    client.force_login(staff)
    response = client.get(
        reverse("calls:staff_applications", kwargs={"slug": call.slug}) + "?format=csv"
    )
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_unknown_sort_and_hostile_filters_do_not_break_the_table(client, staff):
    call = CallFactory()
    ApplicationFactory(call=call)
    client.force_login(staff)
    url = reverse("calls:staff_applications", kwargs={"slug": call.slug})
    assert client.get(url, {"order": "__class__", "q": "\x00" * 5, "state": "x"}).status_code == 200


def test_staff_create_a_call_with_field_errors_shown(client, staff):
    from tests.calls.factories import CallKindFactory

    kind = CallKindFactory()
    client.force_login(staff)
    url = reverse("calls:staff_call_create")
    response = client.post(
        url,
        {
            "kind": kind.pk,
            "title": "Nouvel appel",
            "opens_at": "2030-03-10T09:00",
            "closes_at": "2030-03-01T12:00",
            "reviewers_per_application": 2,
            "reminder_days": 7,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"]
    response = client.post(
        url,
        {
            "kind": kind.pk,
            "title": "Nouvel appel",
            "opens_at": "2030-03-01T09:00",
            "closes_at": "2030-03-29T23:59",
            "reviewers_per_application": 2,
            "reminder_days": 7,
        },
    )
    assert response.status_code == 302


def test_staff_add_a_criterion_with_named_values(client, staff):
    call = CallFactory()
    client.force_login(staff)
    url = reverse("calls:staff_part_add", kwargs={"slug": call.slug, "part": "critere"})
    response = client.post(
        url, {"name": "Motivation", "weight": "2", "score_text": "oops", "position": 0}
    )
    assert response.context["form"].errors["score_text"]
    client.post(
        url,
        {
            "name": "Motivation",
            "weight": "2",
            "score_text": "0 = faible\n3 = forte",
            "is_required": "on",
            "position": 0,
        },
    )
    assert call.criteria.get().score_values == [[0, "faible"], [3, "forte"]]


def test_a_reviewer_scores_through_the_page_and_cannot_score_twice(client):
    call = CallFactory(is_review_anonymised=True)
    ReviewPhaseFactory(call=call)
    criterion = CriterionFactory(call=call)
    identifying = QuestionFactory(call=call, label="Votre nom complet", is_identifying=True)
    reviewer = UserFactory()
    call.reviewers.add(reviewer)
    application = ApplicationFactory(call=call, state="under_review", applicant_name="Zoé Secret")
    ReviewerAssignment.objects.create(application=application, reviewer=reviewer)
    client.force_login(reviewer)
    url = reverse("calls:review", kwargs={"pk": application.pk})
    page = client.get(url).content.decode()
    assert "Zoé Secret" not in page and identifying.label not in page
    assert client.post(url, {f"c{criterion.pk}": "3", "comment": "Bien"}).status_code == 302
    assert Review.objects.get().total == 3
    # a second POST changes the same review, it never makes a second one
    client.post(url, {f"c{criterion.pk}": "2"})
    assert Review.objects.count() == 1 and Review.objects.get().total == 2


def test_reviewers_see_each_others_scores_only_when_the_phase_says_so(client):
    call = CallFactory()
    phase = ReviewPhaseFactory(call=call, may_see_other_reviews=False)
    me, other = UserFactory(), UserFactory()
    call.reviewers.set([me, other])
    application = ApplicationFactory(call=call, state="under_review")
    for reviewer in (me, other):
        ReviewerAssignment.objects.create(application=application, reviewer=reviewer)
    Review.objects.create(application=application, reviewer=other, total=2, comment="Avis B")
    client.force_login(me)
    url = reverse("calls:review", kwargs={"pk": application.pk})
    assert "Avis B" not in client.get(url).content.decode()
    phase.may_see_other_reviews = True
    phase.save()
    assert "Avis B" in client.get(url).content.decode()


def test_every_staff_page_of_a_call_opens(client, staff):
    call = CallFactory()
    question = QuestionFactory(call=call, kind=QuestionKind.CHOICE, choices="A\nB")
    criterion = CriterionFactory(call=call)
    application = ApplicationFactory(call=call, state="submitted")
    client.force_login(staff)
    slug = call.slug
    for name, kwargs in [
        ("calls:staff_call", {}),
        ("calls:staff_call_edit", {}),
        ("calls:staff_applications", {}),
        ("calls:staff_application", {"pk": application.pk}),
        ("calls:staff_application_reopen", {"pk": application.pk}),
        ("calls:staff_paper_application", {}),
        ("calls:staff_reviewers", {}),
        ("calls:staff_selection", {}),
        ("calls:staff_part_add", {"part": "question"}),
        ("calls:staff_part_edit", {"part": "question", "pk": question.pk}),
        ("calls:staff_part_edit", {"part": "critere", "pk": criterion.pk}),
        ("calls:staff_part_add", {"part": "groupe"}),
        ("calls:staff_part_add", {"part": "phase"}),
    ]:
        url = reverse(name, kwargs={"slug": slug, **kwargs})
        assert client.get(url).status_code == 200, url
    assert (
        client.get(reverse("calls:staff_part_add", kwargs={"slug": slug, "part": "x"})).status_code
        == 404
    )


def test_attached_files_are_served_only_to_those_who_may_see_the_application(client):
    from terreau.calls import services

    call = CallFactory(is_review_anonymised=True)
    letter = QuestionFactory(call=call, kind=QuestionKind.FILE, is_identifying=True)
    application = ApplicationFactory(call=call)
    services.application_save(
        application=application,
        answers={},
        files={letter.pk: SimpleUploadedFile("lettre.pdf", PDF)},
    )
    answer = application.answers.get()
    assert "calls/private/" in answer.file.name and "lettre.pdf" in answer.file.name
    url = reverse("calls:answer_file", kwargs={"pk": application.pk, "answer_pk": answer.pk})
    client.force_login(application.applicant)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    reviewer = UserFactory()
    ReviewerAssignment.objects.create(application=application, reviewer=reviewer)
    client.force_login(reviewer)
    assert client.get(url).status_code == 404  # identifying, and the review is anonymised


def test_the_reviews_export_has_one_row_per_review(client, staff):
    call = CallFactory()
    criterion = CriterionFactory(call=call, name="Motivation")
    application = ApplicationFactory(call=call, state="under_review")
    for reviewer in (UserFactory(), UserFactory()):
        review = Review.objects.create(
            application=application, reviewer=reviewer, total=2, comment="+ bien"
        )
        review.scores.create(criterion=criterion, value=2)
    client.force_login(staff)
    url = reverse("calls:staff_applications", kwargs={"slug": call.slug})
    body = b"".join(client.get(url + "?format=reviews").streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 3 and "Motivation" in lines[0]
    assert "'+ bien" in lines[1]


def test_the_groups_page_is_there_only_with_the_grouping_module(client, staff):
    from terreau.calls.views_staff import grouping_available

    call = CallFactory()
    client.force_login(staff)
    response = client.get(reverse("calls:staff_groups", kwargs={"slug": call.slug}))
    assert response.status_code == (200 if grouping_available() else 404)


def test_staff_record_an_instalment_paid_date_on_the_aid_page_with_field_errors(client, staff):
    from decimal import Decimal

    from terreau.calls import services
    from terreau.calls.models import AidFollowUp, AidState

    application = ApplicationFactory(state=ApplicationState.SELECTED)
    aid = AidFollowUp.objects.create(application=application, amount_granted=Decimal("3000"))
    instalment = services.instalment_add(
        follow_up=aid, amount=Decimal("3000"), due_on=timezone.localdate()
    )
    other = AidFollowUp.objects.create(
        application=ApplicationFactory(state=ApplicationState.SELECTED),
        amount_granted=Decimal("500"),
    )
    foreign = services.instalment_add(
        follow_up=other, amount=Decimal("500"), due_on=timezone.localdate()
    )
    url = reverse("calls:staff_aid", kwargs={"pk": aid.pk})
    field = f"paid-{instalment.pk}-paid_on"
    # Anonymous visitors and members cannot record a payment.
    assert client.post(url, {"payment": instalment.pk, field: "2026-01-01"}).status_code in (
        302,
        403,
    )
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert f'name="{field}"' in page and "Enregistrer le paiement" in page
    # A date in the future: a field-level error, nothing saved.
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(url, {"payment": instalment.pk, field: future})
    assert response.status_code == 200
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    # Not a date: the form says so.
    response = client.post(url, {"payment": instalment.pk, field: "le 3 mars"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.paid_on is None
    # Another aid's instalment, or a forged id: not found, never a 500.
    assert client.post(url, {"payment": foreign.pk}).status_code == 404
    assert client.post(url, {"payment": "1e9"}).status_code == 404
    # A real date is recorded; the aid now awaits its final report.
    paid = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"payment": instalment.pk, field: paid})
    assert response.status_code == 302
    instalment.refresh_from_db()
    aid.refresh_from_db()
    assert instalment.paid_on.isoformat() == paid and aid.state == AidState.REPORT_DUE
    assert "Corriger la date de paiement" in client.get(url).content.decode()
