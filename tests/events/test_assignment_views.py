"""Staff pages of the workshop assignment: permissions, forms, explanation, constant queries."""

import pytest
from django.core import mail
from django.urls import reverse

from terreau.events.models import AssignmentRun, WorkshopAssignment
from terreau.events.services.assignment import assignment_run
from tests.events.assignment_fixtures import REPEATED, make_two_rounds, register, seat
from tests.events.factories import RegistrationFactory, SessionFactory
from tests.factories import UserFactory


@pytest.fixture
def lille(db):
    return make_two_rounds()


def url(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("member", 403), ("moderator", 403), ("staff", 200)]
)
def test_only_staff_see_the_assignment_pages(client, lille, who, status):
    event, rounds = lille
    person = register(event, rounds, [(0,), (1,)])
    if who != "anonymous":
        client.force_login(UserFactory(is_staff=who == "staff", is_moderator=who == "moderator"))
    for page in (
        url("assignment", event),
        url("assignment_workshop", event, rounds[0][1][0].pk),
        url("assignment_person", event, person.pk),
    ):
        assert client.get(page).status_code == status
    response = client.post(url("assignment_run", event), {"method": "optimal"})
    assert response.status_code == (302 if who in ("anonymous", "staff") else 403)
    assert AssignmentRun.objects.exists() == (who == "staff")


def test_staff_run_the_assignment_and_read_its_explanation(client, staff, lille):
    event, rounds = lille
    for _ in range(3):
        register(event, rounds, [(0, 1), (2,)], actor_category="elected")
    client.force_login(staff)
    response = client.post(
        url("assignment_run", event), {"method": "optimal", "spread_categories": "on"}
    )
    assert response.status_code == 302
    run = AssignmentRun.objects.get()
    assert run.spread_categories and run.created_by == staff
    page = client.get(url("assignment", event)).content.decode()
    assert "<h1>" in page and page.count("<h1") == 1
    assert "Résultat du dernier passage" in page
    assert "optimal" in page.lower()
    assert 'class="rank-bar"' in page and 'class="fill-bar"' in page
    assert REPEATED[0][:30] in page
    assert "Premier arrivé, premier servi" in page  # the comparison


def test_a_bad_method_is_refused_with_a_field_error(client, staff, lille):
    event, rounds = lille
    client.force_login(staff)
    response = client.post(url("assignment_run", event), {"method": "magic"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not AssignmentRun.objects.exists()


def test_staff_pin_a_person_and_see_why_a_full_workshop_is_refused(client, staff, lille):
    event, rounds = lille
    people = [register(event, rounds, [(0,), (2,)]) for _ in range(3)]
    assignment_run(event=event)
    client.force_login(staff)
    outsider = next(p for p in people if seat(p, rounds[0][0]) != rounds[0][1][0])
    response = client.post(
        url("assignment_person", event, outsider.pk), {"session": rounds[0][1][0].pk, "pin": "on"}
    )
    assert response.status_code == 400
    assert "Cet atelier est complet" in response.content.decode()
    response = client.post(
        url("assignment_person", event, outsider.pk), {"session": rounds[1][1][0].pk, "pin": "on"}
    )
    assert response.status_code == 302
    assignment = WorkshopAssignment.objects.get(registration=outsider, slot=rounds[1][0])
    assert assignment.is_pinned and assignment.session == rounds[1][1][0]
    response = client.post(url("assignment_unpin", event, outsider.pk, rounds[1][0].pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_pinned


def test_a_workshop_page_lists_its_participants_and_waiting_list(client, staff, lille):
    event, rounds = lille
    people = [register(event, rounds, [(0, 1), (2,)]) for _ in range(3)]
    assignment_run(event=event)
    client.force_login(staff)
    page = client.get(url("assignment_workshop", event, rounds[0][1][0].pk)).content.decode()
    outsider = next(p for p in people if seat(p, rounds[0][0]) != rounds[0][1][0])
    waiting = page.split('id="waiting-title"')[-1]
    assert outsider.full_name in waiting
    other = SessionFactory(capacity=3)
    assert client.get(url("assignment_workshop", event, other.pk)).status_code == 404


def test_staff_send_the_programmes_and_fill_free_seats(
    client,
    staff,
    lille,
    django_capture_on_commit_callbacks,
):
    event, rounds = lille
    register(event, rounds, [(0,), (2,)])
    assignment_run(event=event)
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("assignment_notify", event))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert client.post(url("assignment_fill", event)).status_code == 302


def test_the_staff_event_page_links_to_the_assignment(client, staff, lille):
    event, rounds = lille
    client.force_login(staff)
    page = client.get(reverse("events:staff_event", args=[event.slug])).content.decode()
    assert url("assignment", event) in page


def test_the_pages_run_a_constant_number_of_queries(
    client,
    staff,
    lille,
    django_assert_max_num_queries,
):
    event, rounds = lille
    client.force_login(staff)
    counts = {}
    for size in (3, 12):
        while event.registrations.count() < size:
            register(event, rounds, [(0, 1), (2,)], actor_category="citizen")
        assignment_run(event=event)
        pages = (
            url("assignment", event) + "?q=inscrit",
            url("assignment_workshop", event, rounds[0][1][0].pk),
            url("assignment_person", event, event.registrations.first().pk),
        )
        for name, page in enumerate(pages):
            with django_assert_max_num_queries(18) as queries:
                assert client.get(page).status_code == 200
            counts[size, name] = len(queries.captured_queries)
    assert [counts[3, name] for name in range(3)] == [counts[12, name] for name in range(3)]


def test_someone_not_confirmed_has_no_assignment_page(client, staff, lille):
    event, rounds = lille
    waiting = RegistrationFactory(event=event, status="waitlisted")
    client.force_login(staff)
    assert client.get(url("assignment_person", event, waiting.pk)).status_code == 404


def test_a_workshop_without_capacity_shows_no_limit(client, staff, lille):
    event, rounds = lille
    spotlight = rounds[1][1][2]
    spotlight.capacity = None
    spotlight.save()
    register(event, rounds, [(0,), (2,)])
    assignment_run(event=event)
    client.force_login(staff)
    page = client.get(url("assignment", event)).content.decode()
    assert "sans limite" in page
    page = client.get(url("assignment_workshop", event, spotlight.pk)).content.decode()
    assert "1 participant·e, sans limite de places" in page
    # Nobody waits for a workshop without a limit (no list of every other registrant).
    assert "personne n’attend" in page and 'id="waiting-title"' not in page
