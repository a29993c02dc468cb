"""Faults on real processes: the task worker killed with SIGKILL mid-batch, and the mail server
down then back. Prints how many e-mails were queued, delivered, lost and sent twice.

python bench/outbox_faults.py                 # SQLite, 300 messages
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
):
    """Queue `messages`, kill the worker with SIGKILL mid-batch, stop the mail server for a few
    seconds, restart both; return the figures once every message is sent (or at the timeout)."""
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
    time.sleep(3)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    figures = run(messages=args.messages, database_url=args.database)
    print("outbox under faults (worker SIGKILL mid-batch, mail server down 3 s):")
    for key, value in figures.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
