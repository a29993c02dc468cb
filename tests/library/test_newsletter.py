"""The newsletter: double opt-in, signed links (forged and replayed ones change nothing),
one-click unsubscribe, preferences, issues queued exactly once, bounces."""

import re
from email.message import EmailMessage as RawEmail

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from terreau.core.models import OutboxMessage
from terreau.core.outbox import outbox_deliver_due
from terreau.library import tokens
from terreau.library.bounces import parse_report
from terreau.library.models import Delivery, DeliveryState, Issue, IssueState, SubscriberState
from terreau.library.services import newsletter as services
from tests.factories import ThemeFactory

from .factories import IssueFactory, IssueItemFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def use_outbox(settings):
    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


def confirm_link(message) -> str:
    return re.search(r"http://\S+/lettre/confirmer/\S+/", message.body).group()


def test_subscribing_sends_only_the_confirmation(client, mailoutbox):
    response = client.post(reverse("library:newsletter_subscribe"), {"email": "Ana@Example.org"})
    assert response.status_code == 302
    subscriber = services.subscriber_find("ana@example.org")
    assert subscriber.state == SubscriberState.PENDING
    assert len(mailoutbox) == 1 and "confirmer" in mailoutbox[0].body
    # A pending address receives no issue.
    issue = IssueFactory()
    IssueItemFactory(issue=issue)
    services.issue_send(issue=issue)
    services.issue_queue(issue_id=issue.pk)
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()


def test_asking_twice_sends_one_confirmation_and_a_confirmed_address_gets_none(mailoutbox):
    services.subscriber_subscribe(email="ana@example.org")
    services.subscriber_subscribe(email="ANA@example.org")
    assert len(mailoutbox) == 1
    SubscriberFactory(email="bea@example.org")
    services.subscriber_subscribe(email="bea@example.org")
    assert len(mailoutbox) == 1


def test_the_confirmation_link_works_once(client, mailoutbox):
    services.subscriber_subscribe(email="ana@example.org")
    link = confirm_link(mailoutbox[0]).replace("http://127.0.0.1:8000", "")
    assert client.get(link).status_code == 200  # a button: opening the link changes nothing
    assert services.subscriber_find("ana@example.org").state == SubscriberState.PENDING
    assert client.post(link).status_code == 200
    assert services.subscriber_find("ana@example.org").state == SubscriberState.CONFIRMED
    # Replayed after an unsubscription: nothing changes.
    services.subscriber_unsubscribe(subscriber=services.subscriber_find("ana@example.org"))
    assert client.post(link).status_code == 404
    assert services.subscriber_find("ana@example.org").state == SubscriberState.UNSUBSCRIBED


FORGED = {
    "garbage": lambda: "x",
    "empty": lambda: "",
    "huge": lambda: "a" * 5000,
    "wrong salt": lambda: signing.dumps([1, "nonce"], salt="wrong-salt"),
    "not a list": lambda: signing.dumps("1", salt="terreau.library.newsletter.unsubscribe"),
    "id past 2**63": lambda: signing.dumps(
        [2**70, "n"], salt="terreau.library.newsletter.unsubscribe"
    ),
}


@pytest.mark.parametrize("forge", FORGED.values(), ids=FORGED.keys())
def test_a_forged_unsubscribe_token_changes_nothing(forge):
    token = forge()
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    url = (
        f"/ressources/lettre/desabonnement/{token}/"
        if token
        else "/ressources/lettre/desabonnement/x/"
    )
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.CONFIRMED


def test_a_token_for_another_subscriber_or_purpose_changes_nothing():
    ana, bea = SubscriberFactory(), SubscriberFactory()
    manage = tokens.make_token(ana, tokens.MANAGE)
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("library:newsletter_unsubscribe", args=[manage])).status_code == 404
    # A token with another subscriber's id and this one's nonce fails the signature.
    tampered = manage.replace(str(ana.pk), str(bea.pk), 1)
    assert (
        client.post(reverse("library:newsletter_unsubscribe", args=[tampered])).status_code == 404
    )
    ana.refresh_from_db(), bea.refresh_from_db()
    assert ana.state == bea.state == SubscriberState.CONFIRMED


