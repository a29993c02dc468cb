"""Past one machine: two application servers (gunicorn, sync workers) and two task workers
(`terreau worker`) on one PostgreSQL and one Redis (cache, sessions, rate limits), with faults
under load: one application server killed with SIGKILL (its whole process group) in the middle
of the registrations, then started again; optionally PostgreSQL restarted while the check-ins
run. Prints whether registrations, check-ins and e-mails stayed exact.

    python bench/cluster.py                                   # faults: the application server
    python bench/cluster.py --restart-postgres                # and one PostgreSQL restart

What is checked (exit status 1 when one fails):
- no more confirmed registrations than seats; no e-mail address registered twice (a client
  whose server died retries on the other, as nginx's next upstream would);
- every registration has its confirmation e-mail; every e-mail was delivered, none twice (one
  Message-ID received once), none sent for a registration that was not saved (nothing
  half-saved);
- every confirmed registrant tapped at the check-in on both servers at once is present once;
- a session opened on one server is valid on the other (sessions in Redis and the database);
- no 500 at all; while PostgreSQL restarts the servers answer 503 (Retry-After) and the first
  request after it is served.

Loopback only; bounded in requests and time. PostgreSQL from BENCH_POSTGRES_URL (default the
local server); a throwaway database `terreau_prod_cluster` (or --database NAME) is created and
dropped. The PostgreSQL restart uses `pg_ctlcluster --skip-systemctl-redirect 15 main restart`
(BENCH_PG_RESTART to override): other users of that server see it too.
"""

import argparse
import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from outbox_faults import Sink  # noqa: E402

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_RESTART = os.environ.get(
    "BENCH_PG_RESTART", "pg_ctlcluster --skip-systemctl-redirect 15 main restart"
)
STAFF_EMAIL, STAFF_PASSWORD = "accueil@exemple.org", "banc-d-essai-accueil-2026"

SETUP = """
import datetime as dt
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from terreau.events.models import Event, EventDay
today = timezone.localdate()
start = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
event = Event.objects.create(slug="banc-grappe", title="Journée régionale (grappe)",
    kind="regional_day", state="published", starts_at=start,
    ends_at=start + dt.timedelta(hours=8), capacity={capacity},
    registration_opens_at=timezone.now() - dt.timedelta(days=1),
    registration_closes_at=timezone.now() + dt.timedelta(days=1))
day = EventDay.objects.create(event=event, date=today, starts_at=dt.time(9), ends_at=dt.time(17))
user = get_user_model().objects.create_superuser("{email}", "{password}")
EmailAddress.objects.create(user=user, email="{email}", verified=True, primary=True)
print(day.pk)
"""

