"""Words, numbers and links: plurals and thousands on the home page, the French 1er, English dates
day first, Leaflet's zoom titles, absolute links from the request."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from terreau.core.absolute import RequestBaseURLMiddleware, absolute_url, base_url

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template(source).render(Context(context))


def test_the_first_of_a_month_is_an_ordinal_in_french():
    day = datetime.date(2026, 12, 1)
    assert render('{{ d|date:"j F Y" }}', d=day) == "1er\xa0décembre 2026"
    assert render('{{ d|date:"l j F" }}', d=day) == "mardi 1er\xa0décembre"
    assert render('{{ d|date:"j F" }}', d=datetime.date(2026, 3, 21)) == "21 mars"
    assert render('{{ d|date:"d/m/Y" }}', d=day) == "01/12/2026"
    with translation.override("en"):
        assert render('{{ d|date:"j F Y" }}', d=day) == "1 December 2026"


def test_dates_built_in_python_go_through_the_one_formatter_that_writes_1er():
    """Django's own date_format writes "1 décembre": every module uses terreau.core.dates."""
    from pathlib import Path

    import terreau
    from terreau.events.selectors.onsite import HalfDay

    package = Path(terreau.__file__).parent
    direct = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(
            r"from django\.utils\.formats import [^\n]*\bdate_format\b",
            path.read_text(encoding="utf-8"),
        )
    ]
    assert direct == []
    day = SimpleNamespace(date=datetime.date(2026, 12, 1))
    with translation.override("fr"):
        label = HalfDay(day=day, half="morning", starts_at=None, ends_at=None).day_label
    assert label == "mardi 1er\xa0décembre 2026"


def test_english_dates_put_the_day_first():
    with translation.override("en"):
        assert render('{{ d|date:"DATE_FORMAT" }}', d=datetime.date(2023, 5, 11)) == "11 May 2023"


def test_home_counts_agree_with_their_number(client):
    from tests.library.factories import ResourceFactory

    ResourceFactory()
    body = client.get("/").content.decode()
    assert "1</span> ressource publiée" in body
    client.cookies["django_language"] = "en"
    assert "1</span> published resource<" in client.get("/").content.decode()
    ResourceFactory.create_batch(1233)  # past the thousands separator
    body = client.get("/").content.decode()
    assert "1,234</span> published resources" in body


def test_zoom_titles_are_translated(client):
    body = client.get("/").content.decode()
    assert 'data-zoom-in="Zoom avant"' in body


def test_absolute_links_follow_the_address_the_site_is_served_at(settings):
    settings.SITE_URL = "https://terreau.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert absolute_url("/evenements/") == "https://terreau.example/evenements/"
    seen = {}

    def view(request):
        seen["url"] = absolute_url("/evenements/")
        return None

    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8200")
    RequestBaseURLMiddleware(view)(request)
    assert seen["url"] == "http://127.0.0.1:8200/evenements/"
    assert base_url() == "https://terreau.example"  # reset after the request


def test_a_disallowed_host_falls_back_to_site_url(settings):
    settings.SITE_URL = "https://terreau.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen["url"] = absolute_url("/")

    RequestBaseURLMiddleware(view)(RequestFactory().get("/", HTTP_HOST="evil.example"))
    assert seen["url"] == "https://terreau.example/"
