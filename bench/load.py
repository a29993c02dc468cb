"""Load on a running server (loopback only, bounded in count and time): a realistic mix — 70 %
browse and search, 20 % detail pages, 5 % registrations, 5 % staff pages — with req/s and
p50/p95/p99, beside the throughput of /sante/ on the same server (the framework's ceiling
here: one small query and one cache round trip).

    terreau load_demo && TERREAU_RATES="search=100000/m,registration=100000/m,mail-to=100000/h" \\
        gunicorn terreau.wsgi -w 4 -b 127.0.0.1:8000 &
    python bench/load.py --url http://127.0.0.1:8000 --requests 600 --seconds 60

Staff pages need BENCH_STAFF_EMAIL and BENCH_STAFF_PASSWORD (else that share is browsing).
Budget: the mix at ≥ 40 % of the ceiling's req/s, and no 5xx. Exits 1 when the budget fails.
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
BROWSE = [
    "/observatoire/",
    "/observatoire/?q=jeunes",
    "/observatoire/?q=budget+participatif",
    "/annuaire/",
    "/annuaire/?q=centre",
    "/annuaire/personnes/",
    "/evenements/",
    "/ressources/",
    "/ressources/?q=guide",
    "/territoires/communes/",
]
DETAIL_LINK = re.compile(
    r'href="(/(?:observatoire/initiatives|annuaire|evenements|ressources)/[a-z0-9-]+/)"'
)
REGISTER_LINK = re.compile(r'href="(/evenements/[a-z0-9-]+/inscription/)"')
SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*value="([^"]+)"')
REQUIRED_TEXT = re.compile(r'<input type="text" name="([^"]+)"[^>]*required')
RADIO = re.compile(r'<input type="radio"[^>]*name="([^"]+)" value="([^"]+)"')
STAFF = ["/evenements/gestion/", "/observatoire/moderation/", "/observatoire/contributions/"]


class Runner:
    def __init__(self, base: str):
        self.base = base
        self.lock = threading.Lock()
        self.timings: list[float] = []
        self.statuses: dict[int, int] = {}
        self.by_kind: dict[str, dict[int, int]] = {}
        self.kind_timings: dict[str, list[float]] = {}
        self.failures: dict[str, int] = {}
        self.details: list[str] = []

    def opener(self):
        jar = http.cookiejar.CookieJar()
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar

    def fetch(self, opener, path, data=None, record=True, kind="browse"):
        started = time.perf_counter()
        try:
            with opener.open(self.base + path, data=data, timeout=30) as response:
                body, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        elapsed = time.perf_counter() - started
        if record:
            with self.lock:
                self.timings.append(elapsed)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                counts = self.by_kind.setdefault(kind, {})
                counts[status] = counts.get(status, 0) + 1
                self.kind_timings.setdefault(kind, []).append(elapsed)
                if status >= 400:
                    self.failures[path] = self.failures.get(path, 0) + 1
        return status, body.decode("utf-8", "replace")

    def discover(self):
        opener, _jar = self.opener()
        for path in BROWSE:
            _status, body = self.fetch(opener, path, record=False)
            self.details += DETAIL_LINK.findall(body)
        self.details = sorted(set(self.details)) or ["/observatoire/"]
        self.registrations = []
        for path in self.details:
            if path.startswith("/evenements/"):
                _status, body = self.fetch(opener, path, record=False)
                self.registrations += REGISTER_LINK.findall(body)
        self.registrations = sorted(set(self.registrations))

    def register(self, opener):
        if not self.registrations:
            return self.fetch(opener, random.choice(BROWSE))
        path = random.choice(self.registrations)
        status, body = self.fetch(opener, path, kind="register")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            return status, body
        number = random.randrange(10**9)
        fields = dict.fromkeys(REQUIRED_TEXT.findall(body), "Banc d'essai")
        choices: dict[str, list[str]] = {}
        for name, options in SELECT.findall(body):
            choices[name] = OPTION.findall(options)
        for name, value in RADIO.findall(body):  # the workshop grid: one radio group per rank
            choices.setdefault(name, []).append(value)
        for name, values in choices.items():
            rank = re.fullmatch(r"round_\d+_(\d+)", name)  # 1st, 2nd, 3rd choice: distinct
            if values:
                fields[name] = values[(int(rank.group(1)) - 1) % len(values) if rank else 0]
        fields |= {
            "csrfmiddlewaretoken": token.group(1),
            "first_name": "Charge",
            "last_name": f"Test{number}",
            "email": f"charge{number}@example.org",
            "consent": "on",
        }
        data = urllib.parse.urlencode(fields).encode()
        return self.fetch(opener, path, data=data, kind="register")

    def staff_opener(self, staff):
        """A signed-in session for the staff pages (signed in before the clock starts: logging in
        is not part of the mix)."""
        if not staff:
            return None
        staff_opener, _staff_jar = self.opener()
        self.login(staff_opener, *staff)
        return staff_opener

    def worker(self, deadline, budget, staff_opener):
        # Visitors browse anonymously (the page cache may serve them); staff pages are fetched
        # on a signed-in session of their own.
        opener, _jar = self.opener()
        while time.time() < deadline:
            with self.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            draw = random.random()
            if draw < 0.70:
                self.fetch(opener, random.choice(BROWSE))
            elif draw < 0.90:
                self.fetch(opener, random.choice(self.details), kind="detail")
            elif draw < 0.95:
                self.register(self.opener()[0])  # a new visitor each time
            elif staff_opener:
                self.fetch(staff_opener, random.choice(STAFF), kind="staff")
            else:
                self.fetch(opener, random.choice(BROWSE))

    def login(self, opener, email, password):
        _status, body = self.fetch(opener, "/comptes/login/", record=False)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        data = {"login": email, "password": password}
        if token:
            data["csrfmiddlewaretoken"] = token.group(1)
        self.fetch(opener, "/comptes/login/", urllib.parse.urlencode(data).encode(), record=False)


def run(base, paths_or_mix, requests, seconds, threads, staff=None):
    runner = Runner(base)
    if paths_or_mix == "mix":
        runner.discover()
        staff_openers = [runner.staff_opener(staff) for _ in range(threads)]
    budget = [requests]
    deadline = time.time() + seconds
    started = time.perf_counter()
    if paths_or_mix == "mix":
        target = runner.worker
    else:

        def target():
            opener, _jar = runner.opener()
            while time.time() < deadline:
                with runner.lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                runner.fetch(opener, paths_or_mix)

    pool = [
        threading.Thread(
            target=target,
            args=(deadline, budget, staff_openers[index]) if paths_or_mix == "mix" else (),
        )
        for index in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    timings = sorted(runner.timings)

    def pct(p):
        return timings[min(len(timings) - 1, int(p * len(timings)))] * 1000 if timings else 0

    return {
        "requests": len(timings),
        "rps": len(timings) / elapsed if elapsed else 0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.mean(timings) * 1000 if timings else 0,
        "statuses": dict(sorted(runner.statuses.items())),
        "by_kind": runner.by_kind,
        "kind_timings": runner.kind_timings,
        "failures": runner.failures,
    }


def _all(result):
    return [value for values in result["kind_timings"].values() for value in values]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=4)
    options = parser.parse_args()
    host = urllib.parse.urlsplit(options.url).hostname
    if host not in LOOPBACK:
        sys.exit("bench/load.py drives loopback servers only (127.0.0.1, localhost, ::1).")
    staff = None
    if os.environ.get("BENCH_STAFF_EMAIL"):
        staff = (os.environ["BENCH_STAFF_EMAIL"], os.environ.get("BENCH_STAFF_PASSWORD", ""))
    ceiling = run(options.url, "/sante/", options.requests, options.seconds / 2, options.threads)
    mix = run(options.url, "mix", options.requests, options.seconds, options.threads, staff)
    for name, result in (("ceiling /sante/", ceiling), ("mix", mix)):
        print(
            f"{name:16} {result['requests']:5d} req  {result['rps']:7.1f} req/s  "
            f"p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
            f"p99 {result['p99']:6.1f} ms  {result['statuses']}"
        )
    print(f"mix by kind: {mix['by_kind']}")
    for kind, values in sorted(mix["kind_timings"].items()):
        values.sort()
        print(
            f"  {kind:8} {len(values):5d} answers  mean {statistics.mean(values) * 1000:6.1f} ms  "
            f"p95 {values[int(0.95 * (len(values) - 1))] * 1000:6.1f} ms  "
            f"time share {sum(values) / sum(_all(mix)):5.1%}"
        )
    if mix["failures"]:
        print(f"answers >= 400 by path: {mix['failures']}")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    errors = sum(count for status, count in mix["statuses"].items() if status >= 500)
    ratio = mix["rps"] / ceiling["rps"] if ceiling["rps"] else 0
    print(f"mix at {ratio:.0%} of the ceiling; server errors: {errors}")
    sys.exit(0 if errors == 0 and ratio >= 0.40 else 1)


if __name__ == "__main__":
    main()
