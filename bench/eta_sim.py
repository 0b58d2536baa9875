"""Simulated days at a center: how far off is the waiting-time estimate?

    .venv/bin/python bench/eta_sim.py [--days 30] [--seed 1] [--variants]

A day at a Can Tho-like center, simulated event by event in plain Python (no database):
Poisson arrivals whose rate peaks in the morning, log-normal service times per queue (each
queue's configured default is a rough guess, as in real life), counters that open late, take a
break and close for the afternoon, one counter shared by two queues, ~8 % priority tickets
called first (at most 3 in a row, like `ticket_call_next`), ~4 % no-shows. Each ticket gets the
estimate at the moment it is issued — from exactly what the database would hold then — and is
later compared with the wait it really had (issue → call). The table gives the mean absolute
error in minutes per hour of issue, for the naive "people ahead × default time", the first
the estimate the site prints (`motcua.queueing.eta.wait_minutes`). `--variants` adds the other
candidates that were tried (a mean instead of the median, a shared counter counted by its share,
the time until a desk frees up); none gained enough to replace the simple rule (bench/README.md).
"""

from __future__ import annotations

import argparse
import heapq
import math
import os
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MOTCUA_VAR_DIR", tempfile.mkdtemp(prefix="motcua-eta-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from motcua.queueing.eta import wait_minutes  # noqa: E402  (the arithmetic the site uses)

WINDOW = settings.MOTCUA["ETA_WINDOW_MINUTES"]
MIN_SAMPLE = settings.MOTCUA["ETA_MIN_SAMPLE"]
MAX_PRIORITY_IN_ROW = settings.MOTCUA["QUEUE_MAX_PRIORITY_IN_ROW"]
WALK_UP = 0.5  # minutes from the call to the desk: part of the wait, not of the service


def clock(hours: int, minutes: int = 0) -> float:
    return hours * 60.0 + minutes


@dataclass(frozen=True)
class QueueSpec:
    code: str
    share: float  # of all arrivals
    median: float  # real median service time, minutes
    sigma: float  # log-normal shape
    default: float  # the queue's configured default (a guess)


QUEUES = [
    QueueSpec("tu-phap", 0.42, 4.5, 0.55, 8),
    QueueSpec("cong-an", 0.28, 6.0, 0.50, 8),
    QueueSpec("dat-dai", 0.14, 12.0, 0.60, 15),
    QueueSpec("khac", 0.16, 8.0, 0.70, 8),
]
# counter number → queues served (with weights, as CounterQueue.weight)
COUNTERS: dict[int, dict[str, int]] = {
    1: {"tu-phap": 1}, 2: {"tu-phap": 1}, 3: {"tu-phap": 1},
    4: {"cong-an": 1}, 5: {"cong-an": 1}, 6: {"cong-an": 1},
    7: {"dat-dai": 1}, 8: {"dat-dai": 1}, 9: {"dat-dai": 1, "khac": 1},
    10: {"khac": 1},
}  # fmt: skip
# Arrivals per minute over the day: the morning rush, a quiet end of morning, a calmer afternoon.
RATE = [
    (clock(7), clock(7, 30), 0.9), (clock(7, 30), clock(9, 30), 1.4), (clock(9, 30), clock(10, 15), 0.9),
    (clock(13), clock(14, 30), 1.0), (clock(14, 30), clock(16, 15), 0.6),
]  # fmt: skip
SESSIONS = [(clock(7), clock(11, 30)), (clock(13), clock(17))]
BANDS = [7, 8, 9, 10, 13, 14, 15, 16]


@dataclass
class Ticket:
    id: int
    queue: str
    priority: bool
    issued: float
    queued: float
    no_show: bool
    service: float
    called: float | None = None
    started: float | None = None
    finished: float | None = None
    estimates: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Counter:
    number: int
    queues: dict[str, int]
    intervals: list[tuple[float, float]]  # when it is open (officer seated, not on a break)
    busy_until: float = 0.0
    streak: int = 0

    def open_at(self, t: float) -> bool:
        return any(start <= t < end for start, end in self.intervals)


@dataclass(frozen=True)
class Snapshot:
    """What the database knows when a ticket is issued: the inputs of every estimator."""

    ahead: int
    samples: list[float]
    default: float
    counters: int  # open counters serving the queue
    share: float  # open counters, a shared counter counted by its weight share for this queue
    busy: int  # open counters serving the queue with someone at the desk


# --- the day --------------------------------------------------------------------------------


