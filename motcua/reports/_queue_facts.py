"""One day's queue and rating facts, computed by grouped queries (ADR 0010 §3).

Definitions follow `queueing.kpis` so the "today" page and the dashboards agree:

- the day is the ticket's business date, the hour the local hour it was issued (arrivals);
  the counter and officer are the ticket's last ones (who served it, or marked it absent);
- tickets: every ticket of the day; issued: those not created by a transfer;
  served: done; no_shows, transferred: ended so;
- wait: from issue to the *first* call (a recycled no-show is called again later, but the
  citizen's wait ended at the first call); walk-ins (counter tickets not from a transfer)
  never waited and are left out;
- service: from start to finish of tickets done after a start;
- histograms: bucket i counts durations in [EDGES[i], EDGES[i+1]) minutes, the last one
  EDGES[-1] minutes and over.
- ratings: ticket ratings by their local day, per center, queue, counter, officer;
  assessments: dossier assessments by their local day, keyed like the dossier facts (the
  officer is the one who received the dossier).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import ExtractHour

from motcua.core.calendar import LOCAL_TZ
from motcua.core.models import Center
from motcua.feedback.models import Answer, DossierAssessment, TicketRating
from motcua.queueing.models import Queue, Ticket, TicketEvent

from ._dossier_facts import sector_of
from .models import BUCKETS, HISTOGRAM_EDGES

Status = Ticket.Status
CALLED_ACTION = "queueing.ticket.called"
WALK_IN = Q(channel=Ticket.Channel.COUNTER, transferred_from__isnull=True)
TICKET_KEY = ("hour", "center_id", "queue_id", "counter_id", "officer_id")  # unindexed first: see _dossier_facts.KEY
QUEUE_KEY = ("hour", "center_id", "queue_id")  # TicketQueueFact
STAFF_KEY = ("center_id", "counter_id", "officer_id")  # TicketStaffFact
RATING_KEY = ("center_id", "queue_id", "counter_id", "officer_id")
ASSESSMENT_KEY = {
    "center_id": "center_id",
    "agency_id": "agency_id",
    "procedure_id": "procedure_id",
    "officer_id": "dossier__received_by_id",
}
ANSWERS = (Answer.VERY_SATISFIED.value, Answer.SATISFIED.value, Answer.NOT_SATISFIED.value)


def _seconds(value: Any) -> float:
    """Sums of durations: timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000


def _bucket_filter(duration: str, index: int) -> Q:
    """`duration` (an annotation) in bucket `index`: [EDGES[i], EDGES[i+1]) minutes."""
    condition = Q(**{f"{duration}__gte": timedelta(minutes=HISTOGRAM_EDGES[index])})
    if index + 1 < BUCKETS:
        condition &= Q(**{f"{duration}__lt": timedelta(minutes=HISTOGRAM_EDGES[index + 1])})
    return condition


def _tickets(day: date) -> Any:
    first_event = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), action=CALLED_ACTION).order_by("at", "pk").values("at")[:1]
    )
    first_call = Case(
        When(recycled=True, then=Subquery(first_event, output_field=DateTimeField())),
        default=F("called_at"),
        output_field=DateTimeField(),
    )
    # Every queue as an IN list: the (queue, business date, status) index then finds the day.
    queues = list(Queue.objects.values_list("pk", flat=True))
    return Ticket.objects.filter(queue_id__in=queues, business_date=day).annotate(
        first_call=first_call,
        hour=ExtractHour("issued_at", tzinfo=LOCAL_TZ),
        wait=ExpressionWrapper(F("first_call") - F("issued_at"), output_field=DurationField()),
        service=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()),
    )


def _ticket_figures() -> dict[str, Any]:
    waited = Q(first_call__isnull=False) & ~WALK_IN
    served = Q(status=Status.DONE, started_at__isnull=False, finished_at__isnull=False)
    figures: dict[str, Any] = {
        "tickets": Count("pk"),
        "issued": Count("pk", filter=Q(transferred_from__isnull=True)),
        "served": Count("pk", filter=Q(status=Status.DONE)),
        "no_shows": Count("pk", filter=Q(status=Status.NO_SHOW)),
        "transferred": Count("pk", filter=Q(status=Status.TRANSFERRED)),
        "wait_seconds_sum": Sum("wait", filter=waited),
        "wait_count": Count("pk", filter=waited),
        "service_seconds_sum": Sum("service", filter=served),
        "service_count": Count("pk", filter=served),
    }
    for i in range(BUCKETS):
        figures[f"wait_{i}"] = Count("pk", filter=waited & _bucket_filter("wait", i))
        figures[f"service_{i}"] = Count("pk", filter=served & _bucket_filter("service", i))
    return figures


def ticket_rows(day: date) -> list[dict[str, Any]]:
    rows = list(_tickets(day).order_by().values(*TICKET_KEY).annotate(**_ticket_figures()))
    for row in rows:
        row["wait_seconds_sum"] = _seconds(row["wait_seconds_sum"])
        row["service_seconds_sum"] = _seconds(row["service_seconds_sum"])
    return rows


def summed(ticket_rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """The ticket rows summed over the parts of `TICKET_KEY` not in `key` (the coarser facts)."""
    sums: dict[tuple, dict[str, Any]] = {}
    for row in ticket_rows:
        values = tuple(row[name] for name in key)
        target = sums.setdefault(values, dict(zip(key, values, strict=True)))
        for name, value in row.items():
            if name not in TICKET_KEY:
                target[name] = target.get(name, 0) + value
    return list(sums.values())


def rating_rows(start: datetime, end: datetime) -> list[dict[str, Any]]:
    counts = {answer: Count("pk", filter=Q(answer=answer)) for answer in ANSWERS}
    centers = list(Center.objects.values_list("pk", flat=True))  # the (center, at) index
    ratings = TicketRating.objects.filter(center_id__in=centers, at__gte=start, at__lt=end)
    rows = ratings.order_by().values(*RATING_KEY).annotate(**counts)
    return list(rows)


def assessment_rows(start: datetime, end: datetime) -> list[dict[str, Any]]:
    figures: dict[str, Any] = {"count": Count("pk"), "total_sum": Sum("total")}
    figures |= {answer: Count("pk", filter=Q(overall=answer)) for answer in ANSWERS}
    rows = (
        DossierAssessment.objects.filter(center_id__in=list(Center.objects.values_list("pk", flat=True)))
        .filter(at__gte=start, at__lt=end)
        .order_by()
        .values(*ASSESSMENT_KEY.values())
        .annotate(**figures)
    )
    result, sectors = [], sector_of()
    for row in rows:
        key = {fact: row.pop(field) for fact, field in ASSESSMENT_KEY.items()}
        key["sector_id"] = sectors.get(key["procedure_id"])
        result.append(key | row | {"total_sum": row["total_sum"] or 0})
    return result
