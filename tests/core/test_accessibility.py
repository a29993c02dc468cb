"""Accessibility basics of the pages of the shell, accounts and directory: one h1, landmarks,
labelled fields, no inline script or style (the Content-Security-Policy forbids them)."""

import re

import pytest
from django.urls import reverse

from tests.directory.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PUBLIC = [
    "core:home",
    "core:legal",
    "core:privacy",
    "core:accessibility",
    "account_login",
    "account_signup",
    "account_reset_password",
    "directory:organisation_list",
    "directory:person_list",
]
MEMBERS = ["accounts:profile", "directory:profile_edit", "account_email", "account_change_password"]


def check_page(body: str) -> None:
    assert len(re.findall(r"<h1[\s>]", body)) == 1
    assert 'href="#contenu"' in body and '<main id="contenu"' in body
    assert "<nav" in body and "<footer" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script"
    assert not re.search(r"\sstyle=\"", body), "inline style"
    assert "<style" not in body
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', body):
        tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', body)
        if 'type="hidden"' in tag.group(0):
            continue
        assert f'for="{field_id}"' in body, f"field {field_id} has no label"


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_are_accessible(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize("name", MEMBERS)
def test_member_pages_are_accessible(client, user, name):
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    check_page(response.content.decode())


def test_detail_pages_are_accessible(client):
    membership = MembershipFactory()
    for url in [membership.person.get_absolute_url(), membership.organisation.get_absolute_url()]:
        check_page(client.get(url).content.decode())
