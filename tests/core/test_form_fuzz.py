"""A form fuzzer over the public, members', staff's and worksites' forms: every POST form found
on their pages (the staff's and worksites' pages are crawled from their home pages) is sent
back with hostile values — control characters, ids out of range, very long values, line breaks
— in every field at once and in each field alone. 0 server errors, on SQLite and on PostgreSQL
(DATABASE_URL=…)."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

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
        self.links: list[str] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
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


def post_forms(client: Client, path: str, parser=None) -> list[tuple[str, dict]]:
    if parser is None:
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


def fuzz(client: Client, path: str, forms=None, seen=None) -> int:
    """Send every POST form of `path` back with hostile values; returns the requests made.
    `seen` (action, field names) skips forms already fuzzed on another page."""
    sent = 0
    for action, data in forms if forms is not None else post_forms(client, path):
        names = sorted({field[0] for field in data.pop("_names")} - {"csrfmiddlewaretoken"})
        if seen is not None:
            if not names or (action, tuple(names)) in seen:
                continue
            seen.add((action, tuple(names)))
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


# Pages of a crawl that would undo the world the next pages need (or log out).
DESTRUCTIVE = ("supprimer", "delete", "logout", "deconnexion", "desinscription", "retirer")


def fuzz_crawl(client: Client, roots: list[str], prefixes: tuple, max_pages: int = 60) -> dict:
    """Breadth-first from `roots` over links under `prefixes`; every POST form met is fuzzed
    once. Returns the pages seen and the requests sent."""
    queue, visited, seen, sent = deque(roots), set(roots), set(), 0
    pages = 0
    while queue and pages < max_pages:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        parser = FormParser()
        parser.feed(response.content.decode())
        forms = [
            (action, data)
            for action, data in post_forms(client, path, parser)
            if not any(word in action for word in DESTRUCTIVE)
        ]
        sent += fuzz(client, path, forms, seen)
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            link = target.path + (f"?{target.query}" if target.query else "")
            if (
                not target.netloc
                and target.path.startswith(prefixes)
                and not target.path.endswith((".csv", ".pdf", ".ics", ".xlsx", ".epub"))
                and not any(word in target.path for word in DESTRUCTIVE)
                and link not in visited
            ):
                visited.add(link)
                queue.append(link)
    return {"pages": pages, "forms": len(seen), "sent": sent}


def test_staff_forms_never_answer_a_server_error(client, world, staff, settings):
    from tests.calls.factories import CallFactory, QuestionFactory
    from tests.groups.factories import ExchangeGroupFactory, meeting

    settings.TERREAU_RATES = dict.fromkeys(("registration", "mail-to", "export"), "100000/m")
    call = CallFactory()
    QuestionFactory(call=call)
    group = ExchangeGroupFactory()
    meeting(group, days_from_now=10)
    client.force_login(staff)
    event = world["event"]
    roots = [
        reverse("events:staff_events"),
        reverse("events:staff_event", kwargs={"slug": event.slug}),
        reverse("events:staff_create"),
        reverse("events:venue_create"),
        reverse("events:registration_email", kwargs={"slug": event.slug}),
        reverse("calls:staff_calls"),
        reverse("calls:staff_call", kwargs={"slug": call.slug}),
        reverse("calls:staff_call_create"),
        reverse("library:issue_create"),
        reverse("observatory:initiative_import"),
        reverse("observatory:moderation_queue"),
        f"/groupes/{group.slug}/",
        reverse("core:outbox"),
    ]
    prefixes = (
        "/evenements/gestion/",
        "/appels/gestion/",
        "/ressources/lettre/numeros/",
        "/observatoire/moderation/",
        "/observatoire/import/",
        "/groupes/",
        "/gestion/",
    )
    figures = fuzz_crawl(client, roots, prefixes)
    assert figures["forms"] >= 15 and figures["sent"] > 200, figures


def test_worksites_forms_never_answer_a_server_error(client):
    from tests.worksites.factories import world_create

    world = world_create()
    roots = [f"/chantiers/{world.worksite.slug}/", "/chantiers/"]
    forms = 0
    for user in (world.committee, world.organiser, world.participant):
        client.force_login(user)
        figures = fuzz_crawl(client, roots, ("/chantiers/",))
        assert figures["pages"] >= 3, figures
        forms += figures["forms"]
    assert forms >= 5
