"""Exactly once with a real worker: `terreau worker` is killed (SIGKILL) while it queues an
issue, restarted, killed again while it sends, restarted; every subscriber gets the issue,
nobody gets it twice.

The processes share an SQLite file; an aiosmtpd server in this process is the mail server."""

import collections
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The outbox claims a batch of messages under one lease: it must outlast sending the batch, or
# another sweep takes the rest back while they are being sent.
SUBSCRIBERS = 600

SETUP = f"""
from terreau.library.models import Issue, IssueItem, Subscriber
from terreau.library.services.newsletter import issue_send
Subscriber.objects.bulk_create(
    Subscriber(email=f"abonne{{n}}@example.org", state="confirmed") for n in range({SUBSCRIBERS})
)
issue = Issue.objects.create(subject="Lettre du réseau")
IssueItem.objects.create(issue=issue, kind="news", title="Une actualité", url="http://x/")
issue_send(issue=issue)
"""


class Sink:
    """An SMTP server that keeps (recipient, Message-ID) of each message it accepts, slowly
    enough for the worker to be killed while it sends."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message["Message-ID"]))
        time.sleep(0.003)
        return "250 OK"


def count(db: Path, sql: str) -> int:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return -1
    finally:
        connection.close()


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
        **kwargs,
    )


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "worker", "--sweep", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_worker_killed_mid_batch_and_restarted_sends_each_subscriber_one_copy(tmp_path):
    from aiosmtpd.controller import Controller

    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    db = tmp_path / "exactly-once.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NEWSLETTER_BATCH_SIZE": "25",
        "TASKS_LEASE_SECONDS": "3",
        "OUTBOX_LEASE_SECONDS": "15",
        "SECRET_KEY": "exactly-once-test",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("TASKS_BACKEND", None)
    worker = None
    try:
        manage(env, "migrate", "-v0")
        manage(env, "shell", "-c", SETUP)
        deliveries = "SELECT count(*) FROM library_delivery"
        sent = "SELECT count(*) FROM core_outboxmessage WHERE status = 'sent'"
        worker = start_worker(env)
        # Killed while it queues the issue (part of the deliveries written)…
        assert wait_for(lambda: count(db, deliveries) >= 50, 120)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        at_kill = count(db, deliveries)
        assert at_kill < SUBSCRIBERS, "the worker finished queueing before it was killed"
        # …then, restarted, killed again while it sends…
        worker = start_worker(env)
        assert wait_for(lambda: count(db, sent) >= 100, 120)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        sent_at_kill = count(db, sent)
        assert sent_at_kill < SUBSCRIBERS, "the worker finished sending before it was killed"
        # …and restarted for good.
        worker = start_worker(env)
        assert wait_for(lambda: count(db, sent) == SUBSCRIBERS, 180), (
            count(db, deliveries),
            count(db, sent),
        )
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
        worker = None
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGKILL)
        controller.stop()
    assert count(db, deliveries) == SUBSCRIBERS
    assert count(db, "SELECT count(*) FROM core_outboxmessage") == SUBSCRIBERS
    message_ids = collections.defaultdict(set)
    for rcpt, message_id in sink.received:
        message_ids[rcpt].add(message_id)
    assert len(message_ids) == SUBSCRIBERS  # nobody skipped
    assert all(len(ids) == 1 for ids in message_ids.values())  # one message each
    # SMTP itself cannot be exactly once: only a message accepted by the server in the instant
    # before a kill may be transmitted again, with the same Message-ID — one at most per kill
    # (the worker already sends the first copies while it still queues the issue).
    kills = 2
    assert len(sink.received) - SUBSCRIBERS <= kills, (at_kill, sent_at_kill, len(sink.received))
