"""Staffing advice (ADR 0010 §5): for each queue and hour of a typical working day, the counters
Erlang C says are needed to serve a target share within a target wait, beside those that served.

Read from the raw tickets of one center over recent weeks (closed days only): arrivals by hour
of issue, the mean service time of the queue, and the counters that called its numbers in each
hour. A typical day is the mean over the days that had tickets, Monday to Friday by default.
A counter serving two queues counts for both: the advice is per queue, the hall shares counters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from motcua.core.calendar import LOCAL_TZ
from motcua.core.models import Center
from motcua.queueing.models import Queue, Ticket

from .erlang import Staffing, counters_needed

HOURS = range(7, 18)


@dataclass(frozen=True)
class HourAdvice:
    hour: int
    arrivals: float  # mean numbers issued in this hour of a typical day
    advice: Staffing | None  # None when nobody comes
    served_by: float  # mean counters that called this queue's numbers in this hour

    @property
    def short(self) -> bool:
        """Clearly fewer counters than needed. Below one arrival an hour the mean of counters that
        called is diluted by the days nobody came, so such hours are not flagged."""
        return self.advice is not None and self.arrivals >= 1 and self.served_by + 0.5 < self.advice.counters


@dataclass(frozen=True)
class QueueAdvice:
    queue: Queue
    service_seconds: float
    hours: list[HourAdvice]


def _tickets(center: Center, start: date, end: date, weekdays: tuple[int, ...]) -> Any:
    # No ordering: the model's default order would enter every DISTINCT below and count each row.
    return Ticket.objects.filter(center=center, business_date__gte=start, business_date__lte=end).annotate(
        weekday=ExtractIsoWeekDay("business_date")
    ).filter(weekday__in=weekdays).order_by()


def _days(tickets: Any) -> int:
    return tickets.values("business_date").distinct().count()


def _arrivals(tickets: Any) -> dict[tuple[int, int], int]:
    rows = (tickets.filter(transferred_from__isnull=True).annotate(hour=ExtractHour("issued_at", tzinfo=LOCAL_TZ))
            .values("queue_id", "hour").annotate(n=Count("pk")))  # fmt: skip
    return {(row["queue_id"], row["hour"]): row["n"] for row in rows}


def _service_seconds(tickets: Any) -> dict[int, float]:
    served = tickets.filter(status=Ticket.Status.DONE, started_at__isnull=False, finished_at__isnull=False)
    rows = served.annotate(
        service=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    ).values("queue_id").annotate(mean=Avg("service"))
    return {row["queue_id"]: _seconds(row["mean"]) for row in rows if row["mean"] is not None}


def _seconds(value: Any) -> float:
    """Averages of durations: timedelta on PostgreSQL, microseconds on SQLite."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value) / 1_000_000


def _served_by(tickets: Any) -> dict[tuple[int, int], int]:
    """(queue, hour) → number of (day, counter) pairs that called a number of the queue then."""
    rows = (tickets.filter(~Q(counter=None), called_at__isnull=False)
            .annotate(hour=ExtractHour("called_at", tzinfo=LOCAL_TZ))
            .values("queue_id", "hour", "business_date", "counter_id").distinct())  # fmt: skip
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        pairs[(row["queue_id"], row["hour"])] += 1
    return pairs


def staffing_advice(
    *, center: Center, start: date, end: date, target_share: float, target_seconds: float,
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5), default_service_seconds: float | None = None,
) -> list[QueueAdvice]:  # fmt: skip
    """Advice per active queue of `center` from its tickets of [start, end] (ISO weekdays)."""
    tickets = _tickets(center, start, end, weekdays)
    days = _days(tickets)
    arrivals, service, served = _arrivals(tickets), _service_seconds(tickets), _served_by(tickets)
    advice = []
    for queue in Queue.objects.filter(center=center, is_active=True).order_by("code"):
        seconds = service.get(queue.pk) or default_service_seconds or queue.default_service_minutes * 60
        hours = [_hour(queue.pk, hour, days, arrivals, served, seconds, target_share, target_seconds) for hour in HOURS]
        advice.append(QueueAdvice(queue, seconds, hours))
    return advice


def _hour(queue_id: int, hour: int, days: int, arrivals: dict, served: dict, seconds: float,
          share: float, target: float) -> HourAdvice:  # fmt: skip
    rate = arrivals.get((queue_id, hour), 0) / days if days else 0.0
    staffing = counters_needed(arrivals_per_hour=rate, service_seconds=seconds, target_share=share,
                               target_seconds=target) if rate else None  # fmt: skip
    return HourAdvice(hour, rate, staffing, served.get((queue_id, hour), 0) / days if days else 0.0)
