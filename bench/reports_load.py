"""Benchmark: the leaders' dashboards over a year of a province (ADR 0010 §3).

    .venv/bin/python bench/reports_load.py                       # temp SQLite file, 1,000,000 + 1,000,000
    .venv/bin/python bench/reports_load.py --database-url postgres://postgres@127.0.0.1:5432/bench_reports
    … --dossiers 100000 --tickets 100000 [--fresh] [--runs 7]

The database must be dedicated and its name must contain "bench" (created on PostgreSQL when
missing); by default a SQLite file `motcua_reports_bench.sqlite3` in the temp directory. It
migrates, loads the demo organisation, catalog and floor plans (the approach and the `Writer`
of `bench/dossier_load.py`: COPY on PostgreSQL, executemany on SQLite, 20,000 rows a batch),
then writes, spread over the 365 days before today: `--dossiers` dossiers (≈60 % online; most
returned, some late, withdrawn, stopped, refused; the last weeks still open) with electronic or
paper results, fee lines for 40 % and assessments for 5 %, and `--tickets` tickets (waits and
service times drawn from exponentials, ≈5 % no-shows) with ratings for a third of those served.
A second run reuses the rows (`--fresh` starts over).

Then it rolls every closed day up (`reports_rollup` without options) and prints the rollup
time per day, the fact row counts, and for each dashboard × period (the year and the quarter
ending today, today live included) the median and p95 over `--runs` runs, province-wide scope.

Measured on the 2-core development machine while other work ran (28/11/2026): 1 M + 1 M rows
are written in ≈ 4.5 min on PostgreSQL (COPY) and ≈ 8 min on SQLite; the first rollup of the
year (365 days) took ≈ 1–4 s a day on PostgreSQL and ≈ 3–6 s a day on SQLite for the oldest days
(the in-progress snapshot of an old day reads every dossier resolved after it), so ≈ 10 min and
≈ 25 min; `--dossiers 100000 --tickets 100000` runs end to end in a few minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dossier_load as base  # noqa: E402 - the sibling bench: safety checks, setup, the bulk Writer

MARK = "bench-reports"
DAYS = 365
NAMES = base.NAMES


def _database(url: str | None) -> str:
    return url or f"sqlite:///{Path(tempfile.gettempdir()) / 'motcua_reports_bench.sqlite3'}"


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    base._check_target(url)
    base._setup_django()
    base._load_demo()
    from motcua.demo.queueing import load_demo_queueing

    load_demo_queueing()


def _existing() -> int:
    from motcua.dossiers.models import Dossier

    foreign = Dossier.objects.exclude(note=MARK).count()
    if foreign:
        base._refuse(f"the database holds {foreign} dossiers this bench did not write: not a bench database.")
    return Dossier.objects.count()


def _wipe() -> None:
    from django.db import connection

    from motcua.dossiers.models import DailySequence, Dossier
    from motcua.feedback.models import DossierAssessment, TicketRating
    from motcua.queueing.models import DailyNumber, Ticket, TicketEvent
    from motcua.reports.facts import FACT_MODELS
    from motcua.reports.models import RollupDay

    models = [*FACT_MODELS, RollupDay, DossierAssessment, TicketRating, TicketEvent, *base._dossier_tables(),
              Dossier, DailySequence, Ticket, DailyNumber]  # fmt: skip
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'DELETE FROM "{model._meta.db_table}"')  # noqa: S608 - model table names


# --- generation ------------------------------------------------------------------------------


class World:
    def __init__(self) -> None:
        from motcua.accounts.models import User
        from motcua.feedback.models import AssessmentScheme
        from motcua.queueing.models import Counter, Queue

        centers, versions, agencies, _officer = base._catalog()
        self.centers = centers
        self.versions = versions
        self.agencies = agencies
        self.officers = list(User.objects.values_list("pk", flat=True)[:12])
        self.queues = {c.pk: list(Queue.objects.filter(center=c)) for c in centers}
        self.counters = {c.pk: list(Counter.objects.filter(center=c).values_list("pk", flat=True)) for c in centers}
        self.centers = [c for c in centers if self.queues[c.pk] and self.counters[c.pk]] or centers
        self.scheme, _ = AssessmentScheme.objects.get_or_create(
            code="bench-reports", defaults={"title": "Bench", "valid_from": "2018-01-01", "definition": {}}
        )


def _status(rng: random.Random, age: int) -> int:
    if age > 30:
        return rng.choices([10, 9, 7, 8, 3], [88, 2, 2, 2, 3])[0]
    return rng.choices([2, 4, 5, 6, 9, 10, 1], [5, 45, 8, 5, 12, 20, 5])[0]


def _dossier(rng: random.Random, pk: int, world: World, now: datetime, age: int) -> dict[str, Any]:
    version = rng.choice(world.versions)
    accepted = base_day(now, age) + timedelta(minutes=rng.randrange(540))
    due = accepted + timedelta(days=rng.randrange(3, 16))
    done = accepted + timedelta(days=rng.randrange(1, 18), minutes=rng.randrange(600))
    status = _status(rng, age)
    if status in (9, 10, 7, 8) and done > now:
        status = 4
    returned = done + timedelta(days=1) if status == 10 and done + timedelta(days=1) <= now else None
    status = 9 if status == 10 and returned is None else status
    accepted_at = None if status in (1, 3) else accepted
    return {
        "id": pk, "procedure_id": version.procedure_id, "procedure_version_id": version.pk,
        "applicant_name": rng.choice(NAMES), "receiving_center_id": rng.choice(world.centers).pk,
        "competent_agency_id": world.agencies[version.snapshot["agency"]].pk,
        "channel": rng.choices(["online", "counter", "post"], [60, 35, 5])[0], "status": status, "note": MARK,
        "received_by_id": rng.choice(world.officers), "is_digitised": rng.random() < 0.8,
        "submitted_at": accepted, "accepted_at": accepted_at,
        "due_at": due if accepted_at else None, "original_due_at": due if accepted_at else None,
        "result_ready_at": done if status in (9, 10) else None, "returned_at": returned,
        "closed_at": returned or (done if status in (7, 8) else accepted if status == 3 else None), "version": 3,
    }  # fmt: skip


def base_day(now: datetime, age: int) -> datetime:
    from motcua.core.calendar import to_local

    return to_local(now).replace(hour=7, minute=0, second=0, microsecond=0) - timedelta(days=age)


def _extras(rng: random.Random, row: dict[str, Any], world: World, ids: dict[str, int]) -> dict[str, list]:
    extra: dict[str, list] = {"results": [], "fees": [], "assessments": [], "events": []}
    closing = {10: ("dossier.returned", 9), 7: ("dossier.withdrawn", 4), 8: ("dossier.stopped", 4)}
    if row["status"] in closing:  # the history row the services write; the facts read it
        ids["event"] += 1
        action, before = closing[row["status"]]
        extra["events"].append({"id": ids["event"], "dossier_id": row["id"], "action": action, "from_status": before,
                                "to_status": row["status"], "actor_kind": "system", "at": row["closed_at"],
                                "reason": "", "data": {}})  # fmt: skip
    if row["result_ready_at"]:
        extra["results"].append({"id": row["id"], "dossier_id": row["id"], "approved_at": row["result_ready_at"],
                                 "kind": rng.choices(["electronic", "paper", "both"], [70, 20, 10])[0]})  # fmt: skip
    if rng.random() < 0.4:
        ids["fee"] += 1
        paid = row["status"] in (9, 10)
        method = rng.choice(["online", "cash", "transfer"]) if paid else ""
        extra["fees"].append({"id": ids["fee"], "dossier_id": row["id"], "name": "Lệ phí", "amount": Decimal(50000),
                              "paid": paid, "method": method})  # fmt: skip
    if row["returned_at"] and rng.random() < 0.05:
        extra["assessments"].append({
            "id": row["id"], "dossier_id": row["id"], "scheme_id": world.scheme.pk, "scores": {}, "sources": {},
            "total": rng.randrange(12, 19), "grade": "tot", "answers": {}, "comment": "", "channel": "kiosk",
            "overall": rng.choices(["very_satisfied", "satisfied", "not_satisfied"], [60, 35, 5])[0],
            "center_id": row["receiving_center_id"], "agency_id": row["competent_agency_id"],
            "procedure_id": row["procedure_id"], "at": row["returned_at"] + timedelta(minutes=5),
        })  # fmt: skip
    return extra


def generate_dossiers(count: int, world: World, now: datetime, seed: int = 1) -> None:
    from django.db import transaction

    from motcua.dossiers.models import Dossier, DossierEvent, DossierFee, DossierResult
    from motcua.feedback.models import DossierAssessment

    rng, ids = random.Random(seed), {"fee": 0, "event": 0}
    writers = {"dossiers": base.Writer(Dossier), "results": base.Writer(DossierResult),
               "fees": base.Writer(DossierFee), "assessments": base.Writer(DossierAssessment),
               "events": base.Writer(DossierEvent)}  # fmt: skip
    for first in range(0, count, base.CHUNK):
        batch: dict[str, list] = {name: [] for name in writers}
        for i in range(first, min(count, first + base.CHUNK)):
            row = _dossier(rng, i + 1, world, now, 1 + i * DAYS // count)
            batch["dossiers"].append(row)
            for name, rows in _extras(rng, row, world, ids).items():
                batch[name] += rows
        with transaction.atomic():
            for name, writer in writers.items():
                writer.write(batch[name])
        print(f"\r  {min(count, first + base.CHUNK):,} dossiers", end="", flush=True)
    print()
    for writer in writers.values():
        writer.reset_sequence()


def _ticket(rng: random.Random, pk: int, world: World, now: datetime, age: int, numbers: dict) -> dict[str, Any]:
    center = rng.choice(world.centers)
    queue = rng.choice(world.queues[center.pk])
    issued = base_day(now, age) + timedelta(minutes=rng.randrange(600))
    day = issued.date()
    numbers[queue.pk, day] = numbers.get((queue.pk, day), 0) + 1
    status = rng.choices(["done", "no_show", "transferred", "cancelled"], [90, 5, 3, 2])[0]
    called = issued + timedelta(seconds=rng.expovariate(1 / 720)) if status != "cancelled" else None
    started = called + timedelta(seconds=rng.randrange(10, 90)) if status == "done" and called else None
    finished = started + timedelta(seconds=60 + rng.expovariate(1 / 480)) if started else None
    number = numbers[queue.pk, day]
    counter = rng.choice(world.counters[center.pk])
    return {
        "id": pk, "center_id": center.pk, "queue_id": queue.pk, "business_date": day, "number": number,
        "display_number": number, "code": f"{queue.prefix}{number:04d}", "channel": "kiosk", "status": status,
        "issued_at": issued, "queued_at": issued, "called_at": called, "started_at": started, "finished_at": finished,
        "counter_id": counter if called else None, "token": f"rb{pk:030d}",
        # the officer sits at the counter: one officer per counter and day, as on the floor
        "officer_id": world.officers[(counter + day.toordinal()) % len(world.officers)] if called else None,
    }  # fmt: skip


def _rating(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    return {"id": t["id"], "ticket_id": t["id"], "center_id": t["center_id"], "queue_id": t["queue_id"],
            "counter_id": t["counter_id"], "officer_id": t["officer_id"], "comment": "", "channel": "kiosk",
            "answer": rng.choices(["very_satisfied", "satisfied", "not_satisfied"], [55, 38, 7])[0],
            "at": t["finished_at"] + timedelta(seconds=30)}  # fmt: skip


def generate_tickets(count: int, world: World, now: datetime, seed: int = 2) -> None:
    from django.db import transaction

    from motcua.feedback.models import TicketRating
    from motcua.queueing.models import Ticket

    rng, numbers = random.Random(seed), {}
    tickets, ratings = base.Writer(Ticket), base.Writer(TicketRating)
    for first in range(0, count, base.CHUNK):
        rows = [_ticket(rng, i + 1, world, now, 1 + i * DAYS // count, numbers)
                for i in range(first, min(count, first + base.CHUNK))]  # fmt: skip
        rated = [_rating(rng, t) for t in rows if t["finished_at"] and rng.random() < 0.33]
        with transaction.atomic():
            tickets.write(rows)
            ratings.write(rated)
        print(f"\r  {min(count, first + base.CHUNK):,} tickets", end="", flush=True)
    print()
    tickets.reset_sequence()
    ratings.reset_sequence()


# --- rollup and measures ---------------------------------------------------------------------


def rollup() -> list[float]:
    """Every closed day not rolled up yet, one at a time; seconds per day."""
    from django.utils import timezone

    from motcua.reports.facts import days_to_roll, rollup_days

    seconds = []
    for day in days_to_roll(start=None, end=None, now=timezone.now()):
        before = time.perf_counter()
        if rollup_days([day], again=False):
            seconds.append(time.perf_counter() - before)
    return seconds


def _timed(runs: int, call: Callable[[], Any]) -> list[float]:
    call()  # warm-up
    values = []
    for _ in range(runs):
        before = time.perf_counter()
        call()
        values.append((time.perf_counter() - before) * 1000)
    return values


def dashboards() -> list[tuple[str, Callable[[Any, Any], Any]]]:
    from motcua.reports import figures as f

    def by(group: str) -> Callable[[Any, Any], Any]:
        return lambda period, scope: f.dossier_figures(period, scope=scope, group_by=group)

    def queue_page(group: str) -> Callable[[Any, Any], Any]:
        # What the queue page reads: the grouped rows with the arrivals; it adds the rows up.
        return lambda period, scope: f.queue_figures(period, scope=scope, group_by=group).total()

    return [
        ("dossiers total", lambda p, s: f.dossier_figures(p, scope=s)),
        *[(f"dossiers by {g}", by(g)) for g in ("center", "agency", "sector", "procedure", "officer")],
        ("trend on-time by month", lambda p, s: f.trend(p, "on_time_rate", scope=s, step="month")),
        *[(f"queue page by {g}", queue_page(g)) for g in ("queue", "counter", "officer")],
        ("766 indicators", lambda p, s: f.indicators_766(p, scope=s)),
    ]


def measure(runs: int) -> None:
    """Each dashboard × period: the first call after the shared live facts expired (today
    computed from the raw rows: what a leader gets once a minute) and the calls within the
    minute (today's facts shared, `REPORTS_LIVE_CACHE_SECONDS`)."""
    from django.core.cache import cache
    from django.db import connection
    from django.utils import timezone

    from motcua.reports._scope import EVERYTHING
    from motcua.reports.facts import local_today
    from motcua.reports.periods import Period

    today = local_today(timezone.now())
    periods = {"year": Period(today - timedelta(days=364), today), "quarter": Period(today - timedelta(days=90), today)}
    print(f"\n{connection.vendor}: dashboards, province-wide, today live; cold = today's facts recomputed "
          f"(once a minute), warm = {runs} runs within the minute")  # fmt: skip
    print(f"{'dashboard':<26} {'period':<8} {'cold ms':>9} {'warm median':>12} {'warm p95':>9}")
    print("-" * 68)
    for label, call in dashboards():
        for name, period in periods.items():
            cache.clear()
            cold = _timed(1, lambda c=call, p=period: c(p, EVERYTHING))[0]
            values = _timed(runs, lambda c=call, p=period: c(p, EVERYTHING))
            print(f"{label:<26} {name:<8} {cold:>9.1f} {statistics.median(values):>12.1f} "
                  f"{base._percentile(values, 0.95):>9.1f}")  # fmt: skip


def counts() -> None:
    from motcua.reports.facts import FACT_MODELS

    for model in FACT_MODELS:
        print(f"  {model.__name__:<20} {model.objects.count():>10,} rows")


def main(arguments: argparse.Namespace) -> None:
    url = _database(arguments.database_url)
    _setup(url)
    from django.db import connection
    from django.utils import timezone

    existing = _existing()
    if arguments.fresh and existing:
        _wipe()
        existing = 0
    if not existing:
        began, now = time.perf_counter(), timezone.now()
        world = World()
        generate_dossiers(arguments.dossiers, world, now)
        generate_tickets(arguments.tickets, world, now)
        base._analyze()
        print(f"generated in {time.perf_counter() - began:.0f} s")
    print(f"== {connection.vendor} ({url})")
    seconds = rollup()
    if seconds:
        print(f"rollup: {len(seconds)} days, median {statistics.median(seconds) * 1000:.0f} ms/day, "
              f"p95 {base._percentile(seconds, 0.95) * 1000:.0f} ms, total {sum(seconds):.0f} s")  # fmt: skip
        base._analyze()
    counts()
    measure(arguments.runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database whose name contains 'bench' (default: a temp SQLite file)")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="runs per dashboard and period (default 7)")
    parser.add_argument("--fresh", action="store_true", help="delete the bench's rows and generate again")
    main(parser.parse_args())
