"""Daily facts: computed from the raw rows, stored for closed days (ADR 0010 §3).

`facts_for_day` is the one computation; `rollup_day` stores a closed day with it (delete then
insert in one transaction, so re-running after a correction is safe); the dashboards add
`facts_for_day(today)` to the stored days. What each count means is written down in
`_dossier_facts` and `_queue_facts`.
"""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from motcua.core.calendar import LOCAL_TZ, to_local
from motcua.dossiers.models import Dossier
from motcua.feedback.models import DossierAssessment, TicketRating
from motcua.queueing.models import Ticket

from . import _dossier_facts, _queue_facts
from .models import (
    AssessmentDayFact,
    DossierDayFact,
    DossierOfficerFact,
    DossierStockFact,
    RatingDayFact,
    RollupDay,
    TicketDayFact,
    TicketQueueFact,
    TicketStaffFact,
)

FACT_MODELS = (
    DossierDayFact, DossierStockFact, DossierOfficerFact, TicketDayFact, TicketQueueFact, TicketStaffFact,
    RatingDayFact, AssessmentDayFact,
)  # fmt: skip
# A claim older than this is taken to be from a worker that died.
STALE_CLAIM = timedelta(hours=1)


class FactRows:
    """One day's facts as plain dicts named like the fact models' columns (without `day`),
    each part computed when first read (a dashboard of dossiers never computes the tickets)."""

    def __init__(self, day: date, *, now: datetime | None = None) -> None:
        self.day = day
        self.start, self.end = day_bounds(day)
        self.moment = min(self.end, now or timezone.now())

    @cached_property
    def _dossier_parts(self) -> tuple[list, list, list]:
        flows = _dossier_facts.dossier_flows(self.start, self.end)
        return _dossier_facts.split_officers(flows, _dossier_facts.dossier_stock(self.moment))

    @property
    def dossiers(self) -> list[dict[str, Any]]:
        return self._dossier_parts[0]

    @property
    def stock(self) -> list[dict[str, Any]]:
        return self._dossier_parts[1]

    @property
    def officers(self) -> list[dict[str, Any]]:
        return self._dossier_parts[2]

    @cached_property
    def tickets(self) -> list[dict[str, Any]]:
        return _queue_facts.ticket_rows(self.day)

    @cached_property
    def ticket_queues(self) -> list[dict[str, Any]]:
        return _queue_facts.summed(self.tickets, _queue_facts.QUEUE_KEY)

    @cached_property
    def ticket_staff(self) -> list[dict[str, Any]]:
        return _queue_facts.summed(self.tickets, _queue_facts.STAFF_KEY)

    @cached_property
    def ratings(self) -> list[dict[str, Any]]:
        return _queue_facts.rating_rows(self.start, self.end)

    @cached_property
    def assessments(self) -> list[dict[str, Any]]:
        return _queue_facts.assessment_rows(self.start, self.end)

    def by_model(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        parts = (
            self.dossiers, self.stock, self.officers, self.tickets, self.ticket_queues, self.ticket_staff,
            self.ratings, self.assessments,
        )  # fmt: skip
        return list(zip(FACT_MODELS, parts, strict=True))


class SharedFactRows(FactRows):
    """The live facts of a day as of "now", shared through the cache by every dashboard and
    worker for `REPORTS_LIVE_CACHE_SECONDS` (default 60): a leader paging through the reports
    does not recompute today's raw rows on each page, and figures of today lag at most that long.
    Used only for the real clock (a caller that passes `now` wants that moment exactly)."""

    def _shared(self, part: str, compute: Any) -> Any:
        key = f"reports:live:{self.day.isoformat()}:{part}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, live_cache_seconds())
        return value

    @cached_property
    def _dossier_parts(self) -> tuple[list, list, list]:
        return self._shared("dossiers", lambda: FactRows._dossier_parts.func(self))  # type: ignore[attr-defined]

    @cached_property
    def tickets(self) -> list[dict[str, Any]]:
        return self._shared("tickets", lambda: FactRows.tickets.func(self))  # type: ignore[attr-defined]

    @cached_property
    def ratings(self) -> list[dict[str, Any]]:
        return self._shared("ratings", lambda: FactRows.ratings.func(self))  # type: ignore[attr-defined]

    @cached_property
    def assessments(self) -> list[dict[str, Any]]:
        return self._shared("assessments", lambda: FactRows.assessments.func(self))  # type: ignore[attr-defined]


def live_cache_seconds() -> int:
    return int(settings.MOTCUA.get("REPORTS_LIVE_CACHE_SECONDS", 60))


def live_facts(day: date, *, now: datetime | None = None) -> FactRows:
    """A day's facts for the dashboards: at `now` exactly when given, else shared for a minute."""
    if now is None and live_cache_seconds() > 0:
        return SharedFactRows(day)
    return FactRows(day, now=now)


def local_today(now: datetime | None = None) -> date:
    return to_local(now or timezone.now()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day [start, end) as aware datetimes."""
    start = datetime.combine(day, time(0), LOCAL_TZ)
    return start, datetime.combine(day + timedelta(days=1), time(0), LOCAL_TZ)


def facts_for_day(day: date, *, now: datetime | None = None) -> FactRows:
    """The day's facts from the raw rows; the in-progress snapshot is taken at the end of the
    day, or at `now` if the day has not ended yet (today's live figures)."""
    return FactRows(day, now=now)


def rollup_day(day: date, *, now: datetime | None = None) -> FactRows:
    """Store the day's facts: delete then insert in one transaction, under the day's row lock
    (two rollups of one day run one after the other, never interleaved)."""
    now = now or timezone.now()
    with transaction.atomic():
        RollupDay.objects.get_or_create(day=day)
        RollupDay.objects.select_for_update().get(day=day)
        rows = facts_for_day(day, now=now)
        for model, values in rows.by_model():
            model.objects.filter(day=day).delete()
            model.objects.bulk_create([model(day=day, **value) for value in values], batch_size=2000)
        RollupDay.objects.filter(day=day).update(rolled_at=now, claimed_at=None)
    return rows


def claim_day(day: date, *, now: datetime, again: bool) -> bool:
    """Take `day` for this worker by a conditional update (one winner among several workers).
    Without `again`, a day already rolled up is not taken."""
    RollupDay.objects.bulk_create([RollupDay(day=day)], ignore_conflicts=True)
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)
    if not again:
        free &= Q(rolled_at__isnull=True)
    return RollupDay.objects.filter(free, day=day).update(claimed_at=now) == 1


def first_day() -> date | None:
    """The earliest local day any raw row belongs to (where a first rollup starts)."""
    candidates = [
        Dossier.objects.aggregate(v=Min("submitted_at"))["v"],
        TicketRating.objects.aggregate(v=Min("at"))["v"],
        DossierAssessment.objects.aggregate(v=Min("at"))["v"],
    ]
    days = [to_local(v).date() for v in candidates if v is not None]
    ticket_day = Ticket.objects.aggregate(v=Min("business_date"))["v"]
    days += [ticket_day] if ticket_day else []
    return min(days) if days else None


def days_to_roll(*, start: date | None, end: date | None, now: datetime) -> list[date]:
    """Closed days from `start` (default: the first day with data) to `end` (default: yesterday)."""
    yesterday = local_today(now) - timedelta(days=1)
    start = start or first_day()
    end = min(end or yesterday, yesterday)
    if start is None or start > end:
        return []
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def rollup_days(days: list[date], *, again: bool, now: datetime | None = None) -> list[date]:
    """Roll up each day this worker manages to claim; returns the days it did."""
    done = []
    for day in days:
        claimed_at = now or timezone.now()
        if not claim_day(day, now=claimed_at, again=again):
            continue
        try:
            rollup_day(day, now=claimed_at)
        except BaseException:
            _release(day, claimed_at)
            raise
        done.append(day)
    return done


def _release(day: date, claimed_at: datetime, attempts: int = 50) -> None:
    """Let go of a claimed day after a failed rollup, so another worker can take it now rather
    than after STALE_CLAIM. The failure may be a busy database (SQLite), which the release can
    meet too: it tries again briefly before leaving the claim to go stale."""
    for attempt in range(attempts):
        try:
            RollupDay.objects.filter(day=day, claimed_at=claimed_at).update(claimed_at=None)
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time_module.sleep(0.05)
