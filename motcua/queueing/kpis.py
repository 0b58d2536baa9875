"""The queue's day in figures, for the center leader's "today" page: per queue, counter, officer.

Definitions (one place, so the page, exports and tests agree):

- issued: tickets that entered the queue that day by the kiosk, the web or a walk-in at a desk;
  a ticket created by a transfer is counted as `transferred_in`, not as issued again.
- served: tickets finished (`done`), whether or not service was started first.
- waiting: tickets waiting now (only meaningful for today).
- no_shows / transferred / walk_ins: tickets that ended as no-show, were sent to another
  queue, or were served at the desk without a number.
- wait: from the ticket's issue to its *first* call (a recall does not move the call time; a
  recycled no-show is called again later, but the citizen's wait ended at the first call). A
  transferred citizen gets a new ticket issued at the moment of the transfer, so they wait again
  in the new queue, measured from then. Walk-ins never waited and are left out of the waits.
- walk-up: from the (last) call to the start of service: the citizen crossing the hall. A long
  walk-up at one counter says its number is hard to see or hear from the seats.
- service: from start to finish of tickets served after a start.

Every figure is computed by the database in one grouped query per breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from motcua.core.models import Center

from .models import Counter, Queue, Ticket, TicketEvent

Status = Ticket.Status
CALLED_ACTION = "queueing.ticket.called"

_WALK_IN = Q(channel=Ticket.Channel.COUNTER, transferred_from__isnull=True)


@dataclass(frozen=True)
class KpiRow:
    """The figures of one queue, counter or officer (or the whole center when `key` is None)."""

    key: Any
    issued: int = 0
    transferred_in: int = 0
    called: int = 0
    served: int = 0
    waiting: int = 0
    no_shows: int = 0
    transferred: int = 0
    walk_ins: int = 0
    avg_wait: timedelta | None = None
    max_wait: timedelta | None = None
    avg_service: timedelta | None = None
    avg_walk_up: timedelta | None = None


def _day_tickets(center: Center, business_date: date) -> QuerySet[Ticket]:
    """The day's tickets with `wait` and `service` computed per row by the database."""
    first_call = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), action=CALLED_ACTION).order_by("at", "pk").values("at")[:1]
    )
    return (
        Ticket.objects.filter(center=center, business_date=business_date)
        .annotate(first_call=Subquery(first_call, output_field=DateTimeField()))
        .annotate(
            wait=ExpressionWrapper(F("first_call") - F("issued_at"), output_field=DurationField()),
            service=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()),
            walk_up=ExpressionWrapper(F("started_at") - F("called_at"), output_field=DurationField()),
        )
    )


def _figures() -> dict[str, Any]:
    waited = Q(first_call__isnull=False) & ~_WALK_IN
    served_after_start = Q(status=Status.DONE, started_at__isnull=False)
    return {
        "issued": Count("pk", filter=Q(transferred_from__isnull=True)),
        "transferred_in": Count("pk", filter=Q(transferred_from__isnull=False)),
        "called": Count("pk", filter=Q(first_call__isnull=False) | _WALK_IN),
        "served": Count("pk", filter=Q(status=Status.DONE)),
        "waiting": Count("pk", filter=Q(status=Status.WAITING)),
        "no_shows": Count("pk", filter=Q(status=Status.NO_SHOW)),
        "transferred": Count("pk", filter=Q(status=Status.TRANSFERRED)),
        "walk_ins": Count("pk", filter=_WALK_IN),
        "avg_wait": Avg("wait", filter=waited),
        "max_wait": Max("wait", filter=waited),
        "avg_service": Avg("service", filter=served_after_start),
        "avg_walk_up": Avg("walk_up", filter=Q(started_at__isnull=False) & ~_WALK_IN),
    }


def _as_timedelta(value: Any) -> timedelta | None:
    """Averages of durations come back as timedelta on PostgreSQL, microseconds on SQLite."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=float(value))


def _row(key: Any, values: dict[str, Any]) -> KpiRow:
    counts = ("issued", "transferred_in", "called", "served", "waiting", "no_shows", "transferred", "walk_ins")
    figures: dict[str, Any] = {name: values.get(name) or 0 for name in counts}
    durations = ("avg_wait", "max_wait", "avg_service", "avg_walk_up")
    figures |= {name: _as_timedelta(values.get(name)) for name in durations}
    return KpiRow(key=key, **figures)


def _grouped(center: Center, business_date: date, field: str) -> dict[Any, KpiRow]:
    rows = _day_tickets(center, business_date).order_by().values(field).annotate(**_figures())
    return {row[field]: _row(row[field], row) for row in rows}


def kpi_total(*, center: Center, business_date: date) -> KpiRow:
    """The whole center's figures for the day."""
    return _row(None, _day_tickets(center, business_date).aggregate(**_figures()))


def kpi_by_queue(*, center: Center, business_date: date) -> list[tuple[Queue, KpiRow]]:
    """Every queue of the center (active ones even without a ticket), in code order."""
    rows = _grouped(center, business_date, "queue_id")
    queues = Queue.objects.filter(center=center).filter(Q(is_active=True) | Q(pk__in=rows.keys())).order_by("code")
    return [(queue, rows.get(queue.pk) or KpiRow(key=queue.pk)) for queue in queues]


def kpi_by_counter(*, center: Center, business_date: date) -> list[tuple[Counter, KpiRow]]:
    """Every counter of the center by number; a ticket belongs to the counter that last called it."""
    rows = _grouped(center, business_date, "counter_id")
    counters = Counter.objects.filter(center=center).select_related("floor", "officer").order_by("number")
    return [(counter, rows.get(counter.pk) or KpiRow(key=counter.pk)) for counter in counters]


def kpi_by_officer(*, center: Center, business_date: date) -> list[tuple[Any, KpiRow]]:
    """Officers who called or served a ticket at the center that day, busiest first."""
    from django.contrib.auth import get_user_model

    rows = _grouped(center, business_date, "officer_id")
    officers = get_user_model().objects.filter(pk__in=[k for k in rows if k is not None])
    pairs = [(officer, rows[officer.pk]) for officer in officers]
    return sorted(pairs, key=lambda pair: (-pair[1].served, str(pair[0])))


@dataclass(frozen=True)
class FloorNow:
    """The hall at this moment, for the live floor: what the leader looks at first."""

    counters_open: int
    counters_total: int
    calls_last_hour: int
    longest_wait: timedelta | None  # of the citizens waiting now
    oldest_by_queue: dict[int, timedelta]  # queue id → how long its first waiting citizen has waited


def floor_now(*, center: Center, business_date: date, now: Any) -> FloorNow:
    waiting = Ticket.objects.filter(center=center, business_date=business_date, status=Status.WAITING)
    oldest = {row["queue_id"]: now - row["since"] for row in
              waiting.order_by().values("queue_id").annotate(since=Min("issued_at"))}  # fmt: skip
    counters = Counter.objects.filter(center=center).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(state=Counter.State.OPEN))
    )
    calls = TicketEvent.objects.filter(
        ticket__center=center, action=CALLED_ACTION, at__gt=now - timedelta(hours=1), at__lte=now
    ).count()
    return FloorNow(
        counters_open=counters["open"], counters_total=counters["total"], calls_last_hour=calls,
        longest_wait=max(oldest.values(), default=None), oldest_by_queue=oldest,
    )  # fmt: skip
