"""Dossier deadlines through the working calendar only (ADR 0008 §5, ADR 0006).

All arithmetic uses the receiving center's calendar (ADR 0008 §5: the choice for
location-independent dossiers is to confirm), and every comparison of days is made on
Asia/Ho_Chi_Minh dates, never on UTC ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from motcua.core.calendar import WorkingCalendar, calendar_for_center, to_local

from ..models import Dossier, DossierStep

Outcome = DossierStep.Outcome


def calendar_of(dossier: Dossier) -> WorkingCalendar:
    return calendar_for_center(dossier.receiving_center)


def step_due_at(dossier: Dossier, step: DossierStep, started_at: datetime) -> datetime | None:
    """When a step started at `started_at` must be handed over (its allowance from the snapshot)."""
    return calendar_of(dossier).due_at(started_at, value=Decimal(step.time_value or 0), unit=step.time_unit)


def supplement_deadline(dossier: Dossier, requested_at: datetime) -> datetime | None:
    """How long the citizen has to bring a supplement, from the frozen version (None = no limit)."""
    snap = dossier.snapshot
    value = snap.get("supplement_time_value")
    if value in (None, ""):
        return None
    return calendar_of(dossier).due_at(requested_at, value=Decimal(str(value)),
                                       unit=snap.get("supplement_time_unit") or "working_days")  # fmt: skip


def outcome(due_at: datetime | None, done_at: datetime) -> str:
    """Early / on time / late (§1.4, granularity "day"): early on an earlier day than the due date,
    on time on the due date by the due time, late after it. No due time is never late."""
    if due_at is None:
        return Outcome.ON_TIME
    if done_at > due_at:
        return Outcome.LATE
    if to_local(done_at).date() < to_local(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def paused_between(dossier: Dossier, since: datetime, now: datetime) -> timedelta:
    return calendar_of(dossier).working_time_between(since, now)


def shifted(calendar: WorkingCalendar, value: datetime | None, paused: timedelta) -> datetime | None:
    """`value` moved by `paused` working time. A zero pause leaves it alone: adding nothing to a
    due time at a session's close would otherwise snap it to the next morning."""
    if value is None or paused <= timedelta(0):
        return value
    return calendar.add_working_time(value, paused)


def resume_fields(dossier: Dossier, now: datetime) -> tuple[timedelta, dict[str, Any]]:
    """The clock restarts: the paused working time, and the dossier fields it moves (§5).

    Due and original due times move alike (a pause is not lateness); the deadline flags are
    cleared because the due time they were raised against no longer holds.
    """
    if dossier.paused_since is None:
        return timedelta(0), {}
    paused = paused_between(dossier, dossier.paused_since, now)
    calendar = calendar_of(dossier)
    return paused, {
        "due_at": shifted(calendar, dossier.due_at, paused),
        "original_due_at": shifted(calendar, dossier.original_due_at, paused),
        "paused_total": dossier.paused_total + paused,
        "paused_since": None,
        "at_risk_at": None,
        "overdue_at": None,
    }
