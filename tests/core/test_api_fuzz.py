"""Schemathesis on the observatory's OpenAPI document, through the WSGI application: bounded
examples per operation, anonymous and signed in, with 0 server errors and 0 answers outside the
document (status codes, content types, bodies). Run it on SQLite and on PostgreSQL
(DATABASE_URL=…) like the rest of the suite."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests.factories import ThemeFactory, UserFactory
from tests.observatory.factories import FacilitationFormatFactory, InitiativeFactory

SCHEMA_PATH = "/observatoire/api/openapi.json"
CSRF = "a" * 32
MAX_EXAMPLES = 25
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings, same_transaction):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.TERREAU_RATES = {"search": "100000/m"}
    from django.core.handlers.wsgi import WSGIHandler

    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())


@pytest.fixture
def catalogue(db):
    InitiativeFactory(published=True, slug="assemblee", themes=[ThemeFactory(slug="climat")])
    FacilitationFormatFactory(slug="atelier")


@pytest.fixture
def same_transaction():
    """The WSGI handler closes old connections around each request, which would end the
    test's transaction: keep it open, as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def member_headers(client):
    user = UserFactory()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}


def fuzz(api_schema, headers=None) -> int:
    """Every operation with bounded examples; returns how many requests were made."""
    calls = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            calls.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

        run()
    return len(calls)


@pytest.mark.django_db
def test_the_api_answers_as_documented_to_visitors(api_schema, catalogue, same_transaction):
    assert fuzz(api_schema) > 20


@pytest.mark.django_db
def test_the_api_answers_as_documented_to_members(
    api_schema, catalogue, same_transaction, member_headers
):
    assert fuzz(api_schema, member_headers) > 20
