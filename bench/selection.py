"""Selection under quotas: merit and leximin (terreau.calls.selection) next to sortition-algorithms.

Pools of 200, 1,000 and 2,000 with five categories; the pool over-represents some groups
(self-selection) and the quotas follow a different target population (its share × seats, −1/+2).
Reports merit time, leximin time (wall clock and CPU: the machine may be shared), smallest and
second-smallest probabilities and distinct panels, maximin likewise, and checks leximin against
maximin, and the same pool run with PyPI `sortition-algorithms` (`maximin`, `nash`, `legacy`) in
the same run, installed by this script in its own virtualenv under var/ (the project does not
depend on it); where it cannot be installed, its published figures are printed instead.
Budgets: merit ≤ 1 s at 2,000; leximin's smallest probability ≥ maximin's (within 1e-6) and its
second smallest ≥ maximin's; 2,000 × 200 seats ≤ 60 s.

    python bench/selection.py            # all sizes
    python bench/selection.py 200        # one size
    python bench/selection.py 2000 --ours  # Terreau's side only (published figures beside)
    python bench/selection.py 1000 --maximin-only  # sortition-algorithms' maximin only
"""

import importlib.util
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from terreau.calls.selection import Candidate, Quota, fair_lottery, select  # noqa: E402

POOL = {  # the pool's shares (who answered the invitation)
    "gender": (["female", "male", "other"], [0.55, 0.43, 0.02]),
    "age": (["18-29", "30-44", "45-59", "60+"], [0.10, 0.25, 0.30, 0.35]),
    "zone": (["east", "west", "north", "south", "centre"], [0.30, 0.20, 0.20, 0.15, 0.15]),
    "education": (["low", "mid", "high"], [0.15, 0.35, 0.50]),
    "kind": (["association", "public", "private", "citizen"], [0.40, 0.30, 0.10, 0.20]),
}
TARGET = {  # the population the panel should look like
    "gender": [0.49, 0.49, 0.02],
    "age": [0.20, 0.25, 0.27, 0.28],
    "zone": [0.25, 0.25, 0.20, 0.15, 0.15],
    "education": [0.30, 0.40, 0.30],
    "kind": [0.25, 0.25, 0.25, 0.25],
}
SIZES = [(200, 20), (1000, 100), (2000, 200)]
VENV = ROOT / "var" / "bench-sortition-venv"
REFERENCE_TIMEOUT = 1200  # seconds per sortition-algorithms method and pool
REFERENCE_METHODS = ("maximin", "nash", "legacy")
# sortition-algorithms' own published figures (its docs/benchmark_results.md, v0.10, January
# 2025: maximin, CBC through `mip` and HiGHS; seconds per run) and the paper's (Flanigan et al.
# 2021: leximin with Gurobi on its public 2,000-person instance), for when it is not installed.
PUBLISHED = [
    ("sortition-algorithms maximin (mip/CBC), 500 people × 75", 41.8),
    ("sortition-algorithms maximin (mip/CBC), 750 people × 112", 119.1),
    ("sortition-algorithms maximin (HiGHS), 750 people × 112", 261.1),
    ("Flanigan et al. 2021 leximin (Gurobi), 2,000-person instance", 1162.0),
]

