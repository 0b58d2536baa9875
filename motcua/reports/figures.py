"""The figures behind the leaders' dashboards: the one API the screens, exports and tests use.

Every function sums the stored daily facts of closed days and adds `facts_for_day(today)`
live when the period includes today (ADR 0010 §3); rates are ratios of summed counts, never
means of rates. `scope` is a user (or a `ReportScope`): a center leader gets their centers, an
agency leader their agencies, province-wide roles everything — never a row outside it.

- `dossier_figures(period, scope=, group_by=, filters=)` → `DossierRow`s;
- `trend(period, metric, scope=, step=)` → `TrendPoint`s;
- `queue_figures(period, scope=, group_by=)` → `QueueFigures` (in `queue_figures`);
- `indicators_766(period, scope=)` → `IndicatorGroup`s (in `indicators`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ._dossier_facts import FLOW_COUNTS, STOCK_COUNTS
from ._scope import ReportScope, report_scope
from ._sums import Sources, ratio, sources_for, totals
from .labels import labels_for
from .models import AssessmentDayFact, DossierDayFact, DossierOfficerFact, DossierStockFact
from .periods import Period

DOSSIER_GROUPS = {
    None: (),
    "center": ("center_id",),
    "agency": ("agency_id",),
    "sector": ("sector_id",),
    "procedure": ("procedure_id",),
    "officer": ("officer_id",),
}
OFFICER_FILTERS = {"center", "agency", "officer"}
ASSESSMENT_COUNTS = ("count", "total_sum", "very_satisfied", "satisfied", "not_satisfied")
# An assessment's count is shown as "rated" beside the dossier counts.
RATED = {"count": "rated", "total_sum": "score_sum"}
ALL_COUNTS = (*FLOW_COUNTS, *STOCK_COUNTS, *(RATED.get(name, name) for name in ASSESSMENT_COUNTS))


def dossier_rates(c: dict[str, int]) -> dict[str, float | None]:
    return {
        "on_time_rate": ratio(c["resolved_early"] + c["resolved_on_time"], c["resolved"]),
        "early_rate": ratio(c["resolved_early"], c["resolved"]),
        "late_rate": ratio(c["resolved_late"], c["resolved"]),
        "online_on_time_rate": ratio(c["resolved_online_on_time"], c["resolved_online"]),
        "within_time_rate": ratio(c["in_progress_within_time"], c["in_progress"]),
        "overdue_rate": ratio(c["in_progress_overdue"], c["in_progress"]),
        "online_rate": ratio(c["received_online"], c["received"]),
        "digitised_rate": ratio(c["digitised"], c["received"]),
        "e_result_rate": ratio(c["e_results"], c["resolved"]),
        "paid_online_rate": ratio(c["paid_online"], c["fee_bearing"]),
        "satisfaction_rate": ratio(c["very_satisfied"] + c["satisfied"], c["rated"]),
        "mean_score": ratio(c["score_sum"], c["rated"]),
    }


@dataclass
class DossierRow:
    key: Any  # the group's id (None for the total)
    label: str
    counts: dict[str, int]
    rates: dict[str, float | None] = field(init=False)

    def __post_init__(self) -> None:
        self.rates = dossier_rates(self.counts)

    def __getitem__(self, name: str) -> Any:
        return self.counts[name] if name in self.counts else self.rates[name]


@dataclass
class TrendPoint:
    period: Period
    value: float | int | None
    row: DossierRow


def _stock_days(sources: Sources, days: set[date]) -> tuple[Any, set[date]]:
    """(stored day filter, live days) for snapshot days."""
    from django.db.models import Q

    live = {facts.day for facts in sources.live} & days
    return Q(day__in=sorted(days - live)), live


def _collect(sources: Sources, scope: ReportScope, groups: tuple[str, ...], filters: dict | None,
             stock_days: set[date]) -> dict[Any, dict[str, int]]:  # fmt: skip
    flow_model, flow_part, stock_model, stock_part = _tables(groups, filters)
    flows = totals(flow_model, flow_part, FLOW_COUNTS, sources=sources, scope=scope, groups=groups, filters=filters)
    stored, live = _stock_days(sources, stock_days)
    stock = totals(stock_model, stock_part, STOCK_COUNTS, sources=sources, scope=scope, groups=groups,
                   filters=filters, stored_days=stored, live_days=live)  # fmt: skip
    rated = totals(AssessmentDayFact, "assessments", ASSESSMENT_COUNTS, sources=sources, scope=scope,
                    groups=groups, filters=filters)  # fmt: skip
    merged: dict[Any, dict[str, int]] = {}
    for part in (flows, stock, {k: {RATED.get(n, n): v for n, v in c.items()} for k, c in rated.items()}):
        for key, counts in part.items():
            merged.setdefault(key, dict.fromkeys(ALL_COUNTS, 0)).update(counts)
    return merged


def _tables(groups: tuple[str, ...], filters: dict | None) -> tuple[Any, str, Any, str]:
    """(flow model, live part, stock model, live part): by officer, the officer table, which
    has no sector, procedure or channel to filter on."""
    if "officer_id" not in groups and "officer" not in (filters or {}):
        return DossierDayFact, "dossiers", DossierStockFact, "stock"
    unknown = set(filters or {}) - OFFICER_FILTERS
    if unknown:
        raise ValueError(f"figures by officer cannot be filtered by {sorted(unknown)}")
    return DossierOfficerFact, "officers", DossierOfficerFact, "officers"


def _snapshot_day(period: Period, sources: Sources) -> set[date]:
    assert sources.today is not None
    end = min(period.end, sources.today)
    return {end} if end >= period.start else set()


def dossier_figures(period: Period, *, scope: Any, group_by: str | None = None, filters: dict | None = None,
                    now: datetime | None = None, sources: Sources | None = None) -> list[DossierRow]:  # fmt: skip
    """Counts and rates of the period per group (one row, key None, without `group_by`).
    In-progress counts are the snapshot of the period's last day (today: live). `sources`
    lets several figures of one page share today's live facts."""
    groups = DOSSIER_GROUPS[group_by]
    sources = sources or sources_for(period, now=now)
    merged = _collect(sources, report_scope(scope), groups, filters, _snapshot_day(period, sources))
    labels = labels_for(group_by, [key[0] for key in merged if key])
    rows = [DossierRow(key[0] if key else None, labels.get(key[0], "") if key else "", counts)
            for key, counts in merged.items()]  # fmt: skip
    return sorted(rows, key=lambda row: (row.label, str(row.key)))