def counter_intervals(rng: random.Random, number: int) -> list[tuple[float, float]]:
    """Officers come a little late, take a break, and some afternoons a counter stays closed."""
    late = rng.uniform(0, 20) if rng.random() < 0.4 else 0.0
    morning = [(clock(7) + late, clock(11, 30))]
    if rng.random() < 0.5:  # a 15–30 minute break somewhere in the morning
        start = rng.uniform(clock(8, 30), clock(10))
        morning = [(morning[0][0], start), (start + rng.uniform(15, 30), clock(11, 30))]
    afternoon = [] if rng.random() < 0.2 and number not in (1, 4, 7, 10) else [(clock(13) + rng.uniform(0, 10), clock(17))]
    return morning + afternoon


def arrivals(rng: random.Random) -> list[tuple[float, QueueSpec, bool]]:
    out: list[tuple[float, QueueSpec, bool]] = []
    weights = [q.share for q in QUEUES]
    for start, end, rate in RATE:
        t = start + rng.expovariate(rate)
        while t < end:
            out.append((t, rng.choices(QUEUES, weights)[0], rng.random() < 0.08))
            t += rng.expovariate(rate)
    return out


class Day:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.specs = {q.code: q for q in QUEUES}
        self.counters = [Counter(n, qs, counter_intervals(self.rng, n)) for n, qs in COUNTERS.items()]
        self.tickets: list[Ticket] = []
        self.waiting: dict[str, list[Ticket]] = {q.code: [] for q in QUEUES}
        self.events: list[tuple[float, int, str, int]] = []  # (time, seq, kind, index)
        self._seq = 0

    def push(self, t: float, kind: str, index: int) -> None:
        self._seq += 1
        heapq.heappush(self.events, (t, self._seq, kind, index))

    def run(self, estimators: dict[str, Callable[[Snapshot], float | None]]) -> list[Ticket]:
        for t, spec, priority in arrivals(self.rng):
            self.push(t, "arrive", len(self.tickets))
            self.tickets.append(self._new_ticket(len(self.tickets), t, spec, priority))
        for counter_index, counter in enumerate(self.counters):
            for start, _end in counter.intervals:
                self.push(start, "free", counter_index)
        while self.events:
            t, _seq, kind, index = heapq.heappop(self.events)
            if kind == "arrive":
                self._arrive(self.tickets[index], t, estimators)
            else:
                self._free(self.counters[index], t)
        return self.tickets

    def _new_ticket(self, i: int, t: float, spec: QueueSpec, priority: bool) -> Ticket:
        service = self.rng.lognormvariate(math.log(spec.median), spec.sigma)
        no_show = self.rng.random() < 0.04
        return Ticket(i, spec.code, priority, t, t, no_show, 1.0 if no_show else service)

    def _arrive(self, ticket: Ticket, t: float, estimators: dict[str, Callable[[Snapshot], float | None]]) -> None:
        snapshot = self.snapshot(ticket, t)
        ticket.estimates = {name: estimate(snapshot) for name, estimate in estimators.items()}
        self.waiting[ticket.queue].append(ticket)
        for counter in self.counters:  # an idle open counter calls at once
            if ticket.queue in counter.queues and counter.open_at(t) and counter.busy_until <= t:
                self._free(counter, t)
                break

    def _free(self, counter: Counter, t: float) -> None:
        if counter.busy_until > t + 1e-9 or not counter.open_at(t):
            return
        ticket = self._choose(counter, t)
        if ticket is None:
            return
        self.waiting[ticket.queue].remove(ticket)
        counter.streak = counter.streak + 1 if ticket.priority else 0
        ticket.called = t
        ticket.started = t + WALK_UP
        ticket.finished = ticket.started + ticket.service
        counter.busy_until = ticket.finished
        self.push(ticket.finished, "free", self.counters.index(counter))

    def _choose(self, counter: Counter, t: float) -> Ticket | None:
        """The rule of `ticket_call_next`: priority first (not too many in a row), then weighted wait."""
        heads = []
        for code, weight in counter.queues.items():
            line = self.waiting[code]
            pri = min((x for x in line if x.priority), key=lambda x: x.queued, default=None)
            norm = min((x for x in line if not x.priority), key=lambda x: x.queued, default=None)
            heads.append((pri, norm, weight))
        priority_heads = [(p, w) for p, _n, w in heads if p is not None]
        normal_heads = [(n, w) for _p, n, w in heads if n is not None]
        starving = counter.streak >= MAX_PRIORITY_IN_ROW and normal_heads
        pool = priority_heads if priority_heads and not starving else normal_heads
        if not pool:
            return None
        return max(pool, key=lambda h: ((t - h[0].queued) + 1.0 / 60) * h[1])[0]

    def snapshot(self, ticket: Ticket, t: float) -> Snapshot:
        line = self.waiting[ticket.queue]
        ahead = sum(1 for x in line if x.priority) if ticket.priority else len(line)
        done = [x for x in self.tickets if x.queue == ticket.queue and x.finished is not None and t - WINDOW <= x.finished <= t]
        samples = [x.service for x in done if not x.no_show]
        serving = [c for c in self.counters if ticket.queue in c.queues and c.open_at(t)]
        share = sum(c.queues[ticket.queue] / sum(c.queues.values()) for c in serving)
        busy = sum(1 for c in serving if c.busy_until > t)
        return Snapshot(ahead, samples, self.specs[ticket.queue].default, len(serving), share, busy)


