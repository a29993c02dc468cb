"""Selection runs of a call (the service around the pure selection module): quotas from the
form's answers, bad input, confirmation and the outcome e-mails, the public verification page,
and group formation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terreau.calls import selectors, services
from terreau.calls.models import (
    AidFollowUp,
    Answer,
    ApplicationState,
    CallGroup,
    CallKind,
    Family,
    GroupAssignment,
    QuestionKind,
    Review,
    SelectionRun,
)
from tests.calls.factories import ApplicationFactory, CallFactory, QuestionFactory
from tests.factories import UserFactory
from tests.territories.factories import ZoneFactory

pytestmark = pytest.mark.django_db
# The pure selection module is written on its own branch; these tests run once it is merged.
pytest.importorskip("terreau.calls.selection")


@pytest.fixture
def staff_user():
    return UserFactory(is_staff=True)


def pool(call, size, *, publics=("Jeunes", "Habitants"), zones=None):
    """`size` applications in review; public alternates; score = position."""
    question = QuestionFactory(call=call, kind=QuestionKind.CHOICE, choices="\n".join(publics))
    reviewer = UserFactory()
    applications = []
    for number in range(size):
        application = ApplicationFactory(
            call=call,
            state=ApplicationState.UNDER_REVIEW,
            zone=zones[number % len(zones)] if zones else None,
        )
        Answer.objects.create(
            application=application, question=question, value=publics[number % len(publics)]
        )
        Review.objects.create(application=application, reviewer=reviewer, total=number)
        applications.append(application)
    return question, applications


def test_merit_selection_meets_the_quotas_and_sends_nothing_before_confirmation(
    staff_user, mailoutbox
):
    call = CallFactory()
    question, applications = pool(call, 8)
    quotas = [{"feature": question.feature_key, "value": "Jeunes", "min": 3, "max": 3}]
    run = services.selection_run(call=call, by=staff_user, method="merit", seats=4, quotas=quotas)
    chosen = {int(pk) for pk in run.result["panel"]}
    assert len(chosen) == 4
    jeunes = {a.pk for a in applications if applications.index(a) % 2 == 0}
    assert len(chosen & jeunes) == 3
    # the best "Habitants" (highest score) is in, by merit
    assert applications[7].pk in chosen
    assert not mailoutbox
    assert set(call.applications.values_list("state", flat=True)) == {"under_review"}
    report = selectors.selection_report(run=run)
    assert all(row["ok"] for row in report["composition"])


def test_more_seats_than_applications_is_a_field_error(staff_user):
    call = CallFactory()
    pool(call, 3)
    with pytest.raises(ValidationError) as error:
        services.selection_run(call=call, by=staff_user, method="merit", seats=5, quotas=[])
    assert "seats" in error.value.message_dict
    assert not SelectionRun.objects.exists()


def test_infeasible_quotas_are_explained_and_nothing_is_saved(staff_user):
    call = CallFactory()
    question, _applications = pool(call, 6)
    quotas = [
        {"feature": question.feature_key, "value": "Jeunes", "min": 3, "max": 3},
        {"feature": question.feature_key, "value": "Habitants", "min": 3, "max": 3},
    ]
    with pytest.raises(ValidationError) as error:
        services.selection_run(call=call, by=staff_user, method="leximin", seats=4, quotas=quotas)
    assert error.value.message_dict["quotas"]
    assert not SelectionRun.objects.exists()


def test_a_budget_smaller_than_the_cheapest_grant_is_refused(staff_user):
    kind = CallKind.objects.create(name="Aide", slug="aide", family=Family.FINANCIAL_AID)
    call = CallFactory(kind=kind, budget_envelope=Decimal("1000"), grant_ceiling=Decimal("1000"))
    _question, applications = pool(call, 3)
    for application in applications:
        application.requested_amount = Decimal("2000")
        application.save()
    with pytest.raises(ValidationError) as error:
        services.selection_run(call=call, by=staff_user, method="budget", seats=2, quotas=[])
    assert "budget" in error.value.message_dict


def test_a_budget_selection_never_exceeds_the_envelope_and_opens_aid_follow_ups(
    staff_user, mailoutbox
):
    kind = CallKind.objects.create(name="Aide", slug="aide", family=Family.FINANCIAL_AID)
    call = CallFactory(kind=kind, budget_envelope=Decimal("5000"))
    _question, applications = pool(call, 5)
    for number, application in enumerate(applications):
        application.requested_amount = Decimal(1000 + 500 * number)
        application.save()
    run = services.selection_run(call=call, by=staff_user, method="budget", seats=5, quotas=[])
    assert run.result["total_cost"] <= 5000
    services.selection_confirm(run=run, by=staff_user)
    granted = AidFollowUp.objects.all()
    assert granted.count() == len(run.result["panel"])
    assert sum(aid.amount_granted for aid in granted) <= Decimal("5000")
    assert len(mailoutbox) == 5


def test_confirming_a_lottery_tells_every_applicant_and_publishes_the_seed(
    client, staff_user, mailoutbox
):
    call = CallFactory(selection_text="Diversité des structures et des pratiques.")
    question, applications = pool(call, 6)
    quotas = [{"feature": question.feature_key, "value": "Jeunes", "min": 1, "max": 2}]
    run = services.selection_run(
        call=call, by=staff_user, method="leximin", seats=3, quotas=quotas, seed=2013
    )
    assert run.seed == 2013
    marginals = run.result["lottery"]["marginals"]
    assert abs(sum(marginals.values()) - 3) < 1e-6
    services.selection_confirm(run=run, by=staff_user)
    states = dict(call.applications.values_list("pk", "state"))
    panel = {int(pk) for pk in run.result["panel"]}
    assert {pk for pk, state in states.items() if state == "selected"} == panel
    assert set(states.values()) <= {"selected", "waiting_list", "not_selected"}
    assert len(mailoutbox) == 6
    assert all("Diversité des structures" in message.body for message in mailoutbox)
    with pytest.raises(ValidationError):
        services.selection_confirm(run=run, by=staff_user)
    page = client.get(reverse("calls:draw_verify", kwargs={"pk": run.pk}))
    content = page.content.decode()
    assert "2013" in content
    assert page.context["matches"] is True
    # applicants are shown by reference on the public page, never by name
    assert applications[0].applicant_name not in content
    pool_csv = b"".join(client.get(page.request["PATH_INFO"] + "?fichier=vivier").streaming_content)
    lines = pool_csv.decode().strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("id,") and len(lines) == 7
    assert applications[0].applicant_name not in pool_csv.decode()
    quotas_csv = b"".join(
        client.get(page.request["PATH_INFO"] + "?fichier=quotas").streaming_content
    )
    assert "Jeunes,1,2" in quotas_csv.decode()


def test_an_unconfirmed_draw_has_no_public_page(client, staff_user):
    call = CallFactory()
    pool(call, 4)
    run = services.selection_run(
        call=call, by=staff_user, method="leximin", seats=2, quotas=[], seed=1
    )
    assert client.get(reverse("calls:draw_verify", kwargs={"pk": run.pk})).status_code == 404


def test_above_fifty_applicants_the_outcome_goes_through_a_task(staff_user, mailoutbox):
    call = CallFactory()
    pool(call, 51)
    run = services.selection_run(call=call, by=staff_user, method="merit", seats=10, quotas=[])
    services.selection_confirm(run=run, by=staff_user)
    assert len(mailoutbox) == 51


def test_proportional_quotas_follow_the_pool():
    quotas = services.quotas_build(
        pool_counts={"public": {"Jeunes": 30, "Habitants": 10}},
        pool_size=40,
        rows=[
            {"feature": "public", "value": "Jeunes", "tolerance": 1},
            {"feature": "public", "value": "Habitants", "tolerance": 0},
        ],
        seats=10,
    )
    assert quotas == [
        {"feature": "public", "value": "Jeunes", "min": 6, "max": 9},
        {"feature": "public", "value": "Habitants", "min": 2, "max": 3},
    ]


def test_groups_are_formed_by_zone_and_moved_by_hand(staff_user):
    pytest.importorskip("terreau.calls.grouping")
    est, ouest = ZoneFactory(name="Est", slug="est"), ZoneFactory(name="Ouest", slug="ouest")
    call = CallFactory()
    call.zones.set([est, ouest])
    question, applications = pool(call, 8, zones=[est, ouest])
    call.applications.update(state=ApplicationState.SELECTED)
    group_est = CallGroup.objects.create(call=call, name="Est", zone=est, min_size=2, max_size=6)
    group_ouest = CallGroup.objects.create(
        call=call, name="Ouest", zone=ouest, min_size=2, max_size=6
    )
    formed = services.groups_form(call=call, features=[question.feature_key])
    assert sorted(formed["Est"]) == sorted(a.pk for a in applications if a.zone == est)
    moved = call.applications.get(pk=applications[0].pk)
    services.group_member_move(application=moved, group=group_ouest)
    assert GroupAssignment.objects.get(application=moved).group == group_ouest
    groups = selectors.group_balance(call=call, features=[question.feature_key])
    assert {entry["group"].name for entry in groups} == {"Est", "Ouest"}
    assert group_est.members.count() == 3
    est_rows = next(entry for entry in groups if entry["group"] == group_est)["balance"]
    assert {row["value_label"] for row in est_rows} == {"Jeunes", "Habitants"}
    # forming again keeps the one moved by hand where staff put them
    services.groups_form(call=call, features=[question.feature_key])
    assert GroupAssignment.objects.get(application=moved).group == group_ouest


def test_groups_that_cannot_hold_the_selected_are_refused(staff_user):
    call = CallFactory()
    pool(call, 5)
    call.applications.update(state=ApplicationState.SELECTED)
    CallGroup.objects.create(call=call, name="Seul", min_size=1, max_size=3)
    with pytest.raises(ValidationError):
        services.groups_form(call=call, features=[])
    assert not GroupAssignment.objects.exists()


def test_the_groups_page_shows_the_balance_and_moves_people(client, staff_user):
    est = ZoneFactory(name="Est", slug="est")
    call = CallFactory()
    question, applications = pool(call, 4, zones=[est])
    call.applications.update(state=ApplicationState.SELECTED)
    group = CallGroup.objects.create(call=call, name="Est", zone=est, min_size=1, max_size=3)
    other = CallGroup.objects.create(call=call, name="Ouest", min_size=1, max_size=3)
    client.force_login(staff_user)
    url = reverse("calls:staff_groups", kwargs={"slug": call.slug})
    response = client.post(url, {"features": [question.feature_key]})
    assert response.status_code == 200  # four people of the Est zone, the Est group holds 3
    assert response.context["form"].non_field_errors()
    call.applications.filter(pk=applications[0].pk).update(zone=None)
    response = client.post(url, {"features": [question.feature_key]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Jeunes" in page.content.decode()
    moved = GroupAssignment.objects.filter(group=group).first().application
    client.post(
        reverse("calls:staff_group_move", kwargs={"slug": call.slug}),
        {"application": moved.pk, "group": other.pk},
    )
    assert GroupAssignment.objects.get(application=moved).group == other


def test_the_staff_result_page_shows_the_seed_and_exports_probabilities(client, staff_user):
    call = CallFactory()
    pool(call, 5)
    run = services.selection_run(
        call=call, by=staff_user, method="maximin", seats=2, quotas=[], seed=77
    )
    client.force_login(staff_user)
    url = reverse("calls:staff_selection_run", kwargs={"slug": call.slug, "pk": run.pk})
    assert "77" in client.get(url).content.decode()
    body = b"".join(client.get(url + "?format=csv").streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 6
    assert sum(float(line.split(",")[2]) for line in lines[1:]) == pytest.approx(2)


def test_the_selection_page_shows_bad_input_on_its_fields(client, staff_user):
    call = CallFactory()
    question, _applications = pool(call, 4)
    client.force_login(staff_user)
    url = reverse("calls:staff_selection", kwargs={"slug": call.slug})
    catalogue = selectors.feature_catalogue(call=call)
    index = next(i for i, entry in enumerate(catalogue) if entry["key"] == question.feature_key)
    response = client.post(url, {"method": "merit", "seats": "9"})
    assert response.status_code == 200 and response.context["form"].errors["seats"]
    response = client.post(
        url,
        {
            "method": "leximin",
            "seats": "3",
            f"mode_{index}": "bounds",
            f"min_{index}_0": "3",
            f"max_{index}_0": "3",
            f"min_{index}_1": "3",
            f"max_{index}_1": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not SelectionRun.objects.exists()
    response = client.post(url, {"method": "merit", "seats": "2"})
    assert response.status_code == 302