REFERENCE = r"""
import json, sys, time
from sortition_algorithms.committee_generation import (
    find_distribution_maximin, find_distribution_nash, find_random_sample_legacy)
from sortition_algorithms.features import FeatureValueMinMax
from sortition_algorithms.people import People
data = json.load(sys.stdin)
features = {}
for q in data["quotas"]:
    features.setdefault(q[0], {})[q[1]] = FeatureValueMinMax(min=q[2], max=q[3])
people = People(list(features))
for person_id, values in data["pool"]:
    people.add(person_id, values, features, row_number=1)
out = {}
functions = {"maximin": find_distribution_maximin, "nash": find_distribution_nash}
for name, function in functions.items():
    if name != data["method"]:
        continue
    started = time.perf_counter()
    panels, probabilities, _report = function(features, people, data["seats"], [])
    marginals = {i: 0.0 for i in people}
    for panel, p in zip(panels, probabilities):
        for i in panel:
            marginals[i] += p
    ordered = sorted(marginals.values())
    out[name] = {"seconds": time.perf_counter() - started, "min": ordered[0],
                 "second": ordered[1], "panels": sum(1 for p in probabilities if p > 1e-9)}
if data["method"] == "legacy":
    started = time.perf_counter()
    try:
        find_random_sample_legacy(people, features, data["seats"], [], max_attempts=100)
        out["legacy"] = {"seconds": time.perf_counter() - started}
    except Exception as error:
        out["legacy"] = {"error": str(error)[:80]}
print(json.dumps(out))
"""


def instance(size, seats, seed=2026):
    rng = random.Random(seed)
    candidates = [
        Candidate(
            f"p{i:05d}",
            {f: rng.choices(values, weights)[0] for f, (values, weights) in POOL.items()},
            score=round(rng.uniform(0, 20), 2),
        )
        for i in range(size)
    ]
    quotas = []
    for feature, (values, _weights) in POOL.items():
        for value, share in zip(values, TARGET[feature], strict=True):
            expected = share * seats
            quotas.append(Quota(feature, value, max(0, int(expected) - 1), int(expected) + 2))
    return candidates, quotas


def reference_env():
    """An interpreter with sortition-algorithms: this one if it has it, else a virtualenv of the
    bench's own under var/ where it is installed (the project does not depend on it); None, and
    its published figures instead, when it cannot be installed (no network)."""
    if importlib.util.find_spec("sortition_algorithms") is not None:
        return sys.executable
    python = VENV / "bin" / "python"
    if python.exists():
        return str(python)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "sortition-algorithms"],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as error:
        print(
            f"sortition-algorithms could not be installed ({error}): compared with its"
            " published figures instead."
        )
        return None
    return str(python)


def reference(python, candidates, quotas, seats, methods=("maximin", "nash", "legacy")):
    """Each method in its own process and time limit (REFERENCE_TIMEOUT), so that a slow one
    does not hide the others' figures."""
    results = {}
    for method in methods:
        payload = {
            "quotas": [[q.feature, q.value, q.min, q.max] for q in quotas],
            "pool": [[c.id, c.features] for c in candidates],
            "seats": seats,
            "method": method,
        }
        try:
            done = subprocess.run(
                [python, "-c", REFERENCE],
                input=json.dumps(payload),
                capture_output=True,
                text=True,
                timeout=REFERENCE_TIMEOUT,
            )
            results.update(json.loads(done.stdout.strip().splitlines()[-1]))
        except subprocess.TimeoutExpired:
            results[method] = {"error": f"not finished in {REFERENCE_TIMEOUT} s"}
        except (ValueError, IndexError) as error:
            results[method] = {"error": str(error)[:120]}
    return results