def trend(period: Period, metric: str, *, scope: Any, step: str = "month", filters: dict | None = None,
          now: datetime | None = None) -> list[TrendPoint]:  # fmt: skip
    """`metric` (a count or a rate of `DossierRow`) for each day, week or month of the period."""
    parts = period.steps(step)
    sources = sources_for(period, now=now)
    assert sources.today is not None
    snapshot_days = {d for p in parts if (d := min(p.end, sources.today)) >= p.start}
    merged = _collect(sources, report_scope(scope), ("day",), filters, snapshot_days)
    buckets = [dict.fromkeys(ALL_COUNTS, 0) for _ in parts]
    for (day,), counts in merged.items():
        target = buckets[_index(parts, day)]
        for name, value in counts.items():
            if name not in STOCK_COUNTS or day in snapshot_days:
                target[name] += value
    return [_point(p, metric, counts) for p, counts in zip(parts, buckets, strict=True)]


def _index(parts: list[Period], day: date) -> int:
    return bisect.bisect_right([p.start for p in parts], day) - 1


def _point(part: Period, metric: str, counts: dict[str, int]) -> TrendPoint:
    row = DossierRow(None, "", counts)
    return TrendPoint(part, row[metric], row)


from .indicators import IndicatorGroup, IndicatorRate, indicators_766  # noqa: E402
from .queue_figures import QueueFigures, QueueRow, queue_figures  # noqa: E402

__all__ = [
    "DossierRow", "IndicatorGroup", "IndicatorRate", "Period", "QueueFigures", "QueueRow", "TrendPoint",
    "dossier_figures", "indicators_766", "queue_figures", "trend",
]  # fmt: skip
