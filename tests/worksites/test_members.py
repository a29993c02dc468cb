"""The members page: the steering committee, the participants and the sections' owners
managed in the site by staff and the committee's chairs and coordinators — every action tried
by every role in every stage of the worksite, with its outcome checked."""

import pytest
from django.test import Client
from django.urls import reverse

from terreau.worksites import services
from terreau.worksites.models import CommitteeMember, Participant, WorksiteStatus
from tests.directory.factories import OrganisationFactory, PersonFactory
from tests.factories import UserFactory
from tests.queries import page_queries

from .factories import case_create, user_with_person, world_create

pytestmark = pytest.mark.django_db

ROLES = (
    "staff",
    "coordinator",
    "committee_member",
    "organiser",
    "participant",
    "outsider",
    "anonymous",
)
STATES = WorksiteStatus.values
VIEWERS = {"staff", "coordinator", "committee_member", "organiser", "participant"}


def _world():
    world = world_create()
    world.staff = UserFactory(is_staff=True)
    world.coordinator = world.committee  # a chair of the committee
    world.committee_member, person = user_with_person()
    services.committee_member_add(worksite=world.worksite, person=person, role="member")
    return world


def _client(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _managers(state):
    return {"staff"} if state == WorksiteStatus.CLOSED else {"staff", "coordinator"}


def _status_changers(state):
    return {"staff", "coordinator"}


def _kw(world, **more):
    return {"slug": world.worksite.slug, **more}


# Each action: (url name, prepare(world) -> (url kwargs, data, done()), who may, by state).


def _committee_add(world):
    person = PersonFactory()
    return (
        _kw(world),
        {"person": person.pk, "role": "researcher"},
        lambda: (
            CommitteeMember.objects.filter(
                worksite=world.worksite, person=person, role="researcher"
            ).exists()
            and Participant.objects.filter(worksite=world.worksite, person=person).exists()
        ),
    )


def _committee_role(world):
    member = services.committee_member_add(
        worksite=world.worksite, person=PersonFactory(), role="member"
    )
    return (
        _kw(world, member_id=member.pk),
        {"role": "coordinator"},
        lambda: CommitteeMember.objects.get(pk=member.pk).role == "coordinator",
    )


def _committee_remove(world):
    member = services.committee_member_add(
        worksite=world.worksite, person=PersonFactory(), role="member"
    )
    return (
        _kw(world, member_id=member.pk),
        {},
        lambda: (
            not CommitteeMember.objects.filter(pk=member.pk).exists()
            and Participant.objects.filter(worksite=world.worksite, person=member.person).exists()
        ),
    )


def _participant_add(world):
    person = PersonFactory()
    return (
        _kw(world),
        {"person": person.pk},
        lambda: Participant.objects.filter(
            worksite=world.worksite, person=person, consents_to_listing=False
        ).exists(),
    )


def _participant_remove(world):
    participant = services.participant_add(worksite=world.worksite, person=PersonFactory())
    return (
        _kw(world, participant_id=participant.pk),
        {},
        lambda: not Participant.objects.filter(pk=participant.pk).exists(),
    )


def _section_owner(world):
    section = world.section
    services.section_set_owner(section=section, owner=None)
    return (
        _kw(world, section_id=section.pk),
        {f"s{section.pk}-owner": world.participant.pk},
        lambda: type(section).objects.get(pk=section.pk).owner_id == world.participant.pk,
    )


def _presenter_add(world):
    person = PersonFactory()
    return (
        _kw(world),
        {"person": person.pk, "case": world.case.pk},
        lambda: world.case.presenters.filter(pk=person.pk).exists(),
    )


def _presenter_remove(world):
    person = PersonFactory()
    services.case_presenter_add(case=world.case, person=person)
    return (
        _kw(world, case_id=world.case.pk, person_id=person.pk),
        {},
        lambda: not world.case.presenters.filter(pk=person.pk).exists(),
    )


ACTIONS = [
    ("committee_add", _committee_add, _managers),
    ("committee_role", _committee_role, _managers),
    ("committee_remove", _committee_remove, _managers),
    ("participant_add", _participant_add, _managers),
    ("participant_remove", _participant_remove, _managers),
    ("section_owner", _section_owner, _managers),
    ("presenter_add", _presenter_add, _managers),
    ("presenter_remove", _presenter_remove, _managers),
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("name", "prepare", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_each_role_may_or_may_not_manage_the_members_in_each_stage(name, prepare, allowed, state):
    world = _world()
    services.worksite_set_status(worksite=world.worksite, status=state)
    for role in ROLES:
        kwargs, data, done = prepare(world)
        response = _client(world, role).post(reverse(f"worksites:{name}", kwargs=kwargs), data)
        if role in allowed(state):
            assert response.status_code == 302 and "/membres/" in response["Location"], role
            assert done(), role
        else:
            assert not done(), role
            if role == "anonymous":
                assert response.status_code == 302 and "/comptes/" in response["Location"]
            else:
                assert response.status_code == 403, role


@pytest.mark.parametrize("state", STATES)
def test_staff_and_coordinators_change_the_stage_even_of_a_closed_worksite(state):
    world = _world()
    url = reverse("worksites:status", kwargs=_kw(world))
    for role in ROLES:
        services.worksite_set_status(worksite=world.worksite, status=state)
        target = "running" if state != "running" else "publishing"
        response = _client(world, role).post(url, {"status": target})
        world.worksite.refresh_from_db()
        if role in _status_changers(state):
            assert response.status_code == 302, role
            assert world.worksite.status == target, role
        else:
            assert world.worksite.status == state, role
            assert response.status_code in (302, 403), role
            if response.status_code == 302:
                assert "/comptes/" in response["Location"], role


@pytest.mark.parametrize("state", STATES)
def test_the_members_page_shows_its_forms_only_to_those_who_manage(state):
    world = _world()
    services.worksite_set_status(worksite=world.worksite, status=state)
    PersonFactory(first_name="Zoé", last_name="Zzz", is_listed=True)
    url = reverse("worksites:members", kwargs=_kw(world)) + "?q=zzz"
    add_url = reverse("worksites:committee_add", kwargs=_kw(world))
    for role in ROLES:
        response = _client(world, role).get(url)
        if role not in VIEWERS:
            assert response.status_code in (302, 403), role
            continue
        assert response.status_code == 200, role
        body = response.content.decode()
        assert world.participant.person.display_name in body, role
        manages = role in _managers(state)
        assert (add_url in body) == manages, role
        assert (f'name="s{world.section.pk}-owner"' in body) == manages, role


def test_a_coordinator_finds_listed_people_only_and_adds_them():
    world = _world()
    listed = PersonFactory(first_name="Odile", last_name="Trouvée", is_listed=True)
    hidden = PersonFactory(first_name="Odile", last_name="Cachée", is_listed=False)
    client = _client(world, "coordinator")
    body = client.get(reverse("worksites:members", kwargs=_kw(world)) + "?q=odile").content
    assert "Trouvée".encode() in body and "Cachée".encode() not in body
    # An id that is not among the visible people is refused, with a message.
    response = client.post(
        reverse("worksites:participant_add", kwargs=_kw(world)),
        {"person": hidden.pk, "q": "odile"},
        follow=True,
    )
    assert "Choisissez une personne de l’annuaire" in response.content.decode() or (
        "Choose a person of the directory" in response.content.decode()
    )
    assert not Participant.objects.filter(person=hidden).exists()
    response = client.post(
        reverse("worksites:participant_add", kwargs=_kw(world)),
        {"person": listed.pk, "q": "odile"},
    )
    assert response["Location"].endswith("?q=odile")
    assert Participant.objects.filter(person=listed, worksite=world.worksite).exists()


def test_the_last_coordinator_stays_and_a_committee_member_is_not_removed_as_a_participant():
    world = _world()
    client = _client(world, "coordinator")
    chair = world.worksite.committee.get(role="chair")
    response = client.post(
        reverse("worksites:committee_remove", kwargs=_kw(world, member_id=chair.pk)), follow=True
    )
    assert response.status_code == 200
    assert CommitteeMember.objects.filter(pk=chair.pk).exists()
    client.post(
        reverse("worksites:committee_role", kwargs=_kw(world, member_id=chair.pk)),
        {"role": "member"},
    )
    chair.refresh_from_db()
    assert chair.role == "chair"
    participant = world.worksite.participants.get(person=chair.person)
    client.post(
        reverse("worksites:participant_remove", kwargs=_kw(world, participant_id=participant.pk))
    )
    assert Participant.objects.filter(pk=participant.pk).exists()
    # With a second coordinator, the first may step down.
    other = world.worksite.committee.get(role="member")
    client.post(
        reverse("worksites:committee_role", kwargs=_kw(world, member_id=other.pk)),
        {"role": "coordinator"},
    )
    client.post(reverse("worksites:committee_remove", kwargs=_kw(world, member_id=chair.pk)))
    assert not CommitteeMember.objects.filter(pk=chair.pk).exists()


def test_a_new_presenter_organises_the_case_and_a_case_of_another_worksite_is_refused():
    world = _world()
    other = world_create()
    person = world.outsider.person
    client = _client(world, "coordinator")
    url = reverse("worksites:presenter_add", kwargs=_kw(world))
    client.post(url, {"person": person.pk, "case": other.case.pk})
    assert not other.case.presenters.filter(pk=person.pk).exists()
    client.post(url, {"person": person.pk, "case": world.case.pk})
    presentation = reverse("worksites:presentation", kwargs=_kw(world, case_slug=world.case.slug))
    assert _client(world, "outsider").get(presentation).status_code == 200
    assert (
        _client(world, "outsider")
        .get(reverse("worksites:workspace", kwargs=_kw(world)))
        .status_code
        == 200
    )


def test_a_section_owner_is_someone_of_the_worksite():
    world = _world()
    client = _client(world, "coordinator")
    url = reverse("worksites:section_owner", kwargs=_kw(world, section_id=world.section.pk))
    client.post(url, {f"s{world.section.pk}-owner": world.outsider.pk})
    world.section.refresh_from_db()
    assert world.section.owner_id is None
    client.post(url, {f"s{world.section.pk}-owner": world.organiser.pk})
    world.section.refresh_from_db()
    assert world.section.owner_id == world.organiser.pk
    client.post(url, {f"s{world.section.pk}-owner": ""})
    world.section.refresh_from_db()
    assert world.section.owner_id is None


def test_bad_ids_and_values_are_404_or_a_message_never_a_500():
    world = _world()
    client = _client(world, "coordinator")
    for name, kwargs in [
        ("committee_role", {"member_id": 2**31 - 1}),
        ("committee_remove", {"member_id": 0}),
        ("participant_remove", {"participant_id": 2**31 - 1}),
        ("section_owner", {"section_id": 0}),
    ]:
        assert (
            client.post(reverse(f"worksites:{name}", kwargs=_kw(world, **kwargs))).status_code
            == 404
        )
    for name, data in [
        ("committee_add", {"person": "x", "role": "king"}),
        ("participant_add", {"person": "99999999999999999999"}),
        ("status", {"status": "nowhere"}),
    ]:
        response = client.post(reverse(f"worksites:{name}", kwargs=_kw(world)), data)
        assert response.status_code == 302
    member = world.worksite.committee.get(role="member")
    response = client.post(
        reverse("worksites:committee_role", kwargs=_kw(world, member_id=member.pk)),
        {"role": "king"},
    )
    member.refresh_from_db()
    assert member.role == "member"


def test_the_members_page_runs_the_same_queries_for_one_or_three_of_each():
    world = _world()
    client = _client(world, "coordinator")
    url = reverse("worksites:members", kwargs=_kw(world)) + "?q=a"
    one, _response = page_queries(client, url)
    for _n in range(2):
        case_create(world.worksite)
        services.participant_add(worksite=world.worksite, person=PersonFactory(first_name="Ana"))
        services.committee_member_add(
            worksite=world.worksite, person=user_with_person()[1], role="member"
        )
    three, response = page_queries(client, url)
    assert one == three
    assert response.content.decode().count('class="inline-form"') > 9


def _edit_data(world, **more):
    return {
        "question": "Une nouvelle question",
        "starts_on": "2015-10-01",
        "ends_on": "2016-01-31",
        "summary": "Ce que c'est.",
        "objectives": "- croiser les regards",
        "is_public": "on",
        "convener": world.worksite.convener_id,
        "partners": "Conseil régional",
        "mix_elected": "30",
        "mix_citizen": "40",
        **more,
    }


def test_staff_and_coordinators_edit_the_worksite_others_may_not():
    world = _world()
    OrganisationFactory(name="Conseil régional", is_published=True)
    url = reverse("worksites:edit", kwargs=_kw(world))
    for role in ROLES:
        page = _client(world, role).get(url)
        allowed = role in {"staff", "coordinator"}
        assert page.status_code == 200 if allowed else page.status_code in (302, 403), role
        response = _client(world, role).post(url, _edit_data(world, question=f"Q {role}"))
        world.worksite.refresh_from_db()
        if role in {"staff", "coordinator"}:
            assert response.status_code == 302, role
            assert world.worksite.question == f"Q {role}"
        else:
            assert world.worksite.question != f"Q {role}"
            assert response.status_code in (302, 403), role
            if response.status_code == 302:
                assert "/comptes/" in response["Location"]
    assert world.worksite.target_mix == {"elected": 30, "citizen": 40}
    assert [p.name for p in world.worksite.partners.all()] == ["Conseil régional"]
    assert world.worksite.slug == "initiatives-citoyennes-et-debat-public"


def test_a_bad_worksite_edit_says_why_and_changes_nothing():
    world = _world()
    client = _client(world, "coordinator")
    url = reverse("worksites:edit", kwargs=_kw(world))
    question = world.worksite.question
    for data in [
        _edit_data(world, partners="Organisation inconnue"),
        _edit_data(world, mix_elected="80", mix_citizen="40"),
        _edit_data(world, starts_on="2016-02-01", ends_on="2016-01-01"),
        _edit_data(world, question=""),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert 'class="error-summary' in response.content.decode() or "errorlist" in (
            response.content.decode()
        )
        world.worksite.refresh_from_db()
        assert world.worksite.question == question
