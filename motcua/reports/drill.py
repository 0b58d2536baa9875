"""Drill-down: the dossiers behind a figure of the dossier dashboard (issue 6, ADR 0010 §3).

`dossiers_behind(metric, period, scope=, group_by=, key=)` is the queryset of the dossiers a count
of `dossier_figures` counts — same scope, same group, same local days, same snapshot moment for
the in-progress counts — built from the very conditions the daily facts are computed with
(`_dossier_facts`), so its length is the figure. Two cases where they can differ, both on
purpose: a stored day whose raw rows changed after its rollup (the figure is what the rollup
saw; the list is what the rows say now), and "today" read through the one-minute live cache.
Days the figures leave out (unrolled gaps, `Sources.missing`) are left out here too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.dossiers.models import Dossier

from . import _dossier_facts as facts
from ._scope import ReportScope, report_scope
from ._sums import sources_for
from .facts import day_bounds, local_today
from .periods import Period

Status = Dossier.Status
# group → the dossier field the facts key it by (the sector through the procedure).
GROUP_FIELDS = {
    "center": "receiving_center_id",
    "agency": "competent_agency_id",
    "sector": "procedure__sector_id",
    "procedure": "procedure_id",
    "officer": "received_by_id",
}
# A key that stands for "none" (an online dossier nobody received at a counter has no officer).
NO_KEY = "none"

_RECEIVED = {
    "received": Q(),
    "received_online": facts.IS_ONLINE,
    "digitised": facts.IS_DIGITISED,
}
_RESOLVED = {
    "resolved": Q(),
    "resolved_early": facts.IS_EARLY,
    "resolved_on_time": ~facts.IS_EARLY & ~facts.IS_LATE,
    "resolved_late": facts.IS_LATE,
    "resolved_online": facts.IS_ONLINE,
    "resolved_online_on_time": facts.IS_ONLINE & ~facts.IS_LATE,
    "fee_bearing": facts.HAS_FEE,
    "paid_online": facts.PAID_ONLINE,
    "e_results": facts.E_RESULT,
}
_CLOSED = {name: status for status, name in facts.CLOSING.items()}  # returned, withdrawn, stopped
_STOCK = ("in_progress", "in_progress_within_time", "in_progress_overdue")
METRICS = (*_RECEIVED, *_RESOLVED, *_CLOSED, *_STOCK)
# Newest first for the flows; the in-progress ones by their due time, the most overdue first.
ORDERING = {
    **dict.fromkeys(_RECEIVED, ("-accepted_at", "-pk")),
    **dict.fromkeys(_RESOLVED, ("-result_ready_at", "-pk")),
    "returned": ("-returned_at", "-pk"),
    **dict.fromkeys(("withdrawn", "stopped"), ("-closed_at", "-pk")),
    **dict.fromkeys(_STOCK, ("original_due_at", "accepted_at", "pk")),
}


def dossiers_behind(metric: str, period: Period, *, scope: Any, group_by: str | None = None, key: Any = None,
                    now: datetime | None = None) -> QuerySet[Dossier]:  # fmt: skip
    """The dossiers counted by `metric` of `dossier_figures(period, scope=, group_by=)` in the
    row `key` (without `key`: the whole scope, the total row). `key=NO_KEY` is the row of
    dossiers without a value for the group. ValueError for an unknown metric or group."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    if group_by is not None and group_by not in GROUP_FIELDS:
        raise ValueError(f"unknown group {group_by!r}")
    now = now or timezone.now()
    condition = _metric(metric, period, now)
    dossiers = Dossier.objects.all()
    if metric in _STOCK:
        dossiers = facts.with_accepted(Dossier.objects.all())
    elif metric in _RESOLVED:
        dossiers = facts.with_outcome(Dossier.objects.all())
    return dossiers.filter(condition, _in_scope(report_scope(scope)), _in_group(group_by, key)).order_by(
        *ORDERING[metric]
    )


def _metric(metric: str, period: Period, now: datetime) -> Q:
    if metric in _STOCK:
        return _stock(metric, period, now)
    windows = _windows(period, now)
    if not windows:
        return Q(pk__in=[])
    if metric in _RECEIVED:
        return _any(windows, facts.received_q) & _RECEIVED[metric]
    if metric in _RESOLVED:
        return _any(windows, facts.resolved_q) & _RESOLVED[metric]
    closing = _any(windows, facts.closing_events).filter(to_status=_CLOSED[metric])
    return Q(pk__in=closing.values("dossier_id"))


def _any(windows: list[tuple[datetime, datetime]], build: Callable[[datetime, datetime], Any]) -> Any:
    """`build` over each window, OR-ed (Q objects or querysets)."""
    parts = [build(start, end) for start, end in windows]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined | part
    return combined


def _windows(period: Period, now: datetime) -> list[tuple[datetime, datetime]]:
    """The period's counted days up to today as [start, end) moments, the days the figures
    leave out (`Sources.missing`) cut away."""
    today = local_today(now)
    counted = period.clipped(today)
    if counted is None:
        return []
    missing = set(sources_for(period, now=now).missing)
    windows: list[tuple[datetime, datetime]] = []
    for day in counted.days():
        if day in missing:
            continue
        start, end = day_bounds(day)
        if windows and windows[-1][1] == start:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _stock(metric: str, period: Period, now: datetime) -> Q:
    """In progress at the snapshot `dossier_figures` reads: the end of the period's last day, or
    `now` when that day is today; nothing for a period in the future or a missing day."""
    today = local_today(now)
    last = min(period.end, today)
    if last < period.start or last in sources_for(period, now=now).missing:
        return Q(pk__in=[])
    at = min(day_bounds(last)[1], now)
    still_open, resolved_later, ended_later = facts.stock_parts(at)
    condition = still_open | resolved_later | ended_later
    if metric == "in_progress_overdue":
        return condition & facts.overdue_q(at)
    if metric == "in_progress_within_time":
        return condition & ~facts.overdue_q(at)
    return condition


def _in_scope(scope: ReportScope) -> Q:
    """The facts' scope test on the dossier: received at one of our centers, or for one of our agencies."""
    if scope.everything:
        return Q()
    return Q(receiving_center_id__in=scope.center_ids) | Q(competent_agency_id__in=scope.agency_ids)


def _in_group(group_by: str | None, key: Any) -> Q:
    if group_by is None or key is None:
        return Q()
    field = GROUP_FIELDS[group_by]
    return Q(**{f"{field}__isnull": True}) if key == NO_KEY else Q(**{field: key})


__all__ = ["GROUP_FIELDS", "METRICS", "NO_KEY", "dossiers_behind"]