def run(size, seats, python):
    candidates, quotas = instance(size, seats)
    print(f"\n{size} candidates, {seats} seats, {len(quotas)} quotas over {len(POOL)} categories")
    started = time.perf_counter()
    merit = select(candidates, quotas, seats, method="merit")
    merit_seconds = time.perf_counter() - started
    print(
        f"  merit      {merit_seconds:7.2f} s  total score {merit.total_score:.2f}"
        f"  [budget ≤ 1 s at 2,000: {'ok' if size < 2000 or merit_seconds <= 1 else 'OVER'}]"
    )
    results = {}
    for method in ("maximin", "leximin"):
        started, cpu = time.perf_counter(), time.process_time()
        lottery = fair_lottery(candidates, quotas, seats, method=method)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        ordered = sorted(lottery.marginals.values())
        results[method] = (seconds, cpu, ordered)
        print(
            f"  {method:<10} {seconds:7.2f} s (CPU {cpu:6.2f} s)  smallest {ordered[0]:.6f}"
            f"  second {ordered[1]:.6f}  panels {len(lottery.panels):>5}"
            f"  profiles {lottery.stats['profiles']}  levels {lottery.stats['levels']}"
            f"  columns {lottery.stats['compositions_generated']}  sum {sum(ordered):.9f}"
        )
        stats = lottery.stats
        print(
            f"             master solves {stats['master_solves']},"
            f" pricing {stats['pricing_solves']};"
            f" relaxation {stats.get('relaxation_seconds')} s CPU, levels"
            f" {stats.get('relaxation_levels')}, {stats.get('levels_at_target', 0)} reached,"
            f" {stats.get('relaxation_columns')} compositions,"
            f" weight left {stats.get('relaxation_residual')}"
        )
    leximin_seconds, leximin_cpu, leximin = results["leximin"]
    maximin = results["maximin"][2]
    first_ok = leximin[0] >= maximin[0] - 1e-6
    second_ok = leximin[1] >= maximin[1] - 1e-6
    print(
        f"  [leximin smallest ≥ maximin's − 1e-6: {'ok' if first_ok else 'NO'};"
        f" second smallest ≥ maximin's: {'ok' if second_ok else 'NO'}]"
    )
    if size == 2000:
        verdict = "ok" if leximin_seconds <= 60 else "OVER"
        cpu_verdict = "ok" if leximin_cpu <= 60 else "OVER"
        print(f"  [budget 2,000 × 200 ≤ 60 s: wall {verdict}, CPU {cpu_verdict}]")
    if python is None:
        for label, seconds in PUBLISHED:
            print(f"  published: {label}: {seconds:.1f} s")
        smaller = PUBLISHED[1][1]  # their fastest maximin on a pool smaller than 1,000
        if size >= 1000:
            print(
                f"  [leximin here ≤ their maximin on 750 people ({smaller:.1f} s):"
                f" wall {leximin_seconds:.1f} s {'ok' if leximin_seconds <= smaller else 'NO'},"
                f" CPU {leximin_cpu:.1f} s {'ok' if leximin_cpu <= smaller else 'NO'}]"
            )
        return
    ref = reference(python, candidates, quotas, seats, REFERENCE_METHODS)
    for name in REFERENCE_METHODS:
        figures = ref.get(name, {"error": "no result"})
        if "error" in figures:
            print(f"  sortition-algorithms {name}: {figures['error']}")
        elif name == "legacy":
            print(f"  sortition-algorithms legacy  {figures['seconds']:7.2f} s (one panel)")
        else:
            print(
                f"  sortition-algorithms {name:<7} {figures['seconds']:7.2f} s  smallest"
                f" {figures['min']:.6f}  second {figures['second']:.6f}"
                f"  panels {figures['panels']:>5}"
            )
    if "maximin" in ref and "min" in ref["maximin"]:
        ok = leximin[0] >= ref["maximin"]["min"] - 1e-6
        ok2 = leximin[1] >= ref["maximin"]["second"] - 1e-6
        faster = leximin_seconds <= ref["maximin"]["seconds"]
        print(
            f"  [leximin smallest ≥ their maximin's: {'ok' if ok else 'NO'}; second smallest"
            f" ≥: {'ok' if ok2 else 'NO'}; time ≤ their maximin's: {'ok' if faster else 'NO'}]"
        )


def main(argv):
    global REFERENCE_METHODS  # noqa: PLW0603 — a command-line switch
    ours = "--ours" in argv
    if "--maximin-only" in argv:
        REFERENCE_METHODS = ("maximin",)
    argv = [a for a in argv if not a.startswith("--")]
    sizes = [s for s in SIZES if not argv or str(s[0]) in argv]
    python = None if ours else reference_env()
    for size, seats in sizes:
        run(size, seats, python)


if __name__ == "__main__":
    main(sys.argv[1:])
