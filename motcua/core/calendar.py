"""The working calendar: which days are worked, when reception is open, and when a deadline falls.

Rules (DOMAIN.md §1.4, §7, rules 4–6 and 18):

* A working day is Monday–Friday, minus `CalendarDay` rows of kind holiday/day_off, plus rows of
  kind workday (make-up Saturdays). A center's own row for a date wins over the province row.
* Deadlines are counted in the center's *working* sessions (default 07:00–11:30, 13:30–17:00,
  8 hours a day); *reception* sessions (07:00–10:30, 13:00–16:30 in Can Tho) only decide whether
  the kiosk and counters take people in. The two are configured separately on purpose.
* All arithmetic happens in Asia/Ho_Chi_Minh — deadlines are Vietnamese office time whatever
  the server's TIME_ZONE. Inputs must be aware datetimes; every datetime returned is aware and
  in Asia/Ho_Chi_Minh (compare or store it as is: Django converts it to UTC on save).

Caching: the API and the kiosk compute due dates on every request, so a center's exceptions
are loaded in one query and kept in-process. A cached copy is only ever *stored* when it was
read outside a transaction (autocommit), so it can only hold committed rows — never rows that a
transaction (or a test, which runs inside one) later rolls back. Saves and deletes of
CalendarDay/Center rows bump a version both immediately and again on commit, so this process
never serves a stale copy after its own writes; writes that bypass signals (`update()`,
`bulk_create`) must call `calendar_changed()`. Other processes cannot signal us, so copies also
expire after settings.MOTCUA["CALENDAR_CACHE_SECONDS"] (default 60 s): an admin's edit reaches
every worker within a minute.
"""

from __future__ import annotations

import threading
import time as monotonic_clock
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save

from .choices import TimeUnit
from .models import CalendarDay, Center
from .sessions import Session, parse_clock, sessions_from_json

if TYPE_CHECKING:
    from motcua.catalog.models import Procedure

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# A calendar with no working day for ten years is misconfigured; stop instead of looping forever.
_MAX_SCAN_DAYS = 3660
_OFF_KINDS = frozenset({CalendarDay.Kind.HOLIDAY.value, CalendarDay.Kind.DAY_OFF.value})
_WORKDAY = CalendarDay.Kind.WORKDAY.value


class CalendarError(ValueError):
    """The calendar cannot answer (misconfiguration or a bad argument)."""


@dataclass(frozen=True)
class CalendarEntry:
    date: date
    name: str
    kind: str  # "holiday" | "day_off" | "workday"
    scope: str  # "province" | "center"

    @property
    def is_working(self) -> bool:
        return self.kind == _WORKDAY


