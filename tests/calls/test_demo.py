"""The calls demo: the 2013 call of seed 003 with its real texts, dates, criteria and groups,
60 applications with reviews and its selection confirmed (14 per zone), a call left under
review to try the selection on, a financial-aid call and a support request."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from terreau.calls import demo
from terreau.calls.models import Application, ApplicationState, Call, Review, SupportFollowUp
from terreau.core.demo import DEMO_MEMBER_EMAIL, DEMO_STAFF_EMAIL
from tests.directory.factories import OrganisationFactory
from tests.factories import UserFactory
from tests.territories.factories import ZoneFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def loaded():
    UserFactory(email=DEMO_STAFF_EMAIL, is_staff=True)
    UserFactory(email=DEMO_MEMBER_EMAIL)
    ZoneFactory(name="Est", slug="est")
    ZoneFactory(name="Ouest", slug="ouest")
    for kind in ["association", "commune", "social_centre", "epci", "collective"]:
        OrganisationFactory(kind=kind)
    demo.load()
    return Call.objects.get(title__startswith="Dispositif d'échanges")


def test_the_demo_holds_the_2013_call_an_aid_call_and_a_support_request(loaded):
    call = loaded
    assert call.closes_at.astimezone(PARIS).date() == dt.date(2013, 3, 29)
    assert call.notification_label == "à la mi-avril"
    assert call.first_meeting_at.astimezone(PARIS) == dt.datetime(2013, 5, 17, 9, 30, tzinfo=PARIS)
    assert "151 avenue du Président Hoover" in call.first_meeting_place
    assert call.contact_name == "Rabah Ghomrane"
    assert "Le Conseil régional Nord-Pas de Calais a adopté en novembre 2011" in call.body
    assert "décloisonner les catégories d'acteurs" in call.body
    assert {group.name for group in call.groups.all()} == {"Est", "Ouest"}
    assert {(g.min_size, g.max_size) for g in call.groups.all()} == {(12, 15)}
    assert {c.family for c in call.criteria.all()} == {
        "La structure",
        "Le candidat",
        "La démarche participative",
    }
    # 60 applications with reviews, and the selection confirmed: 28 people, 14 per zone
    assert call.applications.count() == 60
    assert Review.objects.filter(application__call=call).count() > 100
    assert Application.objects.get(call=call, applicant__email=DEMO_MEMBER_EMAIL)
    states = set(call.applications.values_list("state", flat=True))
    assert ApplicationState.UNDER_REVIEW not in states
    selected = call.applications.filter(state=ApplicationState.SELECTED)
    assert selected.count() == 28
    for group in call.groups.select_related("zone"):
        members = selected.filter(group_assignment__group=group)
        assert members.count() == 14
        assert set(members.values_list("zone", flat=True)) == {group.zone_id}
    run = call.selection_runs.get()
    assert run.is_confirmed and run.method == "merit"
    assert call.results_sent_at.astimezone(PARIS).date() == dt.date(2013, 4, 15)
    # a financial-aid call and a support request
    aid = Call.objects.get(kind__family="financial_aid")
    assert aid.is_open and aid.grant_ceiling and aid.budget_envelope
    assert aid.applications.exclude(requested_amount=None).count() == 5
    follow_up = SupportFollowUp.objects.get()
    assert follow_up.adviser and follow_up.entries.count() == 2


def test_the_trial_call_is_left_under_review_with_60_applications(loaded):
    trial = Call.objects.get(title="Groupes d'échanges de pratiques — appel de démonstration")
    assert trial.kind == loaded.kind
    assert not trial.is_open and trial.closes_at < timezone.now()
    assert trial.first_meeting_at > timezone.now()
    assert trial.applications.count() == 60
    assert set(trial.applications.values_list("state", flat=True)) == {
        ApplicationState.UNDER_REVIEW
    }
    assert Review.objects.filter(application__call=trial).count() > 100
    assert trial.review_phases.filter(is_active=True).exists()
    assert not trial.selection_runs.exists()
    assert {group.name for group in trial.groups.all()} == {"Est", "Ouest"}
    # Its applicants are not the 2013 ones.
    assert not set(trial.applications.values_list("applicant_email", flat=True)) & set(
        loaded.applications.values_list("applicant_email", flat=True)
    )


def test_confirming_the_2013_selection_e_mails_nobody_and_loading_again_adds_nothing(
    loaded, mailoutbox
):
    recipients = {address for message in mailoutbox for address in message.to}
    applicants = set(loaded.applications.values_list("applicant_email", flat=True))
    assert not recipients & applicants  # no outcome e-mail for 2013's results
    counts = (Call.objects.count(), Application.objects.count(), Review.objects.count())
    demo.load()
    assert (Call.objects.count(), Application.objects.count(), Review.objects.count()) == counts
