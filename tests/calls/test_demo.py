"""The calls demo: the 2013 call of seed 003 with its real texts, dates, criteria and groups,
60 applications with reviews, a financial-aid call and a support request."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

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
    # 60 applications with reviews, ready for selection
    assert call.applications.count() == 60
    assert set(call.applications.values_list("state", flat=True)) == {ApplicationState.UNDER_REVIEW}
    assert Review.objects.filter(application__call=call).count() > 100
    assert Application.objects.get(call=call, applicant__email=DEMO_MEMBER_EMAIL)
    # a financial-aid call and a support request
    aid = Call.objects.get(kind__family="financial_aid")
    assert aid.is_open and aid.grant_ceiling and aid.budget_envelope
    assert aid.applications.exclude(requested_amount=None).count() == 5
    follow_up = SupportFollowUp.objects.get()
    assert follow_up.adviser and follow_up.entries.count() == 2
