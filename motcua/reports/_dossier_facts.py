"""One day's dossier facts, computed by grouped queries on the raw rows (ADR 0010 §3).

What each count means (one place, so the screens, exports and the consistency test agree):

- received: accepted that day (status 2 reached; `accepted_at`). A refused dossier was never
  accepted and is not received. received_online: of those, submitted online. digitised: of
  those, digitised at receipt *or* submitted online — an online dossier is electronic already
  and needs no scan (TT 03/2025 Art. 5(2), DOMAIN §1.2 row 2a).
- resolved: the result became ready that day (`result_ready_at`, status 9, then 10).
  Withdrawn (7) and stopped (8, including a supplement that expired) dossiers are *not*
  resolved: by the guards of ADR 0008 they end before any result exists, so they can be
  neither early nor late, and counting them would flatter the on-time rate. They are kept as
  `withdrawn` and `stopped` on their closing day, so a reading of Decision 766 that counts
  them can be computed from the facts without a new rollup.
- resolved early / on time / late: `dossiers.services._timing.outcome`'s day rule against
  `original_due_at` (an apology's new date never makes a late dossier on time, rule 8): late
  when the result came after the original due time, early when it came on an earlier local
  day than the due date, on time otherwise (also when there is no due time).
- fee_bearing / paid_online / e_results: of the dossiers resolved that day, those with a fee
  line of a positive amount / with a fee line paid by a method of `REPORTS_ONLINE_FEE_METHODS`
  (default `["online"]`) / whose result is electronic (or both). Counted when the result is
  ready because by then every fee is settled, so a closed day's facts stay true.
- returned: handed over that day; withdrawn / stopped: closed that day (a stop includes an
  expired supplement). Read from the day's `DossierEvent`s that move a dossier to 10, 7 or 8
  (the services write exactly one, at `returned_at` / `closed_at`): the event time is indexed.
- officer: the one who received the dossier. Stored in its own table (`DossierOfficerFact`,
  keyed day × center × agency × officer) rather than in the main key, which it would multiply.
- in progress (snapshot at the end of the day, or at `now` for today): accepted before that
  moment and neither resolved nor closed by then; overdue when `original_due_at` has passed
  by then, within time otherwise (no due time = within time). The due time read is the one
  the row holds when the rollup runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from motcua.catalog.models import Agency, Procedure
from motcua.core.calendar import LOCAL_TZ
from motcua.core.models import Center
from motcua.dossiers.models import Dossier, DossierEvent, DossierFee, DossierResult

ONLINE = Dossier.Channel.ONLINE
# Fact column ← dossier field: the key of every dossier fact row (the sector comes from the
# procedure). The unindexed channel leads the GROUP BY on purpose: led by an indexed column,
# SQLite walks that whole index to save a sort instead of using the filter's index.
KEY = {
    "channel": "channel",
    "center_id": "receiving_center_id",
    "agency_id": "competent_agency_id",
    "procedure_id": "procedure_id",
    "officer_id": "received_by_id",
}
FLOW_COUNTS = (
    "received", "received_online", "digitised", "resolved", "resolved_early", "resolved_on_time",
    "resolved_late", "resolved_online", "resolved_online_on_time", "fee_bearing", "paid_online",
    "e_results", "returned", "withdrawn", "stopped",
)  # fmt: skip
STOCK_COUNTS = ("in_progress", "in_progress_within_time", "in_progress_overdue")
MAIN_KEY = ("center_id", "agency_id", "sector_id", "procedure_id", "channel")
FULL_KEY = (*MAIN_KEY, "officer_id")
OFFICER_KEY = ("center_id", "agency_id", "officer_id")
Status = Dossier.Status
OPEN = [Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT]
RESOLVED = [Status.RESULT_READY, Status.RETURNED]
ENDED = [Status.WITHDRAWN, Status.STOPPED]
# The history rows that close a dossier (returned, or ended without a result), by new status.
CLOSING = {Status.RETURNED: "returned", Status.WITHDRAWN: "withdrawn", Status.STOPPED: "stopped"}


def online_fee_methods() -> list[str]:
    return list(settings.MOTCUA.get("REPORTS_ONLINE_FEE_METHODS", ["online"]))


def _grouped(queryset: QuerySet, figures: dict[str, Any]) -> Iterable[dict[str, Any]]:
    rows = queryset.order_by().values(*KEY.values()).annotate(**figures)
    sectors = sector_of()
    for row in rows:
        key = {fact: row.pop(field) for fact, field in KEY.items()}
        yield key | {"sector_id": sectors.get(key["procedure_id"])} | row


def sector_of() -> dict[int, int]:
    """Procedure → sector, read once: joining the procedure in the grouped queries makes
    SQLite walk the dossiers procedure by procedure instead of by the filtered index."""
    return dict(Procedure.objects.values_list("pk", "sector_id"))


# The conditions behind each count, shared with the drill-down (`motcua.reports.drill`), which
# lists the dossiers a figure counts: one definition, so the list always has the figure's length.
IS_ONLINE = Q(channel=ONLINE)
IS_DIGITISED = IS_ONLINE | Q(is_digitised=True)
# Of the resolved (annotated by `with_outcome`): late, early; on time is neither.
IS_LATE = Q(original_due_at__isnull=False, result_ready_at__gt=F("original_due_at"))
IS_EARLY = Q(original_due_at__isnull=False, done_day__lt=F("due_day")) & ~IS_LATE
HAS_FEE, PAID_ONLINE, E_RESULT = Q(has_fee=True), Q(paid_online_=True), Q(e_result=True)


def received_q(start: datetime, end: datetime) -> Q:
    return Q(accepted_at__gte=start, accepted_at__lt=end)


def resolved_q(start: datetime, end: datetime) -> Q:
    return Q(status__in=RESOLVED, result_ready_at__gte=start, result_ready_at__lt=end)


def with_outcome(dossiers: QuerySet) -> QuerySet:
    """The annotations `IS_EARLY`, `HAS_FEE`, `PAID_ONLINE` and `E_RESULT` read: the local days
    of the result and of the original due time, and whether a fee / online payment / e-result exists."""
    fees = DossierFee.objects.filter(dossier=OuterRef("pk"), amount__gt=0, quantity__gt=0)
    paid = DossierFee.objects.filter(dossier=OuterRef("pk"), paid=True, method__in=online_fee_methods())
    electronic = DossierResult.objects.filter(
        dossier=OuterRef("pk"), kind__in=[DossierResult.Kind.ELECTRONIC, DossierResult.Kind.BOTH]
    )
    return dossiers.annotate(
        done_day=TruncDate("result_ready_at", tzinfo=LOCAL_TZ),
        due_day=TruncDate("original_due_at", tzinfo=LOCAL_TZ),
        has_fee=Exists(fees), paid_online_=Exists(paid), e_result=Exists(electronic),
    )  # fmt: skip


def closing_events(start: datetime, end: datetime) -> QuerySet:
    """The history rows of [start, end) that return, withdraw or stop a dossier."""
    return DossierEvent.objects.filter(at__gte=start, at__lt=end, to_status__in=list(CLOSING)).exclude(
        from_status=F("to_status")
    )


def _received(start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    return _grouped(
        Dossier.objects.filter(received_q(start, end), receiving_center_id__in=_centers()),
        {
            "received": Count("pk"),
            "received_online": Count("pk", filter=IS_ONLINE),
            "digitised": Count("pk", filter=IS_DIGITISED),
        },
    )


def _resolved(start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    rows = with_outcome(Dossier.objects.filter(resolved_q(start, end), competent_agency_id__in=_agencies()))
    return _grouped(
        rows,
        {
            "resolved": Count("pk"),
            "resolved_early": Count("pk", filter=IS_EARLY),
            "resolved_late": Count("pk", filter=IS_LATE),
            "resolved_online": Count("pk", filter=IS_ONLINE),
            "resolved_online_late": Count("pk", filter=IS_ONLINE & IS_LATE),
            "fee_bearing": Count("pk", filter=HAS_FEE),
            "paid_online": Count("pk", filter=PAID_ONLINE),
            "e_results": Count("pk", filter=E_RESULT),
        },
    )


def _closed(start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    """Returned, withdrawn and stopped by the history rows of the day (their `at` is indexed;
    the dossier's `returned_at` / `closed_at` are not)."""
    events = closing_events(start, end)
    figures = {name: Count("pk", filter=Q(to_status=status)) for status, name in CLOSING.items()}
    rows = events.order_by().values(*(f"dossier__{field}" for field in KEY.values())).annotate(**figures)
    sectors = sector_of()
    for row in rows:
        key = {fact: row[f"dossier__{field}"] for fact, field in KEY.items()}
        yield key | {"sector_id": sectors.get(key["procedure_id"])} | {n: row[n] for n in figures}


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    late_online = row.pop("resolved_online_late", 0)
    row["resolved_on_time"] = row["resolved"] - row["resolved_early"] - row["resolved_late"]
    row["resolved_online_on_time"] = row["resolved_online"] - late_online
    return row


def dossier_flows(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The day's flow rows, one per key, every count present."""
    merged: dict[tuple, dict[str, Any]] = {}
    for part in (_received(start, end), _resolved(start, end), _closed(start, end)):
        for row in part:
            key = tuple(row[k] for k in FULL_KEY)
            target = merged.setdefault(key, {**{k: row[k] for k in FULL_KEY}, **dict.fromkeys(FLOW_COUNTS, 0),
                                             "resolved_online_late": 0})  # fmt: skip
            for name, value in row.items():
                if name not in FULL_KEY:
                    target[name] += value
    return [_finish(row) for row in merged.values()]


def dossier_stock(at: datetime) -> list[dict[str, Any]]:
    """Dossiers in progress at `at`, per key. Read as three index-friendly parts that are, by
    the workflow's invariants, exactly "accepted before `at`, neither resolved nor closed by
    then": still open now; resolved (9, 10) at or after `at`; withdrawn or stopped at or after."""
    still_open, resolved_later, ended_later = stock_parts(at)
    parts = (
        with_accepted(Dossier.objects.all()).filter(still_open),
        Dossier.objects.filter(resolved_later, competent_agency_id__in=_agencies()),
        Dossier.objects.filter(ended_later),
    )
    figures = {"in_progress": Count("pk"), "in_progress_overdue": Count("pk", filter=overdue_q(at))}
    merged: dict[tuple, dict[str, Any]] = {}
    for part in parts:
        for row in _grouped(part, figures):
            target = merged.setdefault(
                tuple(row[k] for k in FULL_KEY), {**row, "in_progress": 0, "in_progress_overdue": 0}
            )
            target["in_progress"] += row["in_progress"]
            target["in_progress_overdue"] += row["in_progress_overdue"]
    return [
        row | {"in_progress_within_time": row["in_progress"] - row["in_progress_overdue"]} for row in merged.values()
    ]


def with_accepted(dossiers: QuerySet) -> QuerySet:
    """The `accepted` annotation `stock_parts` reads. Open dossiers are few: found by status. The
    acceptance time is compared through an expression so that SQLite does not walk the (center,
    accepted) index over the whole year."""
    return dossiers.annotate(accepted=Coalesce("accepted_at", "submitted_at"))


def stock_parts(at: datetime) -> tuple[Q, Q, Q]:
    """In progress at `at`: still open (needs `with_accepted`); resolved at or after `at`; or
    withdrawn or stopped at or after `at` — each accepted before `at`."""
    return (
        Q(status__in=OPEN, accepted__lt=at),
        Q(accepted_at__lt=at, status__in=RESOLVED, result_ready_at__gte=at),
        Q(accepted_at__lt=at, status__in=ENDED, closed_at__gte=at),
    )


def overdue_q(at: datetime) -> Q:
    return Q(original_due_at__lt=at)


def _agencies() -> list[int]:
    """Every agency id: an IN list on the leading column lets PostgreSQL use the (agency,
    status, result time) index for a range of result times (SQLite skip-scans it anyway)."""
    return list(Agency.objects.values_list("pk", flat=True))


def _centers() -> list[int]:
    return list(Center.objects.values_list("pk", flat=True))


def by_officer(rows: Iterable[dict[str, Any]], counts: Iterable[str]) -> dict[tuple, dict[str, Any]]:
    """Rows summed per day's officer key (center, agency, officer)."""
    names, summed = list(counts), dict[tuple, dict[str, Any]]()
    for row in rows:
        key = tuple(row[k] for k in OFFICER_KEY)
        target = summed.setdefault(key, {**{k: row[k] for k in OFFICER_KEY}, **dict.fromkeys(names, 0)})
        for name in names:
            target[name] += row[name]
    return summed


def split_officers(flows: list[dict[str, Any]], stock: list[dict[str, Any]]) -> tuple[list, list, list]:
    """(flows without the officer, stock without the officer, officer rows with both): the
    officer multiplies the main key's rows several times over, so it has its own table."""
    officers = by_officer(flows, FLOW_COUNTS)
    for key, row in by_officer(stock, STOCK_COUNTS).items():
        officers.setdefault(key, {**row, **dict.fromkeys(FLOW_COUNTS, 0)}).update(
            {name: row[name] for name in STOCK_COUNTS}
        )
    for row in officers.values():
        for name in STOCK_COUNTS:
            row.setdefault(name, 0)
    return _drop_officer(flows, FLOW_COUNTS), _drop_officer(stock, STOCK_COUNTS), list(officers.values())


def _drop_officer(rows: list[dict[str, Any]], counts: Iterable[str]) -> list[dict[str, Any]]:
    names, summed = list(counts), dict[tuple, dict[str, Any]]()
    for row in rows:
        key = tuple(row[k] for k in MAIN_KEY)
        target = summed.setdefault(key, {**{k: row[k] for k in MAIN_KEY}, **dict.fromkeys(names, 0)})
        for name in names:
            target[name] += row[name]
    return list(summed.values())