# --- estimators -----------------------------------------------------------------------------


def naive(s: Snapshot) -> float | None:
    return s.ahead * s.default


def current(s: Snapshot) -> float | None:
    """What the site prints: `eta.wait_minutes` (people ahead × recent median ÷ open counters)."""
    minutes, _basis = wait_minutes(ahead=s.ahead, samples=s.samples, default=s.default, counters=s.counters)
    return minutes


def _typical(s: Snapshot, mean: bool) -> float:
    if len(s.samples) < MIN_SAMPLE:
        return s.default
    return statistics.fmean(s.samples) if mean else statistics.median(s.samples)


def median_shared(s: Snapshot) -> float | None:
    """A counter shared by two queues counts as half a counter for each (by weight)."""
    return None if s.share == 0 else s.ahead * _typical(s, False) / s.share


def mean_time(s: Snapshot) -> float | None:
    return None if s.counters == 0 else s.ahead * _typical(s, True) / s.counters


def mean_shared(s: Snapshot) -> float | None:
    return None if s.share == 0 else s.ahead * _typical(s, True) / s.share


def mean_shared_residual(s: Snapshot) -> float | None:
    """+ the time until a desk frees up when every counter is busy."""
    if s.share == 0:
        return None
    typical = _typical(s, True)
    residual = typical / 2 / max(s.counters, 1) if s.busy >= s.counters else 0.0
    return s.ahead * typical / s.share + residual


VARIANTS: dict[str, Callable[[Snapshot], float | None]] = {
    "median ÷ shared": median_shared,
    "mean ÷ counters": mean_time,
    "mean ÷ shared": mean_shared,
    "mean ÷ shared + residual": mean_shared_residual,
}


# --- report ---------------------------------------------------------------------------------


def band_of(ticket: Ticket) -> int:
    return int(ticket.issued // 60)


def table(tickets: list[Ticket], names: list[str]) -> list[str]:
    served = [x for x in tickets if x.called is not None]
    header = f"{'issued':<8}{'tickets':>8}{'real wait':>10}" + "".join(f"{name:>{max(len(name) + 2, 12)}}" for name in names)
    lines = [header, "-" * len(header)]
    for band in [*BANDS, None]:
        rows = [x for x in served if band is None or band_of(x) == band]
        if not rows:
            continue
        label = "all day" if band is None else f"{band:02d}–{band + 1:02d}h"
        real = statistics.fmean(x.called - x.issued for x in rows if x.called is not None)
        cells = []
        for name in names:
            errors = [abs(x.estimates[name] - (x.called - x.issued)) for x in rows  # type: ignore[operator]
                      if x.estimates[name] is not None and x.called is not None]  # fmt: skip
            cells.append(f"{statistics.fmean(errors):>{max(len(name) + 2, 12)}.1f}" if errors else f"{'—':>{max(len(name) + 2, 12)}}")
        lines.append(f"{label:<8}{len(rows):>8}{real:>10.1f}" + "".join(cells))
    unknown = sum(1 for x in served if x.estimates["current"] is None)
    lines.append(f"(minutes; mean absolute error of each estimate against the real wait; {unknown} tickets issued "
                 f"with no counter open got no estimate and are left out of those columns)")  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", action="store_true", help="also show the other candidates tried")
    args = parser.parse_args()
    estimators: dict[str, Callable[[Snapshot], float | None]] = {
        "naive": naive, "current": current,
    }  # fmt: skip
    if args.variants:
        estimators |= VARIANTS
    tickets = [t for day in range(args.days) for t in Day(args.seed * 1000 + day).run(estimators)]
    print(f"{args.days} simulated days, {len(tickets)} tickets, window {WINDOW} min, min sample {MIN_SAMPLE}")
    print("\n".join(table(tickets, list(estimators))))


if __name__ == "__main__":
    main()
