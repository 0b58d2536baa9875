"""Writes for centers, the working calendar and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import holidays
from django.db import transaction
from django.utils import timezone

# Imported for its side effect too: it connects the receivers that keep cached calendars fresh.
from .calendar import calendar_changed  # noqa: F401
from .models import AuditLog, CalendarDay, Center

# The package names a swapped day off "Ngày nghỉ (thay cho ngày 22/08/2026)": an extra day off
# rather than a holiday. If the wording ever changes the day is still stored as off (a holiday).
_SWAPPED_DAY_PREFIX = "Ngày nghỉ (thay cho"


@dataclass
class CalendarSeedResult:
    added: list[CalendarDay] = field(default_factory=list)
    updated: list[CalendarDay] = field(default_factory=list)
    removed: list[CalendarDay] = field(default_factory=list)


def _package_days(years: list[int]) -> dict[date, tuple[str, str]]:
    """{date: (kind, name)} for Vietnam's holidays, swapped days off and make-up days."""
    calendar = holidays.country_holidays("VN", years=years, language="vi")
    wanted: dict[date, tuple[str, str]] = {}
    for day, name in calendar.items():
        kind = CalendarDay.Kind.DAY_OFF if name.startswith(_SWAPPED_DAY_PREFIX) else CalendarDay.Kind.HOLIDAY
        wanted[day] = (kind, name)
    for day in getattr(calendar, "weekend_workdays", set()):
        if day.year in years:
            wanted[day] = (CalendarDay.Kind.WORKDAY, "Ngày làm bù")
    return wanted


@transaction.atomic
def calendar_sync(*, years: Iterable[int]) -> CalendarSeedResult:
    """Bring the province-wide package rows of `years` in line with the `holidays` package.

    Package rows are added, corrected or removed; a manual row for the same date (an override
    entered in the admin) and every center's own rows are never touched.
    """
    years = sorted(set(years))
    wanted = _package_days(years)
    existing = {
        row.date: row for row in CalendarDay.objects.filter(center__isnull=True, date__year__in=years)
    }
    result = CalendarSeedResult()
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            result.added.append(
                CalendarDay.objects.create(date=day, kind=kind, name=name, source=CalendarDay.Source.PACKAGE)
            )
        elif row.source == CalendarDay.Source.PACKAGE and (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
            result.updated.append(row)
    for day, row in sorted(existing.items()):
        if day not in wanted and row.source == CalendarDay.Source.PACKAGE:
            row.delete()
            result.removed.append(row)
    return result


def calendar_seed(*, years: Iterable[int]) -> int:
    """Store Vietnam's public holidays and make-up Saturdays; returns how many rows were added."""
    return len(calendar_sync(years=years).added)


@transaction.atomic
def calendar_day_save(*, calendar_day: CalendarDay, actor: Any, now: datetime | None = None) -> CalendarDay:
    """Save a row entered by hand. It becomes manual, so `calendar_seed` never overwrites it."""
    created = calendar_day.pk is None
    calendar_day.source = CalendarDay.Source.MANUAL
    calendar_day.full_clean()
    calendar_day.save()
    audit_log_write(
        actor=actor, action="core.calendar_day." + ("created" if created else "updated"), obj=calendar_day,
        center=calendar_day.center, data=_calendar_day_data(calendar_day), now=now,
    )  # fmt: skip
    return calendar_day


@transaction.atomic
def calendar_day_delete(*, calendar_day: CalendarDay, actor: Any, now: datetime | None = None) -> None:
    audit_log_write(
        actor=actor, action="core.calendar_day.deleted", obj=calendar_day, center=calendar_day.center,
        data=_calendar_day_data(calendar_day), now=now,
    )  # fmt: skip
    calendar_day.delete()


def _calendar_day_data(calendar_day: CalendarDay) -> dict[str, Any]:
    return {"date": calendar_day.date.isoformat(), "kind": calendar_day.kind, "name": calendar_day.name}


@transaction.atomic
def center_save(*, center: Center, actor: Any, now: datetime | None = None) -> Center:
    """Create or update a center (hours, unit ID…) and log who did it."""
    created = center.pk is None
    center.full_clean()
    center.save()
    audit_log_write(
        actor=actor, action="core.center." + ("created" if created else "updated"), obj=center, center=center,
        data={"code": center.code, "reception": center.reception_sessions, "working": center.working_sessions},
        now=now,
    )  # fmt: skip
    return center


def audit_log_write(
    *, actor: Any, action: str, obj: Any = None, center: Center | None = None, ip: str | None = None,
    data: dict[str, Any] | None = None, now: datetime | None = None,
) -> AuditLog:
    """Append one audit row (for writes and for reads of personal data)."""
    return AuditLog.objects.create(
        at=now or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        center=center,
        ip=ip,
        data=data or {},
    )
