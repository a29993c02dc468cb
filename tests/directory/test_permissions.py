"""Who may see and change what in the directory, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.directory.factories import OrganisationFactory, PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "moderator", "owner", "staff"]


def make_user(role, person):
    if role == "visitor":
        return AnonymousUser()
    if role == "owner":
        return person.user
    return UserFactory(is_moderator=role == "moderator", is_staff=role == "staff")


# (is_listed, contact_consent) -> roles that may see the profile / its contact details
CASES = [
    (
        (True, True),
        {"visitor", "member", "moderator", "owner", "staff"},
        {"member", "moderator", "owner", "staff"},
    ),
    ((True, False), {"visitor", "member", "moderator", "owner", "staff"}, {"owner", "staff"}),
    ((False, True), {"owner", "staff"}, {"owner", "staff"}),
    ((False, False), {"owner", "staff"}, {"owner", "staff"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("flags", "viewers", "contact_viewers"), CASES)
def test_who_sees_a_person_and_their_contact_details(role, flags, viewers, contact_viewers):
    is_listed, contact_consent = flags
    person = PersonFactory(
        user=UserFactory(),
        is_listed=is_listed,
        contact_consent=contact_consent,
        email="contact@example.org",
        phone="03 20 00 00 00",
    )
    user = make_user(role, person)
    assert user.has_perm("directory.view_person", person) is (role in viewers)
    assert user.has_perm("directory.view_person_contact", person) is (role in contact_viewers)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_and_staff_change_a_profile(role):
    person = PersonFactory(user=UserFactory())
    user = make_user(role, person)
    assert user.has_perm("directory.change_person", person) is (role in {"owner", "staff"})


@pytest.mark.parametrize(
    ("role", "status"), [("visitor", 404), ("member", 404), ("owner", 200), ("staff", 200)]
)
def test_an_unlisted_person_page_is_404_for_others(client, role, status):
    person = PersonFactory(user=UserFactory(), is_listed=False)
    user = make_user(role, person)
    if role != "visitor":
        client.force_login(user)
    assert client.get(person.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("role", "shown"), [("visitor", False), ("member", True), ("owner", True), ("staff", True)]
)
def test_contact_details_are_never_shown_to_anonymous_visitors(client, role, shown):
    person = PersonFactory(
        user=UserFactory(),
        is_listed=True,
        contact_consent=True,
        email="fanny@example.org",
        phone="03 27 00 00 00",
    )
    user = make_user(role, person)
    if role != "visitor":
        client.force_login(user)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert ("fanny@example.org" in body) is shown
    assert ("03 27 00 00 00" in body) is shown


def test_contact_details_without_consent_are_hidden_from_members(client, user):
    person = PersonFactory(is_listed=True, contact_consent=False, email="secret@example.org")
    client.force_login(user)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "secret@example.org" not in response.content.decode()


def test_an_unlisted_person_appears_in_no_public_list_or_organisation_page(client):
    organisation = OrganisationFactory()
    hidden = PersonFactory(last_name="Invisible", is_listed=False)
    hidden.memberships.create(organisation=organisation, role="Trésorière")
    for url in [
        reverse("directory:person_list"),
        reverse("directory:person_list") + "?q=invisible",
        organisation.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Invisible" not in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("visitor", 404), ("member", 404), ("staff", 200)])
def test_an_unpublished_organisation_is_for_staff_only(client, role, status):
    organisation = OrganisationFactory(is_published=False)
    if role != "visitor":
        client.force_login(UserFactory(is_staff=role == "staff"))
    assert client.get(organisation.get_absolute_url()).status_code == status


def test_editing_someone_elses_profile_answers_as_a_missing_person(client, user):
    other = PersonFactory(user=UserFactory(), title="Directrice", is_listed=False)
    client.force_login(user)
    url = reverse("directory:person_edit", args=[other.slug])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("directory:person_edit", args=["personne-inconnue"])).status_code == 404
    )
    response = client.post(url, {"first_name": "Pirate", "last_name": "X"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.first_name != "Pirate"


def test_staff_may_edit_any_profile(client, staff):
    other = PersonFactory(user=UserFactory())
    client.force_login(staff)
    assert client.get(reverse("directory:person_edit", args=[other.slug])).status_code == 200


def test_visitors_are_sent_to_log_in_to_edit_a_profile(client):
    response = client.get(reverse("directory:profile_edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
