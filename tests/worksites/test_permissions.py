"""Every page and action of the worksites app for each role: committee, case organiser,
participant, outsider (signed in, no role) and anonymous visitor."""

import pytest
from django.test import Client
from django.urls import reverse

from terreau.worksites import services
from terreau.worksites.models import Edition, ReportStatus

from .factories import world_create

pytestmark = pytest.mark.django_db

ROLES = ("committee", "organiser", "participant", "outsider", "anonymous")
PUBLIC = set(ROLES)
MEMBERS = {"committee", "organiser", "participant"}
ORGANISERS = {"committee", "organiser"}
COMMITTEE = {"committee"}


def _case_kwargs(w):
    return {"slug": w.worksite.slug, "case_slug": w.case.slug}


def _section_kwargs(w):
    return {**_case_kwargs(w), "pk": w.section.pk}


def _in_review(w):
    services.report_set_status(report=w.report, status=ReportStatus.IN_REVIEW)


def _validated(w):
    _in_review(w)
    services.report_set_status(report=w.report, status=ReportStatus.VALIDATED)


def _comment(w):
    w.comment = services.comment_add(section=w.section, body="Remarque", by=w.participant)


def _suggestion(w):
    w.suggestion = services.suggestion_add(
        section=w.section, quote="dans la durée", replacement="avec le temps", by=w.participant
    )


def _tag(w):
    theme = services.theme_create(worksite=w.worksite, name="Thème")
    w.tag = services.theme_tag_add(theme=theme, section=w.section, quote="parole", by=w.committee)


def _edition(w):
    w.edition = Edition.objects.create(publication=w.worksite.publication, number=1)


# (name, method, url kwargs, data, allowed roles, setup, whether every allowed role is tried)
ENDPOINTS = [
    ("list", "get", lambda w: {}, None, PUBLIC, None, True),
    ("detail", "get", lambda w: {"slug": w.worksite.slug}, None, PUBLIC, None, True),
    ("bulletin", "get", _case_kwargs, None, PUBLIC, None, True),
    ("pooling", "get", lambda w: {"slug": w.worksite.slug}, None, PUBLIC, None, True),
    ("workspace", "get", lambda w: {"slug": w.worksite.slug}, None, MEMBERS, None, True),
    (
        "consent",
        "post",
        lambda w: {"slug": w.worksite.slug},
        {"consents": "on"},
        {"committee", "participant"},
        None,
        True,
    ),
    ("case_create", "get", lambda w: {"slug": w.worksite.slug}, None, COMMITTEE, None, True),
    ("presentation", "get", _case_kwargs, None, ORGANISERS, None, True),
    ("presentation", "post", _case_kwargs, {"context": "Contexte"}, ORGANISERS, None, True),
    ("presentation_send", "post", _case_kwargs, {}, ORGANISERS, None, True),
    ("mix", "get", _case_kwargs, None, ORGANISERS, None, True),
    ("report", "get", _case_kwargs, None, MEMBERS, None, True),
    ("report_status", "post", _case_kwargs, {"status": "in_review"}, ORGANISERS, None, False),
    ("report_status", "post", _case_kwargs, {"status": "validated"}, COMMITTEE, _in_review, False),
    ("report_status", "post", _case_kwargs, {"status": "draft"}, COMMITTEE, _validated, False),
    ("report_return", "post", _case_kwargs, {}, COMMITTEE, _validated, True),
    ("section_add", "post", _case_kwargs, {"title": "Annexe"}, COMMITTEE, None, True),
    ("section_edit", "get", _section_kwargs, None, MEMBERS, None, True),
    (
        "section_edit",
        "post",
        _section_kwargs,
        {"body": "Nouveau", "base_version": "1"},
        MEMBERS,
        None,
        False,
    ),
    ("section_preview", "post", _section_kwargs, {"body": "**gras**"}, MEMBERS, None, True),
    ("section_history", "get", _section_kwargs, None, MEMBERS, None, True),
    ("section_comments", "get", _section_kwargs, None, MEMBERS, _comment, True),
    (
        "section_restore",
        "post",
        lambda w: {**_section_kwargs(w), "version": 1},
        {},
        MEMBERS,
        None,
        True,
    ),
    ("comment_add", "post", _section_kwargs, {"body": "Bien"}, MEMBERS, None, True),
    (
        "comment_resolve",
        "post",
        lambda w: {**_case_kwargs(w), "comment_id": w.comment.pk},
        {},
        {"committee", "participant"},
        _comment,
        True,
    ),
    (
        "suggestion_add",
        "post",
        _section_kwargs,
        {"quote": "parole", "replacement": "voix"},
        MEMBERS,
        None,
        True,
    ),
    (
        "suggestion_decide",
        "post",
        lambda w: {**_case_kwargs(w), "suggestion_id": w.suggestion.pk},
        {"decision": "reject"},
        COMMITTEE,
        _suggestion,
        False,
    ),
    ("themes", "get", lambda w: {"slug": w.worksite.slug}, None, COMMITTEE, None, True),
    (
        "themes",
        "post",
        lambda w: {"slug": w.worksite.slug},
        {"theme-name": "Élus"},
        COMMITTEE,
        None,
        False,
    ),
    (
        "tag_remove",
        "post",
        lambda w: {"slug": w.worksite.slug, "tag_id": w.tag.pk},
        {},
        COMMITTEE,
        _tag,
        False,
    ),
    (
        "pooling",
        "post",
        lambda w: {"slug": w.worksite.slug},
        {"group_name": "G1", "body": "Synthèse"},
        COMMITTEE,
        None,
        True,
    ),
    ("publication", "get", lambda w: {"slug": w.worksite.slug}, None, COMMITTEE, None, True),
    ("publication", "post", lambda w: {"slug": w.worksite.slug}, {}, COMMITTEE, None, True),
    (
        "edition_progress",
        "get",
        lambda w: {"slug": w.worksite.slug, "number": 1},
        None,
        COMMITTEE,
        _edition,
        True,
    ),
]


