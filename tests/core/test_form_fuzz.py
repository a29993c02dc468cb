"""A form fuzzer over the public and members' forms: every POST form found on their pages is
sent back with hostile values — control characters, ids out of range, very long values, line
breaks — in every field at once and in each field alone. 0 server errors, on SQLite and on
PostgreSQL (DATABASE_URL=…)."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import reverse

from terreau.events.selectors.registration import registration_manage_path
from tests.events.factories import RegistrationFactory
from tests.events.registration_fixtures import make_lille_meetings
from tests.factories import UserFactory
from tests.observatory.factories import ProposalFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "a\x00b",
    "9223372036854775808",
    "-9223372036854775809",
    "x" * 100_000,
    "ligne\r\nBcc: x@example.org",
    "del\x7f c1\x85",
    "<script>alert(1)</script>",
]
SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


class FormParser(HTMLParser):
    """The POST forms of a page: action and (name, default value) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append({"action": attrs.get("action") or "", "post": method == "post"})
            self.forms[-1]["fields"] = []
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in SKIPPED_TYPES:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                fields.append((name, None, attrs.get("value", "on")))
            else:
                fields.append((name, attrs.get("value", ""), None))
        elif tag == "textarea" and name:
            fields.append((name, "", None))
        elif tag == "select" and name:
            self._select = [name, None]
            fields.append(self._select)
        elif tag == "option" and self._select is not None and self._select[1] is None:
            self._select[1] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(client: Client, path: str) -> list[tuple[str, dict]]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = FormParser()
    parser.feed(response.content.decode())
    forms = []
    for form in parser.forms:
        if not form["post"] or "logout" in form["action"]:
            continue
        data: dict[str, list] = {}
        for field in form["fields"]:
            name, value = field[0], field[1]
            if value is not None:
                data.setdefault(name, []).append(value)
        forms.append((urljoin(path, form["action"] or path), data | {"_names": form["fields"]}))
    return forms


def fuzz(client: Client, path: str) -> int:
    """Send every POST form of `path` back with hostile values; returns the requests made."""
    sent = 0
    for action, data in post_forms(client, path):
        names = sorted({field[0] for field in data.pop("_names")} - {"csrfmiddlewaretoken"})
        for value in HOSTILE:
            variants = [dict.fromkeys(names, value)]
            if value == HOSTILE[0]:
                variants += [data | {name: value} for name in names]
            for variant in variants:
                response = client.post(action, variant)
                sent += 1
                assert response.status_code < 500, (action, value[:30], response.status_code)
    return sent


@pytest.fixture
def world(db, settings):
    scopes = ("registration", "mail-to", "registration-change")
    settings.TERREAU_RATES = dict.fromkeys(scopes, "100000/m")
    event = make_lille_meetings()
    member = UserFactory()
    proposal = ProposalFactory(author=member)
    registration = RegistrationFactory(event=event)
    return {"event": event, "member": member, "proposal": proposal, "registration": registration}


def test_public_forms_never_answer_a_server_error(client, world):
    manage = registration_manage_path(world["registration"])
    paths = [
        "/comptes/signup/",
        "/comptes/login/",
        "/comptes/password/reset/",
        reverse("events:register", kwargs={"slug": world["event"].slug}),
        manage + "modifier/",
    ]
    assert sum(fuzz(client, path) for path in paths) > 50


def test_members_forms_never_answer_a_server_error(client, world):
    client.force_login(world["member"])
    proposal = world["proposal"]
    paths = [
        reverse("directory:profile_edit"),
        reverse("observatory:proposal_start"),
        *[
            reverse("observatory:proposal_step", kwargs={"pk": proposal.pk, "step": step})
            for step in range(1, 6)
        ],
        reverse("observatory:proposal_review", kwargs={"pk": proposal.pk}),
    ]
    assert sum(fuzz(client, path) for path in paths) > 100
