"""Past one machine, with real processes: two application servers (gunicorn) and two workers
on one PostgreSQL and one Redis; one application server killed with SIGKILL in the middle of
the registrations. Registrations, check-ins and e-mails stay exact (bench/cluster.py, which
prints the figures; PostgreSQL is not restarted here: other users of the server would see it).

Runs when the tests run on PostgreSQL (DATABASE_URL=postgres://…) and redis-server is
installed."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres") or not shutil.which("redis-server"),
    reason="needs PostgreSQL (DATABASE_URL) and redis-server",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_servers_and_two_workers_keep_registrations_check_ins_and_e_mails_exact():
    server = DATABASE_URL.rsplit("/", 1)[0]
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "cluster.py"),
            "--registrations",
            "30",
            "--capacity",
            "20",
            "--clients",
            "4",
            "--ports",
            f"{free_port()},{free_port()}",
            "--database",
            f"terreau_cluster_test_{os.getpid()}",
        ],
        env=os.environ | {"BENCH_POSTGRES_URL": server},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = result.stdout + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert "over capacity: 0" in result.stdout and "e-mails lost: 0" in result.stdout, report
    assert "session opened on one server valid on the other: True" in result.stdout, report
