"""Queue figures of a period (ADR 0010 §3): counts, waits and service times per queue, counter
or officer, their distributions from the stored histograms, arrivals by weekday × hour, and
the ticket ratings. Only center scopes reach queues: an agency leader gets no row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._queue_facts import ANSWERS
from ._scope import report_scope
from ._sums import Sources, ratio, sources_for, totals
from .labels import labels_for
from .models import BUCKETS, HISTOGRAM_EDGES, RatingDayFact, TicketDayFact, TicketQueueFact, TicketStaffFact
from .periods import Period

QUEUE_GROUPS = {
    None: (),
    "center": ("center_id",),
    "queue": ("queue_id",),
    "counter": ("counter_id",),
    "officer": ("officer_id",),
}
HISTOGRAMS = tuple(f"{kind}_{i}" for kind in ("wait", "service") for i in range(BUCKETS))
TICKET_COUNTS = (
    "tickets", "issued", "served", "no_shows", "transferred", "wait_seconds_sum", "wait_count",
    "service_seconds_sum", "service_count", *HISTOGRAMS,
)  # fmt: skip
RATING_COUNTS = ANSWERS
# The coarser ticket facts and the columns their key holds (ADR 0010 §3).
COARSE_FACTS = (
    (TicketQueueFact, "ticket_queues", {"center", "queue", "hour"}),
    (TicketStaffFact, "ticket_staff", {"center", "counter", "officer"}),
)


def _ticket_facts(needed: set[str]) -> tuple[Any, str]:
    """The fewest rows that answer: the first coarse fact whose key holds every column needed
    (grouping, filters, hour), else the fine one."""
    for model, part, keys in COARSE_FACTS:
        if needed <= keys:
            return model, part
    return TicketDayFact, "tickets"


def histogram_quantile(counts: list[int], share: float) -> float | None:
    """Approximate quantile in minutes: linear inside the bucket that holds it; in the open last
    bucket, its lower edge (the value is "at least" that)."""
    total = sum(counts)
    if not total:
        return None
    target, seen = share * total, 0
    for i, count in enumerate(counts):
        if count and seen + count >= target:
            low = HISTOGRAM_EDGES[i]
            if i + 1 == len(counts):
                return float(low)
            return low + (target - seen) / count * (HISTOGRAM_EDGES[i + 1] - low)
        seen += count
    return float(HISTOGRAM_EDGES[-1])


@dataclass
class QueueRow:
    key: Any
    label: str
    counts: dict[str, float]
    wait_histogram: list[int] = field(init=False)
    service_histogram: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.wait_histogram = [int(self.counts[f"wait_{i}"]) for i in range(BUCKETS)]
        self.service_histogram = [int(self.counts[f"service_{i}"]) for i in range(BUCKETS)]

    @property
    def rates(self) -> dict[str, float | None]:
        c = self.counts
        mean_wait = ratio(c["wait_seconds_sum"], c["wait_count"])
        mean_service = ratio(c["service_seconds_sum"], c["service_count"])
        rated = c["very_satisfied"] + c["satisfied"] + c["not_satisfied"]
        return {
            "no_show_rate": ratio(c["no_shows"], c["tickets"]),
            "wait_mean_minutes": None if mean_wait is None else mean_wait / 60,
            "wait_p50_minutes": histogram_quantile(self.wait_histogram, 0.5),
            "wait_p90_minutes": histogram_quantile(self.wait_histogram, 0.9),
            "service_mean_minutes": None if mean_service is None else mean_service / 60,
            "service_p50_minutes": histogram_quantile(self.service_histogram, 0.5),
            "service_p90_minutes": histogram_quantile(self.service_histogram, 0.9),
            "satisfaction_rate": ratio(c["very_satisfied"] + c["satisfied"], rated),
        }

    def __getitem__(self, name: str) -> Any:
        return self.counts[name] if name in self.counts else self.rates[name]


@dataclass
class QueueFigures:
    rows: list[QueueRow]
    # arrivals[weekday][hour]: tickets issued (not transfers), Monday = 0, local hours.
    arrivals: list[list[int]]

    def total(self) -> QueueRow | None:
        """The rows added up: the period's totals, without reading the facts again (a grouping
        is a partition — tickets without a counter or officer form their own row)."""
        if not self.rows:
            return None
        counts: dict[str, float] = dict.fromkeys(self.rows[0].counts, 0.0)
        for row in self.rows:
            for name, value in row.counts.items():
                counts[name] += value
        return QueueRow(None, "", counts)


def queue_figures(period: Period, *, scope: Any, group_by: str | None = None, filters: dict | None = None,
                  now: datetime | None = None, sources: Sources | None = None) -> QueueFigures:  # fmt: skip
    """The period's rows grouped by `group_by` (`total()` adds them up) and its arrivals by
    weekday × hour."""
    groups = QUEUE_GROUPS[group_by]
    sources, allowed = sources or sources_for(period, now=now), report_scope(scope)
    common: dict[str, Any] = {"sources": sources, "scope": allowed, "filters": filters, "agency": False}
    model, rows_of = _ticket_facts(set(filters or {}) | ({group_by} if group_by else set()))
    tickets = totals(model, rows_of, TICKET_COUNTS, groups=groups, **common)
    ratings = totals(RatingDayFact, "ratings", RATING_COUNTS, groups=groups, **common)
    merged: dict[Any, dict[str, float]] = {}
    for part in (tickets, ratings):
        for key, counts in part.items():
            merged.setdefault(key, dict.fromkeys((*TICKET_COUNTS, *RATING_COUNTS), 0)).update(counts)
    labels = labels_for(group_by, [key[0] for key in merged if key])
    rows = [QueueRow(key[0] if key else None, labels.get(key[0], "") if key else "", counts)
            for key, counts in merged.items()]  # fmt: skip
    rows.sort(key=lambda row: (row.label, str(row.key)))
    return QueueFigures(rows, _arrivals(common, filters))


def _arrivals(common: dict[str, Any], filters: dict | None) -> list[list[int]]:
    model, rows_of = _ticket_facts(set(filters or {}) | {"hour"})
    by_hour = totals(model, rows_of, ("issued",), groups=("day", "hour"), **common)
    arrivals = [[0] * 24 for _ in range(7)]
    for (day, hour), counts in by_hour.items():
        arrivals[day.weekday()][hour] += int(counts["issued"])
    return arrivals
