"""Members from a call's selection (issue 12 × issue 11 "hand the formed groups to the groups
app"): a group created or filled in one step with a preview, welcome e-mails, bad input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from terreau.calls.models import ApplicationState, CallGroup, GroupAssignment
from terreau.directory.models import Membership, Organisation, Person
from terreau.groups import selectors, services
from terreau.groups.models import ExchangeGroup, GroupMembership
from tests.calls.factories import ApplicationFactory, CallFactory
from tests.factories import UserFactory
from tests.groups.factories import ExchangeGroupFactory, PersonFactory, meeting
from tests.territories.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection(db):
    """A call whose first meeting is 17 May 2013, with two formed groups (Est: 3 selected, one
    of them withdrawn afterwards; Ouest: 2) and an applicant not selected."""
    first = timezone.make_aware(dt.datetime(2013, 5, 17, 9, 30))
    call = CallFactory(first_meeting_at=first)
    est = CallGroup.objects.create(call=call, name="Est", zone=ZoneFactory(name="Est"))
    ouest = CallGroup.objects.create(call=call, name="Ouest", zone=ZoneFactory(name="Ouest"))
    organisation = Organisation.objects.create(name="Centre social", slug="centre-social")
    known = PersonFactory(email="connue@exemple.org")
    rows = [
        (
            est,
            ApplicationFactory(
                call=call,
                applicant=None,
                applicant_name="Anne Martin",
                applicant_email="anne@exemple.org",
                organisation=organisation,
            ),
        ),
        (
            est,
            ApplicationFactory(
                call=call,
                applicant=None,
                applicant_name="Connue Déjà",
                applicant_email="CONNUE@exemple.org",
            ),
        ),
        (
            est,
            ApplicationFactory(
                call=call,
                applicant=None,
                applicant_name="Partie",
                applicant_email="partie@exemple.org",
            ),
        ),
        (ouest, ApplicationFactory(call=call)),
        (ouest, ApplicationFactory(call=call)),
    ]
    for call_group, application in rows:
        application.state = ApplicationState.SELECTED
        application.save()
        GroupAssignment.objects.create(group=call_group, application=application)
    withdrawn = rows[2][1]
    withdrawn.state = ApplicationState.WITHDRAWN
    withdrawn.save()
    ApplicationFactory(call=call, state=ApplicationState.NOT_SELECTED)
    return call, est, ouest, known, organisation


def test_a_call_group_becomes_a_group_with_its_selected_and_a_welcome_each(selection, mailoutbox):
    call, est, _ouest, known, organisation = selection
    group, added = services.members_from_call_selection(call=call, call_group=est)
    assert group.name == "Est" and group.zone == est.zone
    assert (group.starts_on, group.ends_on) == (dt.date(2013, 5, 17), dt.date(2014, 4, 30))
    assert group.call == call and group.call_group == est
    people = {m.person.email for m in added}
    assert people == {"anne@exemple.org", "connue@exemple.org"}  # not the withdrawn
    # The known person is matched by e-mail (case aside), the other gets an unlisted entry.
    assert known in {m.person for m in added}
    anne = Person.objects.get(email="anne@exemple.org")
    assert (anne.first_name, anne.last_name, anne.is_listed) == ("Anne", "Martin", False)
    assert Membership.objects.filter(person=anne, organisation=organisation).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(people)
    assert all("charte" in m.body and group.name in m.subject for m in mailoutbox)


def test_filling_an_existing_group_skips_who_is_in_and_registers_for_meetings(
    selection, mailoutbox
):
    call, _est, ouest, _known, _organisation = selection
    group = ExchangeGroupFactory()
    future = meeting(group, days_from_now=30)
    first = call.applications.filter(group_assignment__group=ouest).first()
    person = PersonFactory(email=first.applicant_email)
    services.membership_add(group=group, person=person, notify=False)
    mailoutbox.clear()
    rows = selectors.call_selection_candidates(call=call, call_group=ouest, group=group)
    assert [row.joins for row in rows].count(False) == 1
    group_after, added = services.members_from_call_selection(
        call=call, call_group=ouest, group=group
    )
    assert group_after == group and len(added) == 1
    assert future.event.registrations.count() == 2
    [welcome] = mailoutbox
    assert welcome.attachments[0][2] == "text/calendar"
    # A second time: nobody to add, nothing written.
    with pytest.raises(ValidationError) as error:
        services.members_from_call_selection(call=call, call_group=ouest, group=group)
    assert error.value.error_dict["source"][0].code == "nobody"
    assert len(mailoutbox) == 1


def test_a_call_group_is_handed_once_and_nothing_is_half_saved(selection, mailoutbox):
    call, est, _ouest, _known, _organisation = selection
    services.members_from_call_selection(call=call, call_group=est)
    mailoutbox.clear()
    with pytest.raises(ValidationError) as error:
        services.members_from_call_selection(
            call=call, call_group=est, group_fields={"name": "Bis"}
        )
    assert error.value.error_dict["source"][0].code == "already_handed"
    other_call = CallFactory()
    with pytest.raises(ValidationError):
        services.members_from_call_selection(call=other_call, call_group=est)
    with pytest.raises(ValidationError):  # no one selected
        services.members_from_call_selection(
            call=other_call,
            group_fields={"starts_on": dt.date(2013, 5, 1), "ends_on": dt.date(2014, 4, 30)},
        )
    # A bad period: the error, and no group, person or e-mail left behind.
    persons = Person.objects.count()
    with pytest.raises(ValidationError):
        services.members_from_call_selection(
            call=call,
            group_fields={"starts_on": dt.date(2014, 5, 1), "ends_on": dt.date(2013, 4, 30)},
        )
    assert ExchangeGroup.objects.count() == 1 and Person.objects.count() == persons
    assert mailoutbox == []


def test_staff_preview_then_confirm_in_one_step(client, selection, mailoutbox):
    call, est, _ouest, _known, _organisation = selection
    url = reverse("groups:from_call")
    client.force_login(UserFactory(is_staff=True))
    page = client.get(url).content.decode()
    assert f"group:{est.pk}" in page and f"call:{call.pk}" in page
    preview = client.post(url, {"source": f"group:{est.pk}", "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "Anne Martin" in text and "Partie" not in text
    assert not ExchangeGroup.objects.exists() and mailoutbox == []
    response = client.post(
        url, {"source": f"group:{est.pk}", "name": "Groupe Est 2013-2014", "confirm": "1"}
    )
    group = ExchangeGroup.objects.get()
    assert response["Location"] == reverse("groups:space", args=[group.slug])
    assert group.name == "Groupe Est 2013-2014"
    assert GroupMembership.objects.filter(group=group).count() == 2 and len(mailoutbox) == 2
    # The list of sources now says the call group was given.
    assert "Groupe Est 2013-2014" in client.get(url).content.decode()
    # The whole selection of the call into the existing group: the Ouest two join.
    fill = reverse("groups:members_from_call", args=[group.slug])
    client.post(fill, {"source": f"call:{call.pk}", "confirm": "1"})
    assert GroupMembership.objects.filter(group=group).count() == 4
    # Forged or unknown sources get a message, not a 500.
    for source in ("group:999999", "call:abc", "x", "group:99999999999999999999"):
        answer = client.post(url, {"source": source, "confirm": "1"})
        assert answer.status_code == 200 and "error-summary" in answer.content.decode()


def test_the_preview_reads_in_a_constant_number_of_queries(
    selection, django_assert_max_num_queries
):
    call, _est, _ouest, _known, _organisation = selection
    group = ExchangeGroupFactory()
    with django_assert_max_num_queries(3):
        rows = selectors.call_selection_candidates(call=call, group=group)
        assert len(rows) == 4
        assert [row.person for row in rows]


def test_a_call_without_a_first_meeting_needs_a_period(client, selection, mailoutbox):
    call, est, _ouest, _known, _organisation = selection
    call.first_meeting_at = None
    call.save()
    with pytest.raises(ValidationError) as error:
        services.members_from_call_selection(call=call, call_group=est)
    assert "starts_on" in error.value.error_dict
    assert not ExchangeGroup.objects.exists() and not GroupMembership.objects.exists()
    client.force_login(UserFactory(is_staff=True))
    url = reverse("groups:from_call")
    preview = client.post(url, {"source": f"group:{est.pk}", "preview": "1"}).content.decode()
    assert 'name="confirm"' not in preview  # nothing to confirm before the period is given
    dated = {"source": f"group:{est.pk}", "starts_on": "2013-09-01", "ends_on": "2014-06-30"}
    assert 'name="confirm"' in client.post(url, dated | {"preview": "1"}).content.decode()
    assert client.post(url, dated | {"confirm": "1"}).status_code == 302
    assert ExchangeGroup.objects.get().ends_on == dt.date(2014, 6, 30)
    assert len(mailoutbox) == 2


def test_the_welcomes_are_outbox_rows_of_the_hand_over_transaction(
    selection, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from terreau.core.outbox.models import OutboxMessage

    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    call, est, _ouest, _known, _organisation = selection
    with pytest.raises(RuntimeError), transaction.atomic():
        services.members_from_call_selection(call=call, call_group=est)
        assert OutboxMessage.objects.count() == 2
        raise RuntimeError  # rolled back: no group, no welcome
    assert not OutboxMessage.objects.exists() and not ExchangeGroup.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        services.members_from_call_selection(call=call, call_group=est)
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        ["anne@exemple.org"],
        ["connue@exemple.org"],
    ]
