"""Workshop assignment: the optimal integer program next to the first-come baseline.

3 rounds × 8 workshops, 3 ranked choices per round drawn with first-choice popularity skewed from
25 % down to 6 %; actor categories correlated with the round-1 first choice (so that spreading them
has a price). Runs at 2,000 participants (250 seats per workshop) and 20,000 (2,500 seats), with
and without category spreading. Budgets: ≤ 2 s at 2,000 and ≤ 30 s at 20,000.

    python bench/assignment.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from terreau.events.assignment import (  # noqa: E402
    Participant,
    Round,
    Spreading,
    Workshop,
    assign_first_come,
    assign_optimal,
)

POPULARITY = [25, 18, 14, 12, 10, 8, 7, 6]  # % of first choices, most to least popular
CATEGORIES = {  # share of participants
    "elected": 15,
    "public_staff": 35,
    "association_staff": 20,
    "citizen": 20,
    "researcher": 10,
}
ROUNDS, WORKSHOPS, CHOICES = 3, 8, 3


def instance(size: int, seats: int, seed: int = 2026):
    rng = random.Random(seed)
    rounds = [
        Round(id=f"r{r}", workshops=tuple(Workshop(f"r{r}w{w}", seats) for w in range(WORKSHOPS)))
        for r in range(1, ROUNDS + 1)
    ]
    names = list(CATEGORIES)
    participants = []
    for number in range(size):
        choices = {}
        for round_ in rounds:
            # The round's popularity order is shuffled per round (a fixed permutation).
            order = list(range(WORKSHOPS))
            random.Random(round_.id).shuffle(order)
            pool = [round_.workshops[order[k]].id for k in range(WORKSHOPS)]
            weights = list(POPULARITY)
            ranked = []
            for _ in range(CHOICES):
                pick = rng.choices(range(len(pool)), weights=weights)[0]
                ranked.append(pool.pop(pick))
                weights.pop(pick)
            choices[round_.id] = tuple(ranked)
        # The category leans towards the round-1 first choice: workshop k attracts category k % 5.
        favourite = int(choices["r1"][0][-1]) % len(names)
        tilt = [CATEGORIES[n] * (3 if i == favourite else 1) for i, n in enumerate(names)]
        category = rng.choices(names, weights=tilt)[0]
        participants.append(Participant(id=number, category=category, choices=choices))
    return participants, rounds


def line(label, report, seconds, cpu):
    shares = report["overall"]["shares"]
    return (
        f"  {label:<22} {seconds:6.2f} s (CPU {cpu:5.2f} s)  objective {report['objective']:>6}"
        f"  1st {shares['1']:6.1%}  2nd {shares['2']:6.1%}  3rd {shares['3']:6.1%}"
        f"  unranked {shares['unranked']:6.1%}  unplaced {report['unplaced_count']:>3}"
        f"  no 1st in any round {report['no_first_choice_any_round']:>5}"
        f"  quota excess {report['quota_excess']:>5}  status {report['status']}"
    )


def run(size, seats, budget):
    participants, rounds = instance(size, seats)
    print(f"{size} participants, {ROUNDS} rounds × {WORKSHOPS} workshops of {seats} seats")
    for spreading in (None, Spreading()):
        suffix = " + spreading" if spreading else ""
        started, cpu = time.perf_counter(), time.process_time()
        first = assign_first_come(participants, rounds, spreading=spreading)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(line("first come" + suffix, first.report, seconds, cpu))
        started, cpu = time.perf_counter(), time.process_time()
        best = assign_optimal(participants, rounds, spreading=spreading)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(line("optimal" + suffix, best.report, seconds, cpu))
        solver = best.report["solver"]
        verdict = "within" if seconds <= budget else "OVER"  # wall-clock time
        print(
            f"    {solver['name']}: {solver['profiles']} profiles, {solver['variables']} "
            f"variables, {solver['constraints']} constraints; {verdict} the {budget} s budget"
        )


def lille_like(size: int, seed: int = 2014):
    """Rounds 2 and 3 repeat the same three exchange workshops (Lille 2014): the rounds are linked
    and solved together as an integer programme on paths."""
    rng = random.Random(seed)
    seats = size // 4 + 10
    round1 = Round("r1", tuple(Workshop(f"a{i}", size // 5 + 10) for i in range(5)))
    repeated = ["budget", "rh", "mobiliser"]
    round2 = Round(
        "r2",
        (Workshop("zoom1", seats), Workshop("zoom2", seats))
        + tuple(Workshop(f"b-{t}", seats, topic=t) for t in repeated),
    )
    round3 = Round(
        "r3",
        (Workshop("zoom3", seats),) + tuple(Workshop(f"c-{t}", seats, topic=t) for t in repeated),
    )
    rounds = [round1, round2, round3]
    participants = [
        Participant(
            id=number,
            category=rng.choice(list(CATEGORIES)),
            choices={r.id: tuple(rng.sample([w.id for w in r.workshops], 3)) for r in rounds},
        )
        for number in range(size)
    ]
    return participants, rounds


def run_lille_like(size):
    participants, rounds = lille_like(size)
    print(f"{size} participants, Lille-like programme (rounds 2 and 3 repeat three workshops)")
    for spreading in (None, Spreading()):
        suffix = " + spreading" if spreading else ""
        for label, method in (("first come", assign_first_come), ("optimal", assign_optimal)):
            started, cpu = time.perf_counter(), time.process_time()
            result = method(participants, rounds, spreading=spreading)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(line(label + suffix, result.report, seconds, cpu))


if __name__ == "__main__":
    print("Wall-clock and CPU seconds (CPU is what this process used: other load on the machine")
    print("inflates the wall clock, not the CPU time). Objective: rank costs 0/1/3, unranked 10,")
    print("plus 2 per person beyond a category's upper quota when spreading.")
    run(2_000, 250, 2)
    run(20_000, 2_500, 30)
    run_lille_like(300)
    run_lille_like(2_000)
