"""Reads for centers and the working calendar's rows (the calendar itself is in calendar.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from motcua.accounts.scoping import managed_center_ids, scope_for_user

from .models import CalendarDay, Center


def center_list_active() -> QuerySet[Center]:
    """Active centers in display order (the city center first)."""
    return Center.objects.filter(is_active=True).order_by("ordering", "name")


def center_get(*, code: str) -> Center | None:
    """The active center with this code, or None (an inactive center is treated as unknown)."""
    return center_list_active().filter(code=code).first()


def calendar_day_find(*, day: date, center_id: int | None) -> CalendarDay | None:
    """The calendar row for `day` at exactly this scope (None: the province-wide row)."""
    rows = CalendarDay.objects.filter(date=day)
    rows = rows.filter(center__isnull=True) if center_id is None else rows.filter(center_id=center_id)
    return rows.first()


def center_ids_managed_by(user: Any) -> frozenset[int] | None:
    """Centers whose settings and calendar `user` may edit; None means every center.

    Only a province-wide administrator manages all of them; a center leader (or an
    administrator limited to a center) manages the centers named in those role rows.
    Other roles at a center (reception officers) manage nothing.
    """
    if scope_for_user(user).province_wide:
        return None
    return managed_center_ids(user)
