"""Rate limits per client (terreau.core.throttle): registrations, e-mails to one address,
searches, exports and PDFs; the client's address trusted from the configured proxy only; the
programme PDF drawn once per version of its event; log-in lock-outs per account and address."""

from types import SimpleNamespace

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from terreau.core import throttle
from terreau.events.models import Registration
from tests.events.registration_fixtures import make_lille_meetings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_unless_the_request_comes_from_a_trusted_proxy(settings):
    settings.TERREAU_TRUSTED_PROXIES = []
    assert throttle.client_ip(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"
    settings.TERREAU_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert throttle.client_ip(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"
    # The proxy appends the address it saw: a client's own forged entry stays on the left.
    assert throttle.client_ip(request_from("10.0.0.2", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    assert throttle.client_ip(request_from("10.0.0.2", "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert throttle.client_ip(request_from("10.0.0.2", "garbage")) == "10.0.0.2"
    assert throttle.client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_a_scope_allows_its_rate_then_refuses(settings):
    settings.TERREAU_RATES = {"search": "3/m"}
    assert [throttle.hit("search", "a") for _ in range(4)] == [True, True, True, False]
    assert throttle.hit("search", "b")


def test_registrations_from_one_client_are_throttled(client, settings):
    settings.TERREAU_RATES = {"registration": "3/10m"}
    event = make_lille_meetings()
    from tests.events.test_registration_views import lille_form

    url = reverse("events:register", kwargs={"slug": event.slug})
    statuses = [
        client.post(url, lille_form(event, email=f"p{n}@example.org")).status_code for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Registration.objects.count() == 3
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post(url, lille_form(event, email="autre@example.org")).status_code == 302
    assert client.get(url).status_code == 200  # the form itself stays readable


def test_registering_and_cancelling_again_and_again_stops_mailing_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_lille_meetings()
    from tests.events.test_registration_views import lille_form

    url = reverse("events:register", kwargs={"slug": event.slug})
    for _round in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, lille_form(event, email="victime@example.org"))
        if response.status_code != 302:
            break
        with django_capture_on_commit_callbacks(execute=True):
            client.post(response["Location"] + "annuler/")
    assert response.status_code == 429
    assert "email" in response.context["form"].errors
    assert len([m for m in mailoutbox if "victime@example.org" in m.to]) <= 4


def _still_clock(monkeypatch):
    """The throttle's windows are aligned on the clock: on a loaded machine three requests can
    straddle the end of a minute and land in two windows. Stop the throttle's clock mid-window."""
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.mark.parametrize(
    "name", ["observatory:export_csv", "observatory:export_json", "observatory:export_geojson"]
)
def test_exports_are_throttled(client, settings, monkeypatch, name):
    settings.TERREAU_RATES = {"export": "2/10m"}
    _still_clock(monkeypatch)
    statuses = [client.get(reverse(name)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(client.get(reverse(name))["Retry-After"]) > 0


@pytest.mark.parametrize(
    "path", ["/observatoire/", "/annuaire/", "/ressources/", "/observatoire/api/initiatives"]
)
def test_searches_are_throttled(client, settings, monkeypatch, path):
    settings.TERREAU_RATES = {"search": "2/m"}
    _still_clock(monkeypatch)
    # Distinct searches (a repeated one is served from the page cache, which costs nothing).
    statuses = [client.get(path, {"q": f"débat {n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_the_programme_pdf_is_drawn_once_per_version_of_its_event(client, monkeypatch):
    from terreau.events.views import programme

    event = make_lille_meetings()
    drawn = []

    def fake_pdf(*, event, days, request=None):
        drawn.append(event.updated_at)
        return b"%PDF-1.7 programme"

    monkeypatch.setattr(programme, "programme_pdf", fake_pdf)
    url = reverse("events:programme_pdf", kwargs={"slug": event.slug})
    for _ in range(3):
        assert client.get(url).content == b"%PDF-1.7 programme"
    assert len(drawn) == 1
    day = event.days.first()
    day.save()  # a change of a part touches the event
    client.get(url)
    assert len(drawn) == 2


def test_the_programme_pdf_is_throttled_per_client(client, settings, monkeypatch):
    from terreau.events.views import programme

    settings.TERREAU_RATES = {"pdf": "2/10m"}
    monkeypatch.setattr(programme, "programme_pdf", lambda **kwargs: b"%PDF-")
    event = make_lille_meetings()
    url = reverse("events:programme_pdf", kwargs={"slug": event.slug})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_a_lock_out_blocks_one_account_from_one_address_not_the_others(settings):
    settings.TERREAU_TRUSTED_PROXIES = ["127.0.0.1"]
    victim = UserFactory(email="victime@example.org")
    other = UserFactory(email="autre@example.org")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 6):
        attacker.post("/comptes/login/", {"login": victim.email, "password": "mauvais"})
    # Same proxy, same attacker address, another account with its right password: let in.
    response = attacker.post(
        "/comptes/login/", {"login": other.email, "password": "a-strong-pass-phrase"}
    )
    assert response.status_code == 302, response.status_code
    # Another person behind the same proxy logs into the locked account: let in.
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = colleague.post(
        "/comptes/login/", {"login": victim.email, "password": "a-strong-pass-phrase"}
    )
    assert response.status_code == 302
    # The attacker's address stays locked out of the victim's account, even with its password.
    attacker.logout()
    response = attacker.post(
        "/comptes/login/", {"login": victim.email, "password": "a-strong-pass-phrase"}
    )
    assert response.status_code != 302
