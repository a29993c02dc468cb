"""The JSON API, checked against its own OpenAPI document (openapi-core validates every
response: status, content type and body schema)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from terreau.observatory.models import InitiativeProposal, ProposalState
from tests.factories import ThemeFactory
from tests.observatory.factories import FacilitationFormatFactory, InitiativeFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get(reverse("observatory:api:openapi-json"))
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json())


@pytest.fixture
def api_get(client, openapi):
    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, response.content
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        return response.json()

    return get


@pytest.fixture
def api_post(client, openapi):
    def post(url, payload, status):
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == status, response.content
        if status != 401:
            openapi.validate_response(
                DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
            )
        return response.json()

    return post


@pytest.fixture
def initiatives():
    lille = CommuneFactory(insee="59350", name="Lille", latitude=50.63, longitude=3.06)
    theme = ThemeFactory(slug="budget-participatif")
    made = [
        InitiativeFactory(
            published=True,
            title=f"Budget participatif {number}",
            summary="Les habitants votent.",
            commune=lille,
            start_date=datetime.date(2020, 1, number + 1),
            themes=[theme],
        )
        for number in range(5)
    ]
    InitiativeFactory(title="Brouillon", themes=[theme])
    return made


def test_the_openapi_document_describes_every_endpoint(client):
    document = client.get(reverse("observatory:api:openapi-json")).json()
    from openapi_spec_validator import validate

    validate(document)
    assert {
        "/observatoire/api/initiatives",
        "/observatoire/api/initiatives/{slug}",
        "/observatoire/api/vocabularies",
        "/observatoire/api/proposals",
    } <= set(document["paths"])
    assert "Licence Ouverte" in document["info"]["description"]


def test_the_list_is_paginated_and_filtered_like_the_public_list(api_get, initiatives):
    url = reverse("observatory:api:initiative_list")
    page = api_get(url + "?page_size=2&sort=date")
    assert page["count"] == 5
    assert page["pages"] == 3
    assert [item["title"] for item in page["results"]] == [
        "Budget participatif 4",
        "Budget participatif 3",
    ]
    assert page["next"].endswith("page=2") or "page=2" in page["next"]
    assert page["previous"] is None
    assert page["results"][0]["commune"] == {
        "insee": "59350",
        "name": "Lille",
        "latitude": 50.63,
        "longitude": 3.06,
    }
    last = api_get(url + "?page_size=2&page=3")
    assert len(last["results"]) == 1 and last["next"] is None
    assert api_get(url + "?q=participatifs&theme=budget-participatif")["count"] == 5
    assert api_get(url + "?department=80")["count"] == 0
    assert api_get(url + "?q=%22%20OR%201%3D1%20--%20%F0%9F%98%80")["count"] == 0


def test_invalid_parameters_get_a_422_not_an_error(client, initiatives):
    url = reverse("observatory:api:initiative_list")
    assert client.get(url + "?page=abc").status_code == 422
    assert client.get(url + "?page_size=1000").status_code == 422


def test_the_detail_gives_published_initiatives_only(api_get, initiatives):
    slug = initiatives[0].slug
    detail = api_get(reverse("observatory:api:initiative_detail", args=[slug]))
    assert detail["title"] == "Budget participatif 0"
    assert detail["themes"] == ["budget-participatif"]
    assert detail["licence"].startswith("Licence Ouverte")
    api_get(reverse("observatory:api:initiative_detail", args=["brouillon"]), status=404)


def test_vocabularies_list_the_identifiers(api_get, initiatives):
    FacilitationFormatFactory(slug="jury-citoyen", name="Jury citoyen")
    data = api_get(reverse("observatory:api:vocabularies"))
    assert "jury-citoyen" in [term["slug"] for term in data["facilitation_formats"]]
    assert data["sorts"] == ["relevance", "date", "title"]


def test_the_list_runs_the_same_queries_for_any_page_size(
    client, initiatives, django_assert_num_queries
):
    url = reverse("observatory:api:initiative_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url + "?page_size=1")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url + "?page_size=100")


def test_a_member_proposes_an_initiative_that_waits_for_moderation(
    client, api_post, user, moderator
):
    ThemeFactory(slug="jeunesse")
    client.force_login(user)
    created = api_post(
        reverse("observatory:api:proposal_create"),
        {
            "title": "Conseil des jeunes de Fives",
            "brief_description": "Des jeunes donnent leur avis.",
            "general_issues": ["jeunesse"],
            "public_spectrum": "consultation",
            "message": "Nouvelle fiche",
        },
        201,
    )
    assert created["state"] == ProposalState.SUBMITTED
    assert created["initiative"] is None
    proposal = InitiativeProposal.objects.get(pk=created["id"])
    assert proposal.author == user
    assert proposal.data["title"] == "Conseil des jeunes de Fives"
    assert proposal.data["participation_level"] == "consultation"
    assert len(proposal.data["themes"]) == 1
    assert any(user.email in message.to for message in mail.outbox)


def test_a_member_may_not_publish_directly(client, api_post, user):
    client.force_login(user)
    data = api_post(
        reverse("observatory:api:proposal_create"),
        {"title": "Essai", "brief_description": "Résumé", "publish": True},
        403,
    )
    assert data["detail"]
    assert not InitiativeProposal.objects.exists()


def test_a_moderator_may_publish_directly(client, api_post, moderator):
    client.force_login(moderator)
    data = api_post(
        reverse("observatory:api:proposal_create"),
        {"title": "Forum ouvert à Lens", "brief_description": "Un forum.", "publish": True},
        201,
    )
    assert data["state"] == ProposalState.PUBLISHED
    assert data["initiative"]


def test_an_edit_of_a_published_initiative_keeps_the_other_fields(
    client, api_post, user, initiatives
):
    client.force_login(user)
    target = initiatives[0]
    data = api_post(
        reverse("observatory:api:proposal_create"),
        {"initiative": target.slug, "brief_description": "Un nouveau résumé.", "submit": False},
        201,
    )
    assert data["state"] == ProposalState.DRAFT
    proposal = InitiativeProposal.objects.get(pk=data["id"])
    assert proposal.initiative == target
    assert proposal.data["summary"] == "Un nouveau résumé."
    assert proposal.data["title"] == target.title


def test_invalid_content_gets_field_errors_and_saves_nothing(client, api_post, user):
    client.force_login(user)
    data = api_post(
        reverse("observatory:api:proposal_create"),
        {
            "title": "",
            "brief_description": "x" * 300,
            "public_spectrum": "total",
            "general_issues": ["inconnu"],
            "start_date": "2021-05-01",
            "end_date": "2020-01-01",
        },
        422,
    )
    fields = {error["field"] for error in data["errors"]}
    assert fields == {"title", "brief_description", "public_spectrum", "general_issues", "end_date"}
    assert not InitiativeProposal.objects.exists()


def test_anonymous_visitors_cannot_write(client, api_post):
    api_post(
        reverse("observatory:api:proposal_create"), {"title": "x", "brief_description": "y"}, 401
    )
    assert not InitiativeProposal.objects.exists()


def test_a_contributor_reads_the_state_of_their_own_proposals_only(
    client, api_get, api_post, user, moderator
):
    from tests.factories import UserFactory

    client.force_login(user)
    created = api_post(
        reverse("observatory:api:proposal_create"),
        {"title": "Essai", "brief_description": "Résumé", "submit": False},
        201,
    )
    url = reverse("observatory:api:proposal_detail", args=[created["id"]])
    assert api_get(url)["state"] == ProposalState.DRAFT
    client.force_login(UserFactory())
    api_get(url, status=404)
    client.force_login(moderator)
    assert api_get(url)["id"] == created["id"]
