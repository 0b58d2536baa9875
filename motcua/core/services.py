"""Writes for centers, the working calendar and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import holidays
from django.db import transaction
from django.utils import timezone

from .models import AuditLog, CalendarDay, Center


@transaction.atomic
def calendar_seed(*, years: Iterable[int]) -> int:
    """Store Vietnam's public holidays and make-up Saturdays from the `holidays` package.

    Province-wide rows from the package are refreshed; a manual row for the same date (an
    override entered in the admin) is never touched. Returns how many rows were added.
    """
    years = list(years)
    calendar = holidays.country_holidays("VN", years=years, language="vi")
    wanted: dict[Any, tuple[str, str]] = {
        day: (CalendarDay.Kind.HOLIDAY, name) for day, name in calendar.items()
    }
    for day in getattr(calendar, "weekend_workdays", set()):
        if day.year in years:
            wanted[day] = (CalendarDay.Kind.WORKDAY, "Ngày làm bù")
    existing = {
        row.date: row for row in CalendarDay.objects.filter(center__isnull=True, date__year__in=years)
    }
    added = 0
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(date=day, kind=kind, name=name, source=CalendarDay.Source.PACKAGE)
            added += 1
        elif row.source == CalendarDay.Source.PACKAGE and (row.kind, row.name) != (kind, name):
            CalendarDay.objects.filter(pk=row.pk).update(kind=kind, name=name)
    return added


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
