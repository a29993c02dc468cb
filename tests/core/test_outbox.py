"""The outbox: written in the sender's transaction, delivered once, retried, taken back."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from terreau.core.models import OutboxMessage, OutboxStatus
from terreau.core.outbox import outbox_deliver_due, outbox_enqueue, tasks_recover_stale
from terreau.core.outbox import services as outbox_services

pytestmark = pytest.mark.django_db(transaction=False)


class DownBackend(LocmemBackend):
    """A mail server that refuses connections."""

    def open(self):
        raise ConnectionRefusedError("mail server down")


class RefusingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})


def use_outbox(settings, delivery="django.core.mail.backends.locmem.EmailBackend"):
    settings.MAILERS = {
        "default": {"BACKEND": "terreau.core.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": delivery},
    }


def test_a_message_is_a_row_until_the_worker_delivers_it(
    settings, django_capture_on_commit_callbacks
):
    use_outbox(settings)
    with django_capture_on_commit_callbacks(execute=False):
        send_mail("Bienvenue", "Bonjour", None, ["a@example.org"])
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.PENDING and row.to == ["a@example.org"]
    assert mail.outbox == []
    assert outbox_deliver_due() == {"sent": 1, "retried": 0, "failed": 0}
    assert [m.subject for m in mail.outbox] == ["Bienvenue"]
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.sent_at is not None
    # Delivered once: a second sweep sends nothing.
    assert outbox_deliver_due()["sent"] == 0
    assert len(mail.outbox) == 1


def test_the_commit_queues_the_delivery_task(settings, django_capture_on_commit_callbacks):
    use_outbox(settings)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_mail("Un", "Corps", None, ["a@example.org"])
        send_mail("Deux", "Corps", None, ["b@example.org"])
    assert len(callbacks) == 1  # one delivery task per transaction
    assert sorted(m.subject for m in mail.outbox) == ["Deux", "Un"]


def test_a_rolled_back_change_sends_nothing(settings):
    use_outbox(settings)
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Jamais", "Corps", None, ["a@example.org"])
        raise RuntimeError
    assert not OutboxMessage.objects.exists()


def test_a_mail_server_outage_keeps_messages_and_retries_with_back_off(settings):
    use_outbox(settings, delivery="tests.core.test_outbox.DownBackend")
    outbox_enqueue(EmailMessage("Confirmation", "Corps", None, ["a@example.org"]))
    assert outbox_deliver_due() == {"sent": 0, "retried": 1, "failed": 0}
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at > timezone.now()
    assert "mail server down" in row.last_error
    # Not due yet: nothing is attempted before the back-off.
    assert outbox_deliver_due() == {"sent": 0, "retried": 0, "failed": 0}
    # The server comes back and the delay has passed.
    use_outbox(settings)
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert outbox_deliver_due()["sent"] == 1
    assert [m.subject for m in mail.outbox] == ["Confirmation"]


def test_back_off_doubles_and_is_capped():
    delays = [outbox_services.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:3] == [30, 60, 120]
    assert max(delays) == 3600


def test_a_message_fails_for_good_after_the_last_attempt_or_a_permanent_refusal(settings):
    use_outbox(settings, delivery="tests.core.test_outbox.RefusingBackend")
    outbox_enqueue(EmailMessage("Refusé", "Corps", None, ["x@example.org"]))
    assert outbox_deliver_due()["failed"] == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_a_claim_left_by_a_killed_worker_is_taken_back_after_its_lease(settings):
    use_outbox(settings)
    row = outbox_enqueue(EmailMessage("Perdu ?", "Corps", None, ["a@example.org"]))
    # A worker claimed it, then died before sending.
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING,
        claim_token="dead",
        claimed_until=timezone.now() + dt.timedelta(minutes=5),
        attempts=1,
    )
    assert outbox_deliver_due()["sent"] == 0  # the lease still runs
    OutboxMessage.objects.filter(pk=row.pk).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert outbox_deliver_due()["sent"] == 1
    assert len(mail.outbox) == 1


def test_two_workers_never_claim_the_same_message(settings):
    use_outbox(settings)
    outbox_enqueue(EmailMessage("Une fois", "Corps", None, ["a@example.org"]))
    rows = list(OutboxMessage.objects.all())
    stale = [OutboxMessage.objects.get(pk=rows[0].pk)]
    assert len(outbox_services._claim(rows, timezone.now())) == 1
    # The second worker read the row before the first claimed it: its compare-and-set fails.
    assert outbox_services._claim(stale, timezone.now()) == []


def test_a_key_is_queued_once(settings):
    use_outbox(settings)
    first = outbox_enqueue(EmailMessage("A", "B", None, ["a@example.org"]), key="k1")
    second = outbox_enqueue(EmailMessage("A", "B", None, ["a@example.org"]), key="k1")
    assert first is not None and second is None
    header = EmailMessage("A", "B", None, ["a@example.org"], headers={"X-Terreau-Outbox-Key": "k2"})
    header.send()
    header2 = EmailMessage(
        "A", "B", None, ["a@example.org"], headers={"X-Terreau-Outbox-Key": "k2"}
    )
    header2.send()
    assert OutboxMessage.objects.count() == 2
    assert "X-Terreau-Outbox-Key" not in OutboxMessage.objects.get(key="k2").headers


def test_a_task_run_again_after_a_crash_does_not_queue_its_messages_twice(settings):
    use_outbox(settings)
    for _run in range(2):  # the same task, run twice (the first run's worker was killed)
        outbox_services.current_task_id.set("task-1")
        outbox_services._task_key_counts.set({})
        EmailMessage("Attestation", "Corps", None, ["a@example.org"]).send()
        EmailMessage("Attestation", "Corps", None, ["b@example.org"]).send()
    outbox_services.current_task_id.set(None)
    assert OutboxMessage.objects.count() == 2


def test_the_message_id_stays_the_same_across_attempts(settings):
    use_outbox(settings, delivery="tests.core.test_outbox.DownBackend")
    outbox_enqueue(EmailMessage("Id", "Corps", None, ["a@example.org"]))
    message_id = OutboxMessage.objects.get().headers["Message-ID"]
    outbox_deliver_due()
    use_outbox(settings)
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id


def test_html_parts_and_attachments_survive_the_outbox(settings):
    use_outbox(settings)
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives("Lettre", "Texte", None, ["a@example.org"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("attestation.pdf", b"%PDF-1.4 bytes", "application/pdf")
    message.send()
    outbox_deliver_due()
    sent = mail.outbox[0]
    assert sent.alternatives[0][0] == "<p>HTML</p>"
    assert sent.attachments[0][0] == "attestation.pdf"
    assert sent.attachments[0][1] == b"%PDF-1.4 bytes"


def test_tasks_left_running_by_a_killed_worker_become_ready_again(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS_LEASE_SECONDS = 60
    old = timezone.now() - dt.timedelta(minutes=5)
    fields = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "terreau.core.tasks.deliver_outbox",
        "backend_name": "default",
        "queue_name": "default",
        "run_after": timezone.now(),
        "exception_class_path": "",
        "traceback": "",
    }
    stale = DBTaskResult.objects.create(status="RUNNING", started_at=old, **fields)
    fresh = DBTaskResult.objects.create(status="RUNNING", started_at=timezone.now(), **fields)
    assert tasks_recover_stale() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "READY" and fresh.status == "RUNNING"


def test_resetting_a_password_while_the_mail_server_is_down_answers(client, settings, user):
    use_outbox(settings, delivery="tests.core.test_outbox.DownBackend")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert OutboxMessage.objects.get().to == [user.email]


def test_signing_up_while_the_mail_server_is_down_answers_and_keeps_the_mail(client, settings):
    use_outbox(settings, delivery="tests.core.test_outbox.DownBackend")
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@example.org",
            "first_name": "Nouvelle",
            "last_name": "Membre",
            "password1": "un-long-mot-de-passe-42",
            "password2": "un-long-mot-de-passe-42",
        },
    )
    assert response.status_code == 302
    row = OutboxMessage.objects.get()
    assert row.to == ["nouvelle@example.org"] and row.status == OutboxStatus.PENDING


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 403), ("member", 403), ("moderator", 403), ("staff", 200)]
)
def test_only_staff_see_the_outbox(client, role, status, user, moderator, staff):
    who = {"member": user, "moderator": moderator, "staff": staff}.get(role)
    if who:
        client.force_login(who)
    response = client.get(reverse("core:outbox"))
    assert response.status_code == status


def test_staff_put_failed_messages_back_in_the_queue(client, settings, staff):
    use_outbox(settings, delivery="tests.core.test_outbox.RefusingBackend")
    outbox_enqueue(EmailMessage("Refusé", "Corps", None, ["x@example.org"]))
    outbox_deliver_due()
    row = OutboxMessage.objects.get()
    client.force_login(staff)
    page = client.get(reverse("core:outbox"))
    assert "Refusé" in page.content.decode()
    use_outbox(settings)
    response = client.post(
        reverse("core:outbox"), {"message": [str(row.pk), "99999999999999999999999"]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status in {OutboxStatus.PENDING, OutboxStatus.SENT}


def test_a_killed_worker_and_a_mail_server_outage_lose_nothing_and_send_nothing_twice():
    """Real processes: `terreau worker` killed with SIGKILL mid-batch, the SMTP server down for
    three seconds, a new worker started; every message arrives, at most the one in flight twice."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from outbox_faults import run

    figures = run(messages=40, timeout=400, delay=0.1)
    assert figures["lost"] == 0, figures
    assert figures["delivered"] == 40, figures
    assert figures["sent_twice"] <= 1, figures
    assert 0 < figures["received_before_kill"] < 40, figures


