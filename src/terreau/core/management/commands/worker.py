"""`terreau worker`: the task worker (django-tasks-db's db_worker) with a maintenance loop that
delivers the outbox, takes back expired claims and re-queues tasks a killed worker left running."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from terreau.core.outbox import outbox_deliver_due, tasks_recover_stale

logger = logging.getLogger("terreau.outbox")


def maintenance_once() -> dict:
    """One pass: recover stale tasks, deliver what is due. Returns the figures."""
    recovered = tasks_recover_stale()
    counts = outbox_deliver_due()
    return {"tasks_recovered": recovered, **counts}


class Command(BaseCommand):
    help = "Run background tasks and deliver the e-mail outbox (retries, expired claims)."

    def add_arguments(self, parser):
        parser.add_argument("--sweep", type=float, default=15.0, help="seconds between sweeps")
        parser.add_argument("--once", action="store_true", help="one sweep, no task worker")
        parser.add_argument("--queue-name", default="*")

    def handle(self, *args, sweep, once, queue_name, **options):
        if once:
            self.stdout.write(str(maintenance_once()))
            return
        stop = threading.Event()

        def loop():
            while not stop.is_set():
                try:
                    close_old_connections()
                    figures = maintenance_once()
                    if any(figures.values()):
                        logger.info("outbox sweep %s", figures)
                except Exception:
                    logger.exception("outbox sweep failed")
                finally:
                    close_old_connections()
                stop.wait(sweep)

        thread = threading.Thread(target=loop, name="outbox-sweep", daemon=True)
        thread.start()
        try:
            call_command("db_worker", queue_name=queue_name, reload=False, verbosity=1)
        finally:
            stop.set()
