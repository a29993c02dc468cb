"""The newsletter: an issue queued for N subscribers (default 20,000: every Delivery row and
its outbox message, in batches) and sent by one worker loop to a local SMTP sink (aiosmtpd,
started here). Throwaway database (SQLite in memory, or the test database of DATABASE_URL).

    python bench/newsletter.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terreau_library python bench/newsletter.py
"""

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terreau.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

N = int(os.environ.get("N", "20000"))
SEND = int(os.environ.get("SEND", "3000"))  # messages sent to the sink for the rate


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


def main():
    from django.urls import reverse

    from terreau.core.models import OutboxMessage, OutboxStatus
    from terreau.core.outbox import outbox_deliver_due
    from terreau.library.models import Issue, IssueItem, Subscriber
    from terreau.library.services.newsletter import issue_queue, issue_send

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    Subscriber.objects.bulk_create(
        (Subscriber(email=f"abonne{n}@example.org", state="confirmed") for n in range(N)),
        batch_size=5000,
    )
    issue = Issue.objects.create(subject="La lettre du réseau", introduction="Bonjour **à tous**.")
    IssueItem.objects.bulk_create(
        IssueItem(
            issue=issue,
            kind=kind,
            title=f"Élément {n}",
            summary="Un résumé de deux lignes. " * 4,
            url=f"https://terreau.example/{n}/",
            position=n,
        )
        for n, kind in enumerate(["news", "news", "event", "event", "resource", "call"])
    )
    issue_send(issue=issue)
    reverse("library:resource_list")  # the URL resolver's one-time import, not the queue's
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    issue_queue(issue_id=issue.pk)
    queued, queued_cpu = time.perf_counter() - start, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = OutboxMessage.objects.count()
    print(
        f"{connection.vendor}: {N} subscribers queued in {queued:.1f} s wall, {queued_cpu:.1f} s "
        f"of the process's CPU ({rows / queued:.0f} deliveries + outbox messages a second of "
        f"wall, {rows / queued_cpu:.0f} a second of CPU; peak resident memory "
        f"{rss / 1024:.0f} MiB, +{(rss - rss_before) / 1024:.0f} MiB while queueing); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The sink in its own process: its CPU is not the worker's, nor its GIL.
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)], stdout=subprocess.PIPE, text=True
    )
    assert sink.stdout.readline().strip() == "ready"
    settings.MAILERS = {
        **settings.MAILERS,
        "delivery": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        },
    }
    try:
        start, cpu = time.perf_counter(), time.process_time()
        sent = 0
        while sent < SEND:
            sent += outbox_deliver_due(limit=500)["sent"]
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        sink.terminate()
        received = sink.communicate()[0].strip()
    done = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
    print(
        f"one worker loop sent {done} messages to the SMTP sink in {elapsed:.1f} s wall, "
        f"{elapsed_cpu:.1f} s of CPU: {done / elapsed:.0f} messages a second of wall, "
        f"{done / elapsed_cpu:.0f} a second of the worker's CPU (sink received {received}); "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def serve_sink(port: int) -> None:
    import signal

    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *args: (controller.stop(), print(sink.count), sys.exit(0)))
    print("ready", flush=True)
    signal.pause()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sink"]:
        serve_sink(int(sys.argv[2]))
    else:
        main()
