"""Accounts: sign-up with e-mail verification, log-in by e-mail, lock-out, roles."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.directory.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-strong-pass-phrase"


def test_sign_up_sends_a_verification_email_and_the_link_verifies_it(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nadia@example.org",
            "first_name": "Nadia",
            "last_name": "Benali",
            "password1": "terre-fertile-2026",
            "password2": "terre-fertile-2026",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.first_name == "Nadia"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_with_bad_input_gets_field_errors_and_creates_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "not-an-email",
            "first_name": "",
            "last_name": "X",
            "password1": "123",
            "password2": "456",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert 'aria-invalid="true"' in body
    assert not get_user_model().objects.exists()
    assert not mail.outbox


def test_log_in_by_email(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


def test_five_failed_logins_lock_out_even_the_right_password(client, user):
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-guess"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Compte temporairement bloqué" in body
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sets_a_new_password(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/comptes/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    response = client.post(
        form_url, {"password1": "une-nouvelle-phrase", "password2": "une-nouvelle-phrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("une-nouvelle-phrase")


def test_log_out(client, user):
    client.force_login(user)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_account_page_shows_the_role_and_the_directory_profile(client, user):
    client.force_login(user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Membre" in body
    assert reverse("directory:profile_edit") in body
    person = PersonFactory(user=user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert person.get_absolute_url() in body


@pytest.mark.parametrize(
    ("flags", "label"),
    [({}, "Membre"), ({"is_moderator": True}, "Modérateur"), ({"is_staff": True}, "Équipe")],
)
def test_roles_are_named_on_the_account_page(client, flags, label):
    user = UserFactory(**flags)
    client.force_login(user)
    assert label in client.get(reverse("accounts:profile")).content.decode()


def test_the_account_page_asks_visitors_to_log_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_staff_grant_the_moderator_role_in_the_admin(client, staff):
    member = UserFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "grant_moderator", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_moderator
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "revoke_moderator", "_selected_action": [member.pk]},
    )
    member.refresh_from_db()
    assert not member.is_moderator


def test_members_cannot_reach_the_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