STATE = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from terreau.core.models import OutboxMessage
from terreau.events.models import AttendanceRecord, Registration
regs = Registration.objects.filter(event__slug="banc-grappe")
mail = OutboxMessage.objects.all()
print(json.dumps({
    "registrations": regs.count(),
    "confirmed": regs.filter(status="confirmed").count(),
    "waitlisted": regs.filter(status="waitlisted").count(),
    "emails": sorted(regs.values_list("email", flat=True)),
    "confirmed_pks": sorted(regs.filter(status="confirmed").values_list("pk", flat=True)),
    "twice": regs.values("email").annotate(n=Count("pk")).filter(n__gt=1).count(),
    "attendance": AttendanceRecord.objects.filter(registration__event__slug="banc-grappe").count(),
    "attendance_people": AttendanceRecord.objects.filter(registration__event__slug="banc-grappe")
        .values("registration").distinct().count(),
    "tasks_waiting": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
    "outbox": mail.count(),
    "outbox_sent": mail.filter(status="sent").count(),
    "outbox_failed": mail.filter(status="failed").count(),
    "outbox_ids": list(mail.values_list("headers__Message-ID", flat=True)),
    "outbox_to": [to for row in mail.values_list("to", flat=True) for to in row],
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingSink(Sink):
    """The outbox_faults sink, also keeping each message's recipients."""

    def __init__(self, port):
        super().__init__(port, delay=0.005)
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
        return await super().handle_DATA(server, session, envelope)


class Browser:
    """One person's browser: cookies, and a list of servers it may reach (as behind nginx: a
    request that finds its server dead is sent to the next one)."""

    def __init__(self, ports, stats):
        self.ports, self.stats, self.cookies = ports, stats, {}

    def request(self, method, path, body=None, prefer=0):
        order = [self.ports[(prefer + i) % len(self.ports)] for i in range(len(self.ports))]
        for attempt in range(20):
            port = order[attempt % len(order)]
            try:
                status, content = self._once(port, method, path, body)
            except OSError:  # refused or reset: the server is dead; next upstream
                self.stats.count("connection errors (retried on the other server)")
                time.sleep(0.05)
                continue
            self.stats.status(status)
            if status == 503:  # the database is restarting: retry after a moment
                time.sleep(0.5)
                continue
            return status, content
        return 0, b""

    def _once(self, port, method, path, body):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1{path}"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def csrf(self, content: bytes) -> str:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        return token.group(1).decode() if token else ""


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.events = Counter()
        self.timeline: list[tuple[float, int]] = []

    def status(self, status):
        with self.lock:
            self.statuses[status] += 1
            self.timeline.append((time.monotonic(), status))

    def count(self, name):
        with self.lock:
            self.events[name] += 1


class Cluster:
    def __init__(self, env, ports, workers):
        self.env, self.ports = env, ports
        self.servers: dict[int, subprocess.Popen] = {}
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.worker_restarts = 0
        self.stopping = threading.Event()
        self.supervisor = threading.Thread(target=self._supervise, daemon=True)

    def start_server(self, port):
        self.servers[port] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "terreau.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,  # its own process group, killed whole like a machine
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/sante/", headers={"Host": "127.0.0.1"})
                if connection.getresponse().status in (200, 503):
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn on {port} did not start")

    def kill_server(self, port):
        os.killpg(self.servers[port].pid, signal.SIGKILL)
        self.servers[port].wait()

    def _start_worker(self, index):
        self.workers[index] = subprocess.Popen(
            [sys.executable, "-m", "terreau", "worker", "--sweep", "0.5"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _supervise(self):
        """systemd's Restart=always for the workers (deploy/terreau-worker@.service)."""
        while not self.stopping.is_set():
            for index, worker in enumerate(self.workers):
                if worker is None or worker.poll() is not None:
                    if worker is not None:
                        self.worker_restarts += 1
                    self._start_worker(index)
            self.stopping.wait(1)

    def start(self):
        for port in self.ports:
            self.start_server(port)
        self.supervisor.start()

    def stop(self):
        self.stopping.set()
        self.supervisor.join(timeout=5)
        for worker in self.workers:
            if worker and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            if worker:
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        for server in self.servers.values():
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=20)


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "terreau", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"terreau {' '.join(args)} failed")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def state(env) -> dict:
    import json

    return json.loads(manage(env, "shell", "-c", STATE))


def register_all(ports, stats, count, clients, kill_at, on_kill):
    """`count` sign-ups by `clients` browsers, each form loaded from one server and sent to
    the other; `on_kill` runs once when `kill_at` sign-ups are done."""
    answers: dict[str, int] = {}
    lock = threading.Lock()
    next_index = [0]
    done = [0]
    fired = threading.Event()

    def run(client_index):
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= count:
                return
            browser = Browser(ports, stats)
            path = "/evenements/banc-grappe/inscription/"
            _status, content = browser.request("GET", path, prefer=index)
            form = {
                "csrfmiddlewaretoken": browser.csrf(content),
                "first_name": "Camille",
                "last_name": f"Grappe{index}",
                "email": f"grappe{index}@exemple.org",
                "consent": "on",
            }
            status, _content = browser.request("POST", path, form, prefer=index + 1)
            with lock:
                answers[form["email"]] = status
                done[0] += 1
                fire = done[0] >= kill_at and not fired.is_set()
                if fire:
                    fired.set()
            if fire:
                on_kill()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def staff_browser(ports, stats):
    """Log in on the first server; the session must be valid on the second."""
    browser = Browser(ports, stats)
    _status, content = browser.request("GET", "/comptes/login/")
    browser.request(
        "POST",
        "/comptes/login/",
        {
            "csrfmiddlewaretoken": browser.csrf(content),
            "login": STAFF_EMAIL,
            "password": STAFF_PASSWORD,
        },
    )
    other = Browser(list(reversed(ports)), stats)
    other.cookies = dict(browser.cookies)
    status, _content = other.request("GET", "/evenements/gestion/")
    return browser, status == 200


def check_in_all(ports, stats, pks, day_pk, during):
    """Two staff phones, one on each server, tap every confirmed registrant at the same time;
    `during` runs in parallel (the PostgreSQL restart)."""
    phones = [staff_browser(ports, stats)[0], staff_browser(list(reversed(ports)), stats)[0]]
    answers = Counter()
    lock = threading.Lock()

    def tap(phone, prefer):
        for pk in pks:
            status, _content = phone.request(
                "POST",
                f"/evenements/banc-grappe/accueil/{pk}/",
                {
                    "csrfmiddlewaretoken": phone.cookies.get("csrftoken", ""),
                    "action": "present",
                    "day": str(day_pk),
                    "half": "am",
                },
                prefer=prefer,
            )
            with lock:
                answers[status] += 1

    threads = [threading.Thread(target=tap, args=(phone, i)) for i, phone in enumerate(phones)]
    if during:
        threads.append(threading.Thread(target=during))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=120)
    parser.add_argument("--capacity", type=int, default=80)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--ports", default="8102,8112")
    parser.add_argument("--database", default="terreau_prod_cluster")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--timeout", type=float, default=240, help="for the e-mails to go")
    args = parser.parse_args()
    ports = [int(port) for port in args.ports.split(",")]
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {args.database}")
    workdir = Path(tempfile.mkdtemp(prefix="terreau-cluster-"))
    (workdir / "bench_settings.py").write_text(
        "from terreau.settings import *  # noqa\n"
        "STORAGES['staticfiles'] = "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"
        "WHITENOISE_USE_FINDERS = True\n"
    )
    redis_port, smtp_port = free_port(), free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    sink = RecordingSink(smtp_port)
    sink.start()
    env = os.environ | {
        "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "TERREAU_DATA_DIR": str(workdir),
        "DATABASE_URL": f"{PG_URL}/{args.database}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-cluster",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TERREAU_INSECURE_COOKIES": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "TERREAU_RATES": "registration=100000/m,mail-to=100000/h,registration-change=100000/m",
        "OUTBOX_LEASE_SECONDS": "20",
        "TASKS_LEASE_SECONDS": "20",
        "OUTBOX_RETRY_BASE_SECONDS": "0.5",
        "LOG_LEVEL": "ERROR",
    }
    stats = Stats()
    cluster = Cluster(env, ports, workers=2)
    figures: dict = {}
    checks: dict = {}
    try:
        manage(env, "migrate", "--no-input", "-v0")
        day_pk = int(
            manage(
                env,
                "shell",
                "-c",
                SETUP.format(capacity=args.capacity, email=STAFF_EMAIL, password=STAFF_PASSWORD),
            )
        )
        started = time.monotonic()
        cluster.start()
        _staff, shared = staff_browser(ports, stats)
        figures["session opened on one server valid on the other"] = shared
        killed = {}

        def kill_and_restart():
            killed["at"] = time.monotonic()
            cluster.kill_server(ports[1])
            threading.Timer(3, lambda: cluster.start_server(ports[1])).start()

        answers = register_all(
            ports,
            stats,
            args.registrations,
            args.clients,
            args.registrations // 3,
            kill_and_restart,
        )
        time.sleep(4)  # the killed server is back
        before = state(env)
        restart = {}

        def restart_postgres():
            time.sleep(1)
            restart["start"] = time.monotonic()
            subprocess.run(shlex.split(PG_RESTART), check=True, capture_output=True)
            restart["end"] = time.monotonic()

        taps = check_in_all(
            ports,
            stats,
            before["confirmed_pks"],
            day_pk,
            restart_postgres if args.restart_postgres else None,
        )
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            after = state(env)
            done = after["outbox_sent"] + after["outbox_failed"] == after["outbox"]
            if after["outbox"] and done and not after["tasks_waiting"]:
                break
            time.sleep(1)
        elapsed = time.monotonic() - started
        received = sink.received
        expected_ids = set(after["outbox_ids"])
        saved = set(after["emails"])
        mailed = Counter(after["outbox_to"])
        checks |= {
            "present": after["attendance_people"],
            "confirmed": after["confirmed"],
            "records": after["attendance"],
        }
        figures |= {
            "sign-ups sent": args.registrations,
            "answered 2xx/3xx": sum(1 for s in answers.values() if 200 <= s < 400),
            "registrations saved": after["registrations"],
            "confirmed (seats)": f"{after['confirmed']} ({args.capacity})",
            "waitlisted": after["waitlisted"],
            "over capacity": max(0, after["confirmed"] - args.capacity),
            "an address registered twice": after["twice"],
            "sign-ups answered 2xx/3xx but not saved": sum(
                1 for email, s in answers.items() if 200 <= s < 400 and email not in saved
            ),
            "registrations without their e-mail": sum(1 for e in saved if not mailed[e]),
            "e-mails for a sign-up not saved": sum(
                count
                for email, count in mailed.items()
                if email not in saved and email != STAFF_EMAIL
            ),
            "e-mails queued": after["outbox"],
            "e-mails delivered (unique Message-ID)": len(set(received) & expected_ids),
            "e-mails lost": len(expected_ids - set(received)),
            "e-mails sent twice": len(received) - len(set(received)),
            "e-mails failed for good": after["outbox_failed"],
            "tasks still waiting": after["tasks_waiting"],
            "check-in taps (two phones, two servers)": sum(taps.values()),
            "check-in answers": dict(taps),
            "present (confirmed)": f"{after['attendance_people']} ({after['confirmed']})",
            "attendance records (must equal present)": after["attendance"],
            "application server killed (SIGKILL, process group)": "yes" if killed else "no",
            "task workers restarted by the supervisor": cluster.worker_restarts,
            "answers by status": dict(sorted(stats.statuses.items())),
            "connection errors retried": stats.events[
                "connection errors (retried on the other server)"
            ],
            "seconds": round(elapsed, 1),
        }
        if restart:
            window = [
                s for t, s in stats.timeline if restart["start"] - 1 <= t <= restart["end"] + 10
            ]
            later = [s for t, s in stats.timeline if t > restart["end"] + 10]
            figures["PostgreSQL restart (s)"] = round(restart["end"] - restart["start"], 1)
            figures["answers within 10 s of the restart"] = dict(Counter(window))
            figures["5xx later than 10 s after it"] = sum(1 for s in later if s >= 500)
    finally:
        cluster.stop()
        sink.stop()
        redis.terminate()
        redis.wait(timeout=10)
        try:
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        except psycopg.Error:
            pass
    load = os.getloadavg()
    print(
        "Two gunicorn servers (2 sync workers each) and two `terreau worker` on one PostgreSQL "
        f"and one Redis; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
        f"{os.cpu_count()} CPUs (a shared machine)."
    )
    for name, value in figures.items():
        print(f"  {name}: {value}")
    zero = [
        "over capacity",
        "an address registered twice",
        "sign-ups answered 2xx/3xx but not saved",
        "registrations without their e-mail",
        "e-mails for a sign-up not saved",
        "e-mails lost",
        "e-mails sent twice",
        "tasks still waiting",
    ]
    exact = (
        bool(figures.get("session opened on one server valid on the other"))
        and all(figures.get(name) == 0 for name in zero)
        and checks.get("present") == checks.get("confirmed") == checks.get("records")
        and not any(status >= 500 and status != 503 for status in stats.statuses)
        and figures.get("5xx later than 10 s after it", 0) == 0
    )
    print("exact" if exact else "NOT EXACT")
    sys.exit(0 if exact else 1)


if __name__ == "__main__":
    main()