def test_one_click_unsubscribe_without_csrf_and_the_replay_does_nothing():
    subscriber = SubscriberFactory()
    url = reverse(
        "library:newsletter_unsubscribe", args=[tokens.make_token(subscriber, tokens.UNSUBSCRIBE)]
    )
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    # Subscribed again (new confirmation): the old link is dead.
    services.subscriber_subscribe(email=subscriber.email)
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.PENDING
    assert client.post(url).status_code == 404


def test_preferences_page_saves_themes_and_kinds(client):
    theme = ThemeFactory()
    subscriber = SubscriberFactory()
    url = reverse("library:newsletter_manage", args=[tokens.make_token(subscriber, tokens.MANAGE)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kinds": ["event"], "themes": [theme.pk]})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.kinds == ["event"] and list(subscriber.themes.all()) == [theme]


def test_an_issue_goes_once_to_each_confirmed_subscriber_by_their_preferences(settings):
    use_outbox(settings)
    democracy, climate = ThemeFactory(), ThemeFactory()
    everyone = SubscriberFactory()
    climate_only = SubscriberFactory(themes=[climate])
    events_only = SubscriberFactory(kinds=["event"])
    SubscriberFactory(state=SubscriberState.UNSUBSCRIBED)
    SubscriberFactory(state=SubscriberState.PENDING)
    issue = IssueFactory()
    IssueItemFactory(issue=issue, title="Démocratie", theme_ids=[democracy.pk])
    IssueItemFactory(issue=issue, title="Pour tous")
    services.issue_send(issue=issue)
    services.issue_queue(issue_id=issue.pk, size=2)
    issue.refresh_from_db()
    assert issue.state == IssueState.SENT
    states = dict(Delivery.objects.values_list("subscriber__email", "state"))
    assert states == {
        everyone.email: DeliveryState.QUEUED,
        climate_only.email: DeliveryState.QUEUED,
        events_only.email: DeliveryState.SKIPPED,
    }
    # Run again (a restarted task): nothing more.
    assert services.issue_queue(issue_id=issue.pk) == 0
    assert OutboxMessage.objects.count() == 2
    from django.core import mail

    outbox_deliver_due()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {everyone.email, climate_only.email}
    assert "Démocratie" in by_address[everyone.email].body
    assert "Démocratie" not in by_address[climate_only.email].body
    message = by_address[everyone.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/lettre/desabonnement/" in unsubscribe and unsubscribe in message.body
    html = message.alternatives[0][0]
    assert "<img" not in html and unsubscribe in html and 'name="viewport"' in html


def test_open_calls_are_offered_to_an_issue_under_the_calls_topic_of_the_preferences():
    import datetime as dt

    from django.utils import timezone

    from terreau.library.models import ContentKind, NewsKind, ResourceKind
    from terreau.library.newsletter_mail import IssueRenderer
    from terreau.library.selectors.newsletter import newsletter_candidates
    from tests.calls.factories import CallFactory
    from tests.library.factories import ResourceFactory

    open_call = CallFactory(title="Appel à projets citoyens 2027")
    CallFactory(title="Appel clos", closes_at=timezone.now() - dt.timedelta(days=1))
    CallFactory(title="Appel brouillon", is_published=False)
    ResourceFactory(title="Appel de la Fondation", kind=ResourceKind.CALL)
    ResourceFactory(title="Actualité d'un appel", kind=ResourceKind.NEWS, news_kind=NewsKind.CALL)
    ResourceFactory(title="Un guide", kind=ResourceKind.GUIDE)
    kinds = {item["title"]: item["kind"] for item in newsletter_candidates(since=None)}
    assert kinds == {
        "Appel à projets citoyens 2027": ContentKind.CALL,
        "Appel de la Fondation": ContentKind.CALL,
        "Actualité d'un appel": ContentKind.CALL,
        "Un guide": ContentKind.RESOURCE,
    }
    call_item = next(i for i in newsletter_candidates() if i["source"] == f"call:{open_call.pk}")
    assert call_item["url"].endswith(open_call.get_absolute_url())
    issue = IssueFactory()
    services.issue_set_items(issue=issue, items=newsletter_candidates(since=None))
    calls_only = SubscriberFactory(kinds=[ContentKind.CALL])
    titles = {item.title for item in IssueRenderer(issue).items_for(calls_only)}
    assert titles == {
        "Appel à projets citoyens 2027",
        "Appel de la Fondation",
        "Actualité d'un appel",
    }


def test_the_preferences_offer_calls_as_a_topic(client):
    subscriber = SubscriberFactory()
    url = reverse("library:newsletter_manage", args=[tokens.make_token(subscriber, tokens.MANAGE)])
    body = client.get(url).content.decode()
    assert 'value="call"' in body and "Appels à candidatures" in body
    client.post(url, {"kinds": ["call"]})
    subscriber.refresh_from_db()
    assert subscriber.kinds == ["call"]


def test_a_batch_interrupted_before_its_commit_leaves_nothing_and_is_taken_again(
    settings, monkeypatch
):
    use_outbox(settings)
    subscribers = SubscriberFactory.create_batch(5)
    issue = IssueFactory()
    IssueItemFactory(issue=issue)
    services.issue_send(issue=issue)
    real = services.mail.enqueue_copies

    def crash_after_writing(message, copies):
        real(message, copies)  # the messages are written, then the worker dies before the commit
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services.mail, "enqueue_copies", crash_after_writing)
    with pytest.raises(RuntimeError):
        services.issue_queue(issue_id=issue.pk, size=10)
    assert not Delivery.objects.exists() and not OutboxMessage.objects.exists()
    monkeypatch.setattr(services.mail, "enqueue_copies", real)
    services.issue_queue(issue_id=issue.pk, size=2)
    assert Delivery.objects.count() == OutboxMessage.objects.count() == len(subscribers)


def test_test_send_goes_to_one_address_and_writes_no_delivery(mailoutbox):
    issue = IssueFactory()
    IssueItemFactory(issue=issue)
    services.issue_send_test(issue=issue, email="staff@example.org")
    assert [m.to for m in mailoutbox] == [["staff@example.org"]]
    assert mailoutbox[0].subject.startswith("[")
    assert not Delivery.objects.exists()


DSN = b"""From: MAILER-DAEMON@example.org
To: noreply@terreau.localhost
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 No such user

--B--
"""


def test_bounce_reports_mark_the_address_and_temporary_failures_do_not(tmp_path):
    import mailbox

    gone = SubscriberFactory(email="gone@example.org")
    SubscriberFactory(email="later@example.org")
    assert parse_report(DSN)[0].email == "gone@example.org"
    assert parse_report(DSN.replace(b"Status: 5.1.1", b"Status: 4.2.2")) == []
    assert parse_report(b"\x00garbage") == []
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(DSN)
    raw = RawEmail()
    raw["Subject"] = "Out of office"
    raw.set_content("I am away")
    box.add(raw.as_bytes())
    from django.core.management import call_command

    call_command("newsletter_bounces", str(tmp_path / "bounces"))
    gone.refresh_from_db()
    assert gone.state == SubscriberState.BOUNCED and "5.1.1" in gone.bounce_reason
    assert services.subscriber_find("later@example.org").state == SubscriberState.CONFIRMED


def test_staff_pages_are_for_staff_only(client, user, staff):
    issue = IssueFactory()
    IssueItemFactory(issue=issue)
    urls = [
        reverse("library:issue_list"),
        reverse("library:issue_create"),
        reverse("library:issue_detail", args=[issue.pk]),
        reverse("library:issue_preview", args=[issue.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("library:issue_send", args=[issue.pk])).status_code == 403
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 200
    assert Issue.objects.get().state == IssueState.DRAFT


def test_staff_compose_preview_and_send(
    client, staff, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from terreau.library.models import ResourceKind
    from tests.library.factories import ResourceFactory

    use_outbox(settings)
    news = ResourceFactory(
        kind=ResourceKind.NEWS, published_on=timezone.localdate() - dt.timedelta(days=3)
    )
    SubscriberFactory.create_batch(3)
    client.force_login(staff)
    response = client.post(
        reverse("library:issue_create"),
        {"subject": "Lettre d'avril", "introduction": "Bonjour", "items": [f"resource:{news.pk}"]},
    )
    issue = Issue.objects.get()
    assert response.status_code == 302 and issue.items.get().title == news.title
    preview = client.get(reverse("library:issue_preview", args=[issue.pk]))
    assert news.title in preview.content.decode()
    assert "unsafe-inline" in preview["Content-Security-Policy"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("library:issue_send", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.state == IssueState.SENT and issue.deliveries.count() == 3
    page = client.get(reverse("library:issue_detail", args=[issue.pk]))
    assert page.status_code == 200 and "100" in page.content.decode()
