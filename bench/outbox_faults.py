"""Faults on real processes: the task worker killed with SIGKILL mid-batch, and the mail server
down then back. Prints how many e-mails were queued, delivered, lost and sent twice. With
--pdf: the worker killed while it draws printed documents; prints how many were drawn.

python bench/outbox_faults.py                 # SQLite, 300 messages
python bench/outbox_faults.py --outage 60     # the mail server down for a minute
python bench/outbox_faults.py --pdf           # the worker killed while it draws PDFs
python bench/outbox_faults.py --messages 1000 --database postgres://postgres@127.0.0.1:5432/terreau_faults
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class Sink:
    """A local SMTP server (aiosmtpd) that records each message's Message-ID, slowly."""

    def __init__(self, port: int, delay: float):
        self.port, self.delay = port, delay
        self.received: list[str] = []
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import asyncio

        await asyncio.sleep(self.delay)
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                with self.lock:
                    self.received.append(line.split(":", 1)[1].strip())
                break
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def _env(database_url: str, port: int) -> dict:
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "OUTBOX_LEASE_SECONDS": "3",
        "OUTBOX_RETRY_BASE_SECONDS": "0.5",
        "TASKS_LEASE_SECONDS": "3",
    }


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, **kwargs
    )


def _worker(env):
    return subprocess.Popen(
        [PYTHON, "manage.py", "worker", "--sweep", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


QUEUE = """
from django.core.mail import EmailMessage
from django.db import transaction
with transaction.atomic():
    for i in range({n}):
        EmailMessage(f"Message {{i}}", "Corps", None, [f"p{{i}}@example.org"]).send()
"""

STATE = """
from terreau.core.models import OutboxMessage
print(OutboxMessage.objects.filter(status="sent").count(), OutboxMessage.objects.count(),
      "|".join(OutboxMessage.objects.values_list("headers__Message-ID", flat=True)))
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(
    *,
    messages: int,
    database_url: str | None = None,
    port: int | None = None,
    timeout: float = 120,
    delay: float = 0.01,
    outage: float = 3,
):
    """Queue `messages`, kill the worker with SIGKILL mid-batch, stop the mail server for a few
    seconds (`outage`), restart both; return the figures once every message is sent (or at the
    timeout)."""
    port = port or free_port()
    workdir = tempfile.mkdtemp(prefix="terreau-faults-")
    database_url = database_url or f"sqlite:///{workdir}/db.sqlite3"
    env = _env(database_url, port)
    _manage(env, "migrate", "--no-input", "-v0")
    sink = Sink(port, delay=delay)
    sink.start()
    _manage(env, "shell", "-c", QUEUE.format(n=messages))
    started = time.monotonic()
    worker = _worker(env)
    while len(sink.received) < messages // 3 and time.monotonic() - started < timeout:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)  # mid-batch: some rows are claimed, not marked sent
    worker.wait()
    killed_at = len(sink.received)
    sink.stop()  # the mail server goes down…
    worker = _worker(env)  # …while a new worker starts and fails to connect
    time.sleep(outage)
    sink.start()  # …and comes back
    expected: list[str] = []
    while time.monotonic() - started < timeout:
        out = _manage(env, "shell", "-c", STATE).stdout.decode().strip().splitlines()[-1]
        sent, total, ids = out.split(" ", 2)
        if int(sent) == int(total):
            expected = ids.split("|")
            break
        time.sleep(0.5)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    sink.stop()
    received = sink.received
    unique = set(received)
    return {
        "queued": messages,
        "received_before_kill": killed_at,
        "delivered": len(unique & set(expected)),
        "lost": len(set(expected) - unique) if expected else messages - len(unique),
        "sent_twice": len(received) - len(unique),
        "seconds": round(time.monotonic() - started, 1),
    }


PDF_SETUP = """
import datetime as dt
from django.utils import timezone
from terreau.events.models import Event, EventDay, Registration
from terreau.events.services.onsite import event_document_request
start = timezone.now() + dt.timedelta(days=10)
for n in range({events}):
    event = Event.objects.create(slug=f"faute-{{n}}", title=f"Journée {{n}}", kind="regional_day",
        state="published", starts_at=start, ends_at=start + dt.timedelta(hours=8))
    day = EventDay.objects.create(event=event, date=start.date(), starts_at=dt.time(9),
        ends_at=dt.time(17))
    Registration.objects.bulk_create(Registration(event=event, first_name=f"Prénom{{i}}",
        last_name=f"Nom{{i}}", email=f"p{{n}}-{{i}}@exemple.org", status="confirmed",
        actor_category="citizen", consent=True, token=f"t{{n}}-{{i}}") for i in range({people}))
    event_document_request(event=event, kind="badges")
print("ok")
"""

PDF_STATE = """
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader
from terreau.events.models import EventDocument
docs = EventDocument.objects.all()
readable = 0
for doc in docs.filter(state="ready"):
    with doc.file.open("rb") as handle:
        readable += len(PdfReader(handle).pages) > 0
tasks = DBTaskResult.objects.filter(task_path__endswith="build_event_document")
print(docs.count(), docs.filter(state="ready").count(), docs.filter(state="failed").count(),
      readable, tasks.filter(status="RUNNING").count(), tasks.filter(status="READY").count(),
      tasks.filter(status="SUCCESSFUL").count())
"""


def run_pdf(*, events: int = 6, people: int = 150, timeout: float = 600):
    """Queue one badge sheet per event, kill the worker with SIGKILL while it draws the first,
    start a new one; return the figures once every document is drawn (or at the timeout)."""
    workdir = tempfile.mkdtemp(prefix="terreau-pdf-faults-")
    env = _env(f"sqlite:///{workdir}/db.sqlite3", free_port()) | {"TERREAU_DATA_DIR": workdir}
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "shell", "-c", PDF_SETUP.format(events=events, people=people))

    def state():
        out = _manage(env, "shell", "-c", PDF_STATE).stdout.decode().strip().splitlines()[-1]
        keys = ("documents", "ready", "failed", "readable", "running", "waiting", "succeeded")
        return dict(zip(keys, map(int, out.split()), strict=True))

    import sqlite3

    database = sqlite3.connect(f"{workdir}/db.sqlite3", timeout=30)

    def running() -> int:  # polled often: a direct read, not a Django shell
        return database.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        ).fetchone()[0]

    started = time.monotonic()
    worker = _worker(env)
    while time.monotonic() - started < timeout and not running():
        time.sleep(0.05)
    killed_running = {"running": running()}
    worker.send_signal(signal.SIGKILL)  # mid-drawing: a task stays RUNNING, its document pending
    worker.wait()
    worker = _worker(env)
    figures = state()
    while time.monotonic() - started < timeout:
        figures = state()
        if figures["ready"] + figures["failed"] == figures["documents"] and not figures["running"]:
            break
        time.sleep(1)
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    return {
        "documents requested": figures["documents"],
        "tasks running when the worker was killed": killed_running["running"],
        "drawn (a readable PDF)": figures["readable"],
        "failed": figures["failed"],
        "tasks left running": figures["running"],
        "tasks left waiting": figures["waiting"],
        "seconds": round(time.monotonic() - started, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database", default=None)
    parser.add_argument("--outage", type=float, default=3, help="seconds the mail server is down")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--pdf", action="store_true", help="the worker killed drawing PDFs")
    args = parser.parse_args()
    if args.pdf:
        print("PDF builds under faults (worker SIGKILL while drawing badges, SQLite):")
        for key, value in run_pdf().items():
            print(f"  {key}: {value}")
        return
    figures = run(
        messages=args.messages,
        database_url=args.database,
        outage=args.outage,
        timeout=args.timeout + args.outage,
    )
    print(f"outbox under faults (worker SIGKILL mid-batch, mail server down {args.outage:g} s):")
    for key, value in figures.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
