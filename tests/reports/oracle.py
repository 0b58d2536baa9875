"""The figures computed plainly from the raw rows, in Python, one row at a time: the independent
implementation the facts are checked against. Written from the definitions in the docstrings
of `motcua.reports._dossier_facts` and `_queue_facts`, not from their queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from motcua.core.calendar import LOCAL_TZ, to_local
from motcua.dossiers.services._timing import outcome
from motcua.reports.models import HISTOGRAM_EDGES
from motcua.reports.periods import Period

from .history import NOW, TODAY


def _day(at: datetime | None) -> date | None:
    return None if at is None else to_local(at).date()


def _in(period: Period, at: datetime | None) -> bool:
    day = _day(at)
    return day is not None and period.start <= day <= min(period.end, TODAY)


def _snapshot_moment(period: Period) -> datetime | None:
    last = min(period.end, TODAY)
    if last < period.start:
        return None
    return NOW if last == TODAY else datetime.combine(last + timedelta(days=1), time(0), LOCAL_TZ)


def _dossier_key(d: Any, group_by: str | None) -> Any:
    return {
        None: None, "center": d.receiving_center_id, "agency": d.competent_agency_id,
        "sector": d.procedure.sector_id, "procedure": d.procedure_id, "officer": d.received_by_id,
    }[group_by]  # fmt: skip


def _visible(scope: Any, center_id: int, agency_id: int | None) -> bool:
    return scope.everything or center_id in scope.center_ids or agency_id in scope.agency_ids


def _add_flows(c: dict[str, int], d: Any, period: Period) -> None:
    online = d.channel == "online"
    if _in(period, d.accepted_at):
        c["received"] += 1
        c["received_online"] += online
        c["digitised"] += online or d.is_digitised
    if _in(period, d.result_ready_at):
        result = outcome(d.original_due_at, d.result_ready_at)
        c["resolved"] += 1
        c[f"resolved_{result}"] += 1
        c["resolved_online"] += online
        c["resolved_online_on_time"] += online and result != "late"
        fees = list(d.fees.all())
        c["fee_bearing"] += any(f.amount > 0 and f.quantity > 0 for f in fees)
        c["paid_online"] += any(f.paid and f.method == "online" for f in fees)
        c["e_results"] += d.result.kind in ("electronic", "both")
    c["returned"] += _in(period, d.returned_at)
    c["withdrawn"] += d.status == 7 and _in(period, d.closed_at)
    c["stopped"] += d.status == 8 and _in(period, d.closed_at)


def _add_stock(c: dict[str, int], d: Any, moment: datetime | None) -> None:
    if moment is None or d.accepted_at is None or d.accepted_at >= moment:
        return
    for end in (d.result_ready_at, d.closed_at):
        if end is not None and end < moment:
            return
    c["in_progress"] += 1
    if d.original_due_at is not None and d.original_due_at < moment:
        c["in_progress_overdue"] += 1
    else:
        c["in_progress_within_time"] += 1


def load() -> dict[str, list]:
    """The raw rows, read once per test."""
    from motcua.dossiers.models import Dossier
    from motcua.feedback.models import DossierAssessment, TicketRating
    from motcua.queueing.models import Ticket

    return {
        "dossiers": list(Dossier.objects.select_related("procedure", "result").prefetch_related("fees")),
        "assessments": list(DossierAssessment.objects.select_related("dossier", "procedure")),
        "tickets": list(Ticket.objects.prefetch_related("events")),
        "ratings": list(TicketRating.objects.all()),
    }


def dossier_counts(raw: dict[str, list], period: Period, scope: Any, group_by: str | None) -> dict[Any, dict[str, int]]:
    rows: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moment = _snapshot_moment(period)
    for d in raw["dossiers"]:
        if _visible(scope, d.receiving_center_id, d.competent_agency_id):
            _add_flows(rows[_dossier_key(d, group_by)], d, period)
            _add_stock(rows[_dossier_key(d, group_by)], d, moment)
    for a in raw["assessments"]:
        if _visible(scope, a.center_id, a.agency_id) and _in(period, a.at):
            key = {None: None, "center": a.center_id, "agency": a.agency_id, "sector": a.procedure.sector_id,
                   "procedure": a.procedure_id, "officer": a.dossier.received_by_id}[group_by]  # fmt: skip
            c = rows[key]
            c["rated"] += 1
            c["score_sum"] += a.total
            c[a.overall] += 1
    return {k: {n: v for n, v in c.items() if v} for k, c in rows.items() if any(c.values())}


def _bucket(seconds: float) -> int:
    minutes = seconds / 60
    return max(i for i, edge in enumerate(HISTOGRAM_EDGES) if minutes >= edge)


def _first_call(t: Any) -> datetime | None:
    if t.recycled:
        calls = [e.at for e in t.events.all() if e.action == "queueing.ticket.called"]
        return min(calls) if calls else None
    return t.called_at


def _add_ticket(c: dict[str, float], t: Any) -> None:
    c["tickets"] += 1
    c["issued"] += t.transferred_from_id is None
    c["served"] += t.status == "done"
    c["no_shows"] += t.status == "no_show"
    c["transferred"] += t.status == "transferred"
    walk_in = t.channel == "counter" and t.transferred_from_id is None
    first = _first_call(t)
    if first is not None and not walk_in:
        wait = (first - t.issued_at).total_seconds()
        c["wait_count"] += 1
        c["wait_seconds_sum"] += wait
        c[f"wait_{_bucket(wait)}"] += 1
    if t.status == "done" and t.started_at and t.finished_at:
        service = (t.finished_at - t.started_at).total_seconds()
        c["service_count"] += 1
        c["service_seconds_sum"] += service
        c[f"service_{_bucket(service)}"] += 1


def queue_counts(raw: dict[str, list], period: Period, scope: Any, group_by: str | None) -> tuple[dict, list]:
    rows: dict[Any, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    arrivals = [[0] * 24 for _ in range(7)]
    for t in raw["tickets"]:
        if not (scope.everything or t.center_id in scope.center_ids):
            continue
        if not period.start <= t.business_date <= min(period.end, TODAY):
            continue
        _add_ticket(rows[_queue_key(t, group_by)], t)
        if t.transferred_from_id is None:
            arrivals[t.business_date.weekday()][to_local(t.issued_at).hour] += 1
    for r in raw["ratings"]:
        if (scope.everything or r.center_id in scope.center_ids) and _in(period, r.at):
            rows[_queue_key(r, group_by)][r.answer] += 1
    return {k: {n: v for n, v in c.items() if v} for k, c in rows.items()}, arrivals


def _queue_key(row: Any, group_by: str | None) -> Any:
    return None if group_by is None else getattr(row, f"{group_by}_id")