def test_a_batch_slower_than_its_lease_is_not_taken_back_row_by_row(settings):
    """Each row's lease is renewed just before it is sent, so a second sweep running while a
    long batch is being sent finds nothing to take back."""
    use_outbox(settings)
    for number in range(3):
        outbox_enqueue(EmailMessage(f"M{number}", "Corps", None, [f"p{number}@example.org"]))
    rows = list(OutboxMessage.objects.order_by("pk"))
    claimed = outbox_services._claim(rows, timezone.now() - dt.timedelta(hours=1))
    # The batch's common lease has run out, but the first row is renewed before it is sent.
    assert outbox_services._renew(claimed[0])
    assert OutboxMessage.objects.get(pk=rows[0].pk).claimed_until > timezone.now()
    # A row another worker took back meanwhile is not sent by this one.
    OutboxMessage.objects.filter(pk=rows[1].pk).update(claim_token="other")
    assert not outbox_services._renew(claimed[1])


def shared_letter():
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        "Lettre", "Se désabonner : @@LINK@@", headers={"X-Common": "1"}
    )
    message.attach_alternative('<a href="@@LINK@@">Se désabonner</a>', "text/html")
    return message


def copies(*names):
    from terreau.core.outbox import OutboxCopy

    return [
        OutboxCopy(
            key=f"lettre:{name}",
            to=[f"{name}@example.org"],
            substitutions={"@@LINK@@": f"https://terreau.example/{name}/"},
            headers={"List-Unsubscribe": f"<https://terreau.example/{name}/>"},
        )
        for name in names
    ]