class WorkingCalendar:
    """One center's calendar (or the province's, for `center=None`). Cheap to build, immutable."""

    def __init__(
        self, *, entries: dict[date, CalendarEntry], working: list[Session], reception: list[Session]
    ) -> None:
        self._entries = entries
        self._working = working
        self._reception = reception
        self._hours_per_day = Decimal(str(settings.MOTCUA["WORKING_HOURS_PER_DAY"]))

    # --- days -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        entry = self._entries.get(day)
        if entry is not None:
            return entry.is_working
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.working_day_on_or_after(day + timedelta(days=1))

    def working_day_on_or_after(self, day: date) -> date:
        for offset in range(_MAX_SCAN_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day within {_MAX_SCAN_DAYS} days after {day}")

    def days_off(self, year: int) -> list[CalendarEntry]:
        """Holidays and extra days off in `year` (ordinary weekends are not listed), by date."""
        return [e for e in self._entries_in(year) if e.kind in _OFF_KINDS]

    def make_up_days(self, year: int) -> list[CalendarEntry]:
        """Working days that would otherwise be off: make-up Saturdays/Sundays and the like."""
        return [e for e in self._entries_in(year) if e.is_working and e.date.weekday() >= 5]

    def _entries_in(self, year: int) -> list[CalendarEntry]:
        return sorted((e for d, e in self._entries.items() if d.year == year), key=lambda e: e.date)

    # --- sessions -------------------------------------------------------------------------

    def is_reception_open(self, at: datetime) -> bool:
        """Whether dossiers are received at `at` (a reception session on a working day)."""
        local = to_local(at)
        if not self.is_working_day(local.date()):
            return False
        clock = local.time()
        return any(start <= clock < end for start, end in self._reception)

    def next_session_start(self, at: datetime) -> datetime:
        """`at` itself if it falls inside a working session, else the next session's start."""
        return next(self._intervals(to_local(at)))[0]

    def end_of_working_day(self, day: date) -> datetime:
        """The close of the last working session of `day` (whether or not `day` is worked)."""
        return _combine(day, self._working[-1][1])

    def _intervals(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working-session spans from `start` on (the first one clipped to `start`)."""
        day = start.date()
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                for begin, end in self._working:
                    span_end = _combine(day, end)
                    if span_end > start:
                        yield max(_combine(day, begin), start), span_end
            day += timedelta(days=1)
        raise CalendarError(f"no working session within {_MAX_SCAN_DAYS} days after {start}")

    # --- working time ---------------------------------------------------------------------

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """Advance `start` by `duration` of working time (snapping to a session first).

        Landing exactly on a session's close returns that close (Mon 07:00 + 8 h = Mon 17:00),
        not the next morning.
        """
        if duration < timedelta(0):
            raise CalendarError("duration must not be negative")
        remaining = duration
        for begin, end in self._intervals(to_local(start)):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: _intervals raises when exhausted")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (zero if `end` is not later); e.g. a paused clock."""
        total = timedelta(0)
        end = to_local(end)
        if end <= to_local(start):
            return total
        for begin, span_end in self._intervals(to_local(start)):
            if begin >= end:
                break
            total += min(span_end, end) - begin
        return total

    # --- deadlines ------------------------------------------------------------------------

    def due_at(
        self, accepted_at: datetime, *, value: Decimal | int, unit: str, cutoff: time | None = None
    ) -> datetime | None:
        """When a procedure accepted at `accepted_at` is due; None for procedures without a limit."""
        amount = Decimal(value)
        if amount < 0:
            raise CalendarError("time value must not be negative")
        accepted = to_local(accepted_at)
        if unit == TimeUnit.NONE:
            return None
        if unit == TimeUnit.WORKING_DAYS:
            return self.add_working_time(accepted, _hours(amount * self._hours_per_day))
        if unit == TimeUnit.WORKING_HOURS:
            return self.add_working_time(accepted, _hours(amount))
        if unit == TimeUnit.CALENDAR_DAYS:
            return self._calendar_days_due(accepted, amount)
        if unit == TimeUnit.SAME_DAY:
            return self._same_day_due(accepted, cutoff or parse_clock(settings.MOTCUA["SAME_DAY_CUTOFF"]))
        raise CalendarError(f"unknown time unit {unit!r}")

    def _calendar_days_due(self, accepted: datetime, amount: Decimal) -> datetime:
        start = self.next_session_start(accepted)
        whole, fraction = divmod(amount, 1)
        day = start.date()
        counted = 0
        while counted < whole:
            day += timedelta(days=1)
            # With the flag set, a holiday or extra day off is not a "day" at all (weekends are).
            if not (settings.MOTCUA["CALENDAR_DAYS_SKIP_HOLIDAYS"] and self._is_declared_off(day)):
                counted += 1
        due = datetime.combine(day, start.timetz()) + _hours(fraction * 24)
        return datetime.combine(self.working_day_on_or_after(due.date()), due.timetz())

    def _same_day_due(self, accepted: datetime, cutoff: time) -> datetime:
        """Done the same working day, or by the end of the next one if received after the cut-off."""
        start = self.next_session_start(accepted)
        if start.time() <= cutoff:
            return self.end_of_working_day(start.date())
        return self.end_of_working_day(self.next_working_day(start.date()))

    def _is_declared_off(self, day: date) -> bool:
        entry = self._entries.get(day)
        return entry is not None and entry.kind in _OFF_KINDS


def to_local(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise CalendarError("the working calendar needs aware datetimes")
    return at.astimezone(LOCAL_TZ)


def _combine(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LOCAL_TZ)


def _hours(amount: Decimal) -> timedelta:
    # Whole microseconds keep fractional days exact (0.5 day = 4 h, 0.1 h = 6 min).
    return timedelta(microseconds=int(amount * 3_600_000_000))


# --- building calendars ---------------------------------------------------------------------


def calendar_for_center(center: Center | None) -> WorkingCalendar:
    """The calendar of `center`; None gives the province-wide calendar with the default sessions."""
    defaults = settings.MOTCUA
    working = center.working_sessions if center else None
    reception = center.reception_sessions if center else None
    return WorkingCalendar(
        entries=_entries_for(center.pk if center else None),
        working=sessions_from_json(working or defaults["DEFAULT_WORKING_SESSIONS"]),
        reception=sessions_from_json(reception or defaults["DEFAULT_RECEPTION_SESSIONS"]),
    )


def procedure_due_at(*, procedure: Procedure, center: Center | None, accepted_at: datetime) -> datetime | None:
    """The due time of `procedure` accepted at `center` at `accepted_at` (rule 4)."""
    return calendar_for_center(center).due_at(
        accepted_at, value=procedure.time_value, unit=procedure.time_unit, cutoff=procedure.same_day_cutoff
    )


def version_due_at(*, snapshot: dict[str, Any], center: Center | None, accepted_at: datetime) -> datetime | None:
    """The due time from a frozen procedure version's snapshot (rule 1: the version at receipt)."""
    cutoff = snapshot.get("same_day_cutoff")
    return calendar_for_center(center).due_at(
        accepted_at,
        value=Decimal(str(snapshot.get("time_value") or 0)),
        unit=snapshot["time_unit"],
        cutoff=parse_clock(cutoff) if cutoff else None,
    )


def _load_entries(center_id: int | None) -> dict[date, CalendarEntry]:
    """Province rows overlaid with the center's own rows, in one query."""
    rows = CalendarDay.objects.filter(Q(center__isnull=True) | Q(center_id=center_id)).values_list(
        "date", "center_id", "kind", "name"
    )
    entries: dict[date, CalendarEntry] = {}
    # Province rows first (NULLs sort differently per database, so order in Python).
    for day, row_center, kind, name in sorted(rows, key=lambda r: r[1] is not None):
        entries[day] = CalendarEntry(day, name, kind, "center" if row_center else "province")
    return entries


# --- in-process cache (see the module docstring for why it is correct) ----------------------


@dataclass(frozen=True)
class _Cached:
    version: int
    loaded_at: float
    entries: dict[date, CalendarEntry]


_lock = threading.Lock()
_state: dict[str, Any] = {"version": 0}
_cache: dict[int | None, _Cached] = {}


def _entries_for(center_id: int | None) -> dict[date, CalendarEntry]:
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # Inside a transaction we may see our own uncommitted rows: use them, never share them.
        return _load_entries(center_id)
    version, now = _state["version"], monotonic_clock.monotonic()
    cached = _cache.get(center_id)
    ttl = settings.MOTCUA.get("CALENDAR_CACHE_SECONDS", 60)
    if cached and cached.version == version and now - cached.loaded_at < ttl:
        return cached.entries
    entries = _load_entries(center_id)
    with _lock:
        if _state["version"] == version:  # nobody wrote while we were reading
            _cache[center_id] = _Cached(version, now, entries)
    return entries


def _bump() -> None:
    with _lock:
        _state["version"] += 1
        _cache.clear()


def calendar_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Forget cached calendars now and again when the current transaction commits."""
    _bump()
    if connections[using].in_atomic_block:
        transaction.on_commit(_bump, using=using)


def _on_row_change(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    calendar_changed(using=using)


def _on_flush(sender: Any, **kwargs: Any) -> None:
    # `flush` (used between transactional tests) deletes rows without signals but emits this.
    _bump()


# Connected at import: nothing is cached before this module is imported, so nothing can be stale.
for _model in (CalendarDay, Center):
    post_save.connect(_on_row_change, sender=_model, dispatch_uid=f"calendar-{_model.__name__}-save")
    post_delete.connect(_on_row_change, sender=_model, dispatch_uid=f"calendar-{_model.__name__}-delete")
post_migrate.connect(_on_flush, dispatch_uid="calendar-flush")