def _client(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


@pytest.mark.parametrize(
    ("name", "method", "kwargs", "data", "allowed", "setup", "every"),
    ENDPOINTS,
    ids=[
        f"{e[0]}-{e[1]}-{sorted(e[4])[0] if len(e[4]) < 5 else 'all'}-{i}"
        for i, e in enumerate(ENDPOINTS)
    ],
)
def test_each_role_gets_what_it_may(name, method, kwargs, data, allowed, setup, every):
    world = world_create()
    if setup:
        setup(world)
    url = reverse(f"worksites:{name}", kwargs=kwargs(world))
    # Refused roles first: they must change nothing.
    for role in [r for r in ROLES if r not in allowed]:
        response = getattr(_client(world, role), method)(url, data or {})
        if role == "anonymous":
            assert response.status_code == 302 and "/comptes/" in response["Location"], role
        else:
            assert response.status_code == 403, role
    tried = [r for r in ROLES if r in allowed]
    for role in tried if every else tried[:1]:
        response = getattr(_client(world, role), method)(url, data or {})
        assert response.status_code in (200, 302), (role, response.status_code)
        if response.status_code == 302:
            assert "/comptes/" not in response["Location"], role


def test_a_private_worksite_is_a_404_for_the_public_and_open_to_its_members():
    world = world_create()
    world.worksite.is_public = False
    world.worksite.save()
    url = reverse("worksites:detail", kwargs={"slug": world.worksite.slug})
    assert Client().get(url).status_code == 404
    assert _client(world, "outsider").get(url).status_code == 404
    assert _client(world, "participant").get(url).status_code == 200
    assert (
        Client().get(reverse("worksites:list")).content.count(world.worksite.question.encode()) == 0
    )


def test_the_section_owner_decides_suggestions_instead_of_the_committee():
    world = world_create()
    services.section_set_owner(section=world.section, owner=world.organiser)
    _suggestion(world)
    url = reverse(
        "worksites:suggestion_decide",
        kwargs={**_case_kwargs(world), "suggestion_id": world.suggestion.pk},
    )
    assert _client(world, "committee").post(url, {"decision": "accept"}).status_code == 403
    assert _client(world, "organiser").post(url, {"decision": "accept"}).status_code == 302
    world.section.refresh_from_db()
    assert "avec le temps" in world.section.body


def test_an_unfinished_edition_is_not_served():
    world = world_create()
    _edition(world)
    for name in ("edition", "edition_pdf", "edition_epub"):
        url = reverse(f"worksites:{name}", kwargs={"slug": world.worksite.slug, "number": 1})
        assert _client(world, "committee").get(url).status_code == 404
