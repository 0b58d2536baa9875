"""A generated history for the demo: months of tickets, dossiers and ratings, so the leaders'
dashboards mean something on the first run (issue 6, ADR 0010 §7).

This is the one place rows are written without the services: through them, six months of a
province would take many minutes, so the rows are built in memory and bulk-inserted. Every
invariant the services keep is kept by hand, and the tests compare the result with their rules:

- tickets: numbered 1, 2, 3… per center, queue and business date in issue order (the
  `DailyNumber` rows are set to the last number, after any number already taken that day),
  codes as `shown_code` makes them, only on working days and in reception hours, status times
  in order, one `TicketEvent` per move with the actions `queueing.ticket.issued / called /
  serving / done / no_show / transferred / cancelled` and the same `data`; a transfer ends the
  ticket `transferred` and issues a new one in the other queue keeping the old `queued_at`;
  counters signed in and out (`CounterEvent`) around each session they worked;
- dossiers: codes in the configured format, gap-free per series and day after the numbers the
  services already gave (the `DailySequence` rows are advanced), due times from the frozen
  version through the center's working calendar, steps timed and classed like `_steps`,
  supplements that pause the clock and move due times by the paused working time, apologies
  that move `due_at` but never `original_due_at`, one `DossierEvent` per transition with the
  services' action names; the story is cut at `now`, so recent dossiers are still open;
- ratings and assessments as the feedback services would record them (derived indicator
  scores from the dossier's own history, grade from the scheme's bands).

Loading is deterministic (seeded) and happens once: an `AuditLog` row marks a loaded history.
Ticket tokens alone are random: they are secrets, not data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.core.calendar import calendar_for_center, to_local
from motcua.core.models import AuditLog, Center
from motcua.reports.facts import rollup_days

from . import history_dossiers, history_tickets
from .history_shape import working_days

MARK = "demo.history.loaded"
SEED = 2026
HISTORY_CENTERS = ("cantho", "ninhkieu", "cairang")
CHUNK_DAYS = 10  # days written per batch: bounds the rows held in memory


@dataclass
class Summary:
    days: int = 0
    tickets: int = 0
    ticket_events: int = 0
    ratings: int = 0
    dossiers: int = 0
    dossier_events: int = 0
    assessments: int = 0
    rolled_up: int = 0
    write_seconds: float = 0.0
    rollup_seconds: float = 0.0
    by_status: dict[int, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.days} ngày làm việc, {self.tickets} số thứ tự ({self.ratings} đánh giá), "
            f"{self.dossiers} hồ sơ ({self.assessments} đánh giá), tổng hợp {self.rolled_up} ngày; "
            f"ghi {self.write_seconds:.0f} giây, tổng hợp {self.rollup_seconds:.0f} giây"
        )


def history_loaded() -> bool:
    return AuditLog.objects.filter(action=MARK).exists()


def window(*, months: int, now: datetime) -> tuple[date, date]:
    """From the same day `months` months before yesterday, to yesterday (local dates)."""
    yesterday = to_local(now).date() - timedelta(days=1)
    month_index = yesterday.year * 12 + yesterday.month - 1 - months
    year, month = divmod(month_index, 12)
    first = date(year, month + 1, 1)
    return first + timedelta(days=min(yesterday.day, 28) - 1), yesterday


def load_history(
    *, months: int = 6, now: datetime | None = None, start: date | None = None,
    centers: Sequence[str] = HISTORY_CENTERS, seed: int = SEED,
) -> Summary | None:  # fmt: skip
    """Generate the history once (None when it is already there), then roll its days up."""
    now = now or timezone.now()
    if history_loaded():
        return None
    first, last = window(months=months, now=now)
    first = start or first
    summary = Summary()
    began = time.perf_counter()
    with transaction.atomic():
        for center in Center.objects.filter(code__in=centers).order_by("ordering", "code"):
            _load_center(center, first, last, now, random.Random(f"{seed}:{center.code}"), summary)
        AuditLog.objects.create(at=now, action=MARK, data={"from": first.isoformat(), "to": last.isoformat(),
                                                          "seed": seed, "centers": list(centers)})  # fmt: skip
    summary.write_seconds = time.perf_counter() - began
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    began = time.perf_counter()
    summary.rolled_up = len(rollup_days(days, again=True, now=now))
    summary.rollup_seconds = time.perf_counter() - began
    return summary


def _load_center(center: Center, first: date, last: date, now: datetime, rng: random.Random, summary: Summary) -> None:
    calendar = calendar_for_center(center)
    days = list(working_days(calendar, first, last))
    floor = history_tickets.Floor.of(center)
    desk = history_dossiers.Desk.of(center, calendar)
    for begin in range(0, len(days), CHUNK_DAYS):
        chunk = days[begin : begin + CHUNK_DAYS]
        history_tickets.write_days(floor, calendar, chunk, rng, summary)
        history_dossiers.write_days(desk, chunk, now, rng, summary)
    summary.days += len(days)



__all__ = ["MARK", "Summary", "history_loaded", "load_history", "window"]
