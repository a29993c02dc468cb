"""Account forms under hostile input: the e-mail address is never cut, control characters are
refused on their field, and account e-mails carry the site's name (not example.com)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-9"


def signup(client, *, email, **extra):
    data = {
        "first_name": "Claire",
        "last_name": "Martin",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post("/comptes/signup/", data | extra)


def test_an_e_mail_address_longer_than_254_characters_is_refused_not_cut(client, mailoutbox):
    email = "claire@" + ".".join(["d" * 60] * 5) + ".fr"
    assert len(email) > 254
    response = signup(client, email=email)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not get_user_model().objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["email", "first_name", "password1"])
def test_signup_refuses_control_characters_on_their_field(client, name):
    value = {"email": "cl\x00aire@example.org", "first_name": "Cl\x00aire"}.get(name, "pa\x00ss")
    data = {"email": "claire@example.org"} | {name: value}
    response = signup(client, **data)
    assert response.status_code == 200
    assert name in response.context["form"].errors
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "url,name", [("/comptes/login/", "login"), ("/comptes/password/reset/", "email")]
)
def test_login_and_password_reset_refuse_a_nul_on_their_field(client, url, name):
    response = client.post(url, {name: "a\x00@example.org", "password": "x"})
    assert response.status_code == 200
    assert name in response.context["form"].errors


def test_account_e_mails_carry_the_sites_name(client, mailoutbox, settings):
    site = Site.objects.get_current()
    assert site.name == settings.SITE_NAME
    assert site.domain != "example.com"
    signup(client, email="claire@example.org")
    assert mailoutbox
    assert "example.com" not in mailoutbox[0].subject + mailoutbox[0].body