def test_copies_share_one_stored_body_and_each_gets_its_own_links(settings):
    from terreau.core.models import OutboxBody
    from terreau.core.outbox import outbox_enqueue_copies

    use_outbox(settings)
    assert outbox_enqueue_copies(shared_letter(), copies("ana", "bruno", "ana")) == 2
    # Queued again (a task run twice): the keys are there, and the same body is found again.
    assert outbox_enqueue_copies(shared_letter(), copies("ana", "chloe")) == 1
    assert OutboxBody.objects.count() == 1
    assert set(OutboxMessage.objects.values_list("body", flat=True)) == {""}
    assert outbox_deliver_due()["sent"] == 3
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"ana@example.org", "bruno@example.org", "chloe@example.org"}
    for name in ["ana", "bruno", "chloe"]:
        message, link = sent[f"{name}@example.org"], f"https://terreau.example/{name}/"
        assert message.body == f"Se désabonner : {link}"
        assert message.alternatives[0][0] == f'<a href="{link}">Se désabonner</a>'
        assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert message.extra_headers["X-Common"] == "1"
    assert len({message.extra_headers["Message-ID"] for message in sent.values()}) == 3


def test_a_batch_is_claimed_in_one_update_and_each_sent_message_costs_one_query(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from terreau.core.outbox import outbox_enqueue_copies

    use_outbox(settings)
    counts = []
    for names in [["a1", "a2", "a3"], ["b1", "b2", "b3", "b4", "b5", "b6"]]:
        outbox_enqueue_copies(shared_letter(), copies(*names))
        with CaptureQueriesContext(connection) as queries:
            assert outbox_deliver_due()["sent"] == len(names)
        counts.append(len(queries))
    # Three more messages, three more queries: each one's "sent"; the claim, the lease and
    # the shared body are the batch's.
    assert counts[1] - counts[0] == 3


class TakingBackBackend(LocmemBackend):
    """While the first message is sent, another worker takes the third one back; the lease of
    each message is noted as it is sent."""

    leases: dict = {}

    def send_messages(self, messages):
        if not mail.outbox:
            OutboxMessage.objects.filter(key="lettre:c").update(claim_token="other-worker")
        for message in messages:
            name = message.to[0].split("@")[0]
            self.leases[name] = OutboxMessage.objects.get(key=f"lettre:{name}").claimed_until
        return super().send_messages(messages)


def test_a_long_batch_renews_its_lease_and_leaves_a_row_taken_back_to_the_other_worker(settings):
    from terreau.core.outbox import outbox_enqueue_copies

    use_outbox(settings, delivery="tests.core.test_outbox.TakingBackBackend")
    settings.OUTBOX_RENEW_SECONDS = 0  # the batch's lease renewed before every message
    outbox_enqueue_copies(shared_letter(), copies("a", "b", "c", "d"))
    assert outbox_deliver_due()["sent"] == 3
    assert sorted(message.to[0] for message in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "d@example.org",
    ]
    taken_back = OutboxMessage.objects.get(key="lettre:c")
    assert taken_back.status == OutboxStatus.SENDING and taken_back.claim_token == "other-worker"
    # The row taken back keeps the batch's first lease; the rows sent later had theirs renewed.
    assert TakingBackBackend.leases["b"] > taken_back.claimed_until
    assert TakingBackBackend.leases["d"] > TakingBackBackend.leases["b"]
