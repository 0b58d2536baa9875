"""Sums of fact rows: the stored closed days from the database, plus days computed live.

A period's days are split into stored days (closed and rolled up: summed by one grouped query),
live days (today, and the closed days after the last stored one when there are at most
`REPORTS_LIVE_MAX_DAYS` (3) of them: `facts_for_day` on the raw rows, summed here in Python), and
missing days (unrolled gaps, or too many pending days: listed, never guessed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, Sum
from django.utils import timezone

from ._scope import ReportScope
from .facts import FactRows, live_facts, local_today
from .models import RollupDay
from .periods import Period


@dataclass
class Sources:
    period: Period
    stored: Q  # on `day`
    live: list[FactRows] = field(default_factory=list)
    missing: list[date] = field(default_factory=list)
    today: date | None = None


def sources_for(period: Period, *, now: datetime | None = None) -> Sources:
    """Where each day of the period comes from. Without `now` (the real clock), the live days
    are shared through the cache for a minute (`live_facts`)."""
    asked, now = now, now or timezone.now()
    today = local_today(now)
    closed = period.clipped(today - timedelta(days=1))
    sources = Sources(period=period, stored=Q(pk__in=[]), today=today)
    if closed is not None:
        sources.stored = Q(day__gte=closed.start, day__lte=closed.end)
        rolled = set(
            RollupDay.objects.filter(day__gte=closed.start, day__lte=closed.end, rolled_at__isnull=False)
            .values_list("day", flat=True)
        )  # fmt: skip
        last = RollupDay.objects.filter(rolled_at__isnull=False).aggregate(v=Max("day"))["v"]
        unrolled = [day for day in closed.days() if day not in rolled]
        # Days after the last stored one are those the nightly rollup has not reached yet;
        # unrolled days before it are gaps (before the first data, or a failed rollup).
        pending = [day for day in unrolled if last is None or day > last]
        sources.missing = [day for day in unrolled if last is not None and day <= last]
        if len(pending) <= settings.MOTCUA.get("REPORTS_LIVE_MAX_DAYS", 3):
            sources.live = [live_facts(day, now=asked) for day in pending]
        else:
            sources.missing += pending
    if period.start <= today <= period.end:
        sources.live.append(live_facts(today, now=asked))
    return sources


def grouped_sums(model: Any, where: Q, groups: tuple[str, ...], counts: Iterable[str]) -> dict[Any, dict]:
    """{group values: {count: sum}} over the stored rows (group values is a tuple)."""
    figures = {name: Sum(name) for name in counts}
    if not groups:
        row = model.objects.filter(where).aggregate(**figures)
        return {(): {k: v or 0 for k, v in row.items()}} if any(v is not None for v in row.values()) else {}
    rows = model.objects.filter(where).order_by().values(*groups).annotate(**figures)
    return {tuple(row[g] for g in groups): {name: row[name] or 0 for name in figures} for row in rows}


def add_live(
    totals: dict[Any, dict], rows: Iterable[dict[str, Any]], keep: Callable[[dict], bool],
    groups: tuple[str, ...], counts: Iterable[str],
) -> dict[Any, dict]:  # fmt: skip
    """Add live rows (dicts) that pass `keep` into `totals`, grouped the same way."""
    names = list(counts)
    for row in rows:
        if not keep(row):
            continue
        target = totals.setdefault(tuple(row[g] for g in groups), dict.fromkeys(names, 0))
        for name in names:
            target[name] += row.get(name) or 0
    return totals


def filters_q(filters: dict[str, Any] | None, model: Any) -> Q:
    """`{"center": 1, "procedure": [3, 4]}` on the fields the model has (others do not apply)."""
    names = {f.attname for f in model._meta.concrete_fields}
    condition = Q()
    for name, value in (filters or {}).items():
        column = name if name in names else f"{name}_id"
        if column not in names:
            continue
        condition &= Q(**{f"{column}__in": value}) if isinstance(value, list | tuple | set) else Q(**{column: value})
    return condition


def filters_keep(filters: dict[str, Any] | None, model: Any) -> Callable[[dict], bool]:
    names = {f.attname for f in model._meta.concrete_fields}
    tests = []
    for name, value in (filters or {}).items():
        column = name if name in names else f"{name}_id"
        if column in names:
            allowed = set(value) if isinstance(value, list | tuple | set) else {value}
            tests.append((column, allowed))
    return lambda row: all(row.get(column) in allowed for column, allowed in tests)


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _live(sources: Sources, part: str, days: set[date] | None = None) -> Iterable[dict[str, Any]]:
    for facts in sources.live:
        if days is None or facts.day in days:
            yield from ({**row, "day": facts.day} for row in getattr(facts, part))


def totals(model: Any, part: str, counts: Iterable[str], *, sources: Sources, scope: ReportScope,
            groups: tuple[str, ...], filters: dict | None, stored_days: Any = None,
            live_days: set[date] | None = None, agency: bool = True) -> dict[Any, dict]:  # fmt: skip
    where = (stored_days if stored_days is not None else sources.stored) & scope.q(agency=agency)
    totals = grouped_sums(model, where & filters_q(filters, model), groups, counts)
    keep_filter = filters_keep(filters, model)
    keep = lambda row: scope.allows(row, agency=agency) and keep_filter(row)  # noqa: E731
    return add_live(totals, _live(sources, part, live_days), keep, groups, counts)
