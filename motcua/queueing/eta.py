"""Waiting-time estimate (empirical).

    wait ≈ tickets ahead × recent median service time ÷ open counters serving the queue

The median is taken over tickets of the same queue finished in the last `ETA_WINDOW_MINUTES`
today; with fewer than `ETA_MIN_SAMPLE` of them the queue's `default_service_minutes` is used.
`bench/eta_sim.py` measures the error of this estimate against simulated days.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from motcua.core.models import Center

from .models import Counter, Queue, Ticket

Status = Ticket.Status


@dataclass(frozen=True)
class Estimate:
    people_ahead: int
    minutes: int | None  # None: no counter is open for the queue, so no honest figure exists
    basis: str  # "observed" (recent median) or "default" (the queue's configured time)


def _ahead_filter(ticket: Ticket) -> Q:
    """Waiting tickets that will be called before `ticket` (priority rank first, then queued_at)."""
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)
    if ticket.priority_id is None:
        return Q(priority__isnull=False) | (Q(priority__isnull=True) & earlier)
    rank = ticket.priority.rank if ticket.priority else 0
    return Q(priority__rank__lt=rank) | (Q(priority__rank=rank) & earlier)


def service_samples(queue: Queue, now: datetime) -> list[float]:
    """Service times (minutes) of the tickets of `queue` finished in the last `ETA_WINDOW_MINUTES`."""
    since = now - timedelta(minutes=settings.MOTCUA["ETA_WINDOW_MINUTES"])
    rows = Ticket.objects.filter(
        queue=queue, status=Status.DONE, started_at__isnull=False, finished_at__gte=since, finished_at__lte=now
    ).values_list("started_at", "finished_at").order_by()  # no Meta ordering: it joins queue and center to sort
    return [(end - start).total_seconds() / 60 for start, end in rows if start and end]


def service_minutes(queue: Queue, now: datetime) -> tuple[float, str]:
    """Median service time of recent tickets of `queue`, or its default when too few were served."""
    return typical_service(service_samples(queue, now), queue.default_service_minutes)


def typical_service(samples: list[float], default: float) -> tuple[float, str]:
    # The median, not the mean: one ticket left "serving" over lunch must not double every
    # estimate of the afternoon. (The simulation's log-normal times favour the mean by ~6 %.)
    if len(samples) < settings.MOTCUA["ETA_MIN_SAMPLE"]:
        return float(default), "default"
    return statistics.median(samples), "observed"


def wait_minutes(*, ahead: int, samples: list[float], default: float, counters: int) -> tuple[int | None, str]:
    """(minutes, basis) from plain numbers: fed by the database here, by `bench/eta_sim.py` there.

    The simulation also tried a mean instead of the median, counting a shared counter by its
    weight share, and adding the time until a desk frees up; none cut the error by more than
    ~6 %, so the rule stays this simple one (bench/README.md has the figures).
    """
    minutes, basis = typical_service(samples, default)
    if counters <= 0:
        return None, basis
    return math.ceil(ahead * minutes / counters), basis


def open_counters(queue: Queue) -> int:
    return Counter.objects.filter(queue_links__queue=queue, state=Counter.State.OPEN).count()


def _estimate(queue: Queue, ahead: int, now: datetime) -> Estimate:
    minutes, basis = wait_minutes(
        ahead=ahead, samples=service_samples(queue, now), default=queue.default_service_minutes,
        counters=open_counters(queue),
    )  # fmt: skip
    return Estimate(ahead, minutes, basis)


def estimate_for_ticket(ticket: Ticket, *, now: datetime | None = None) -> Estimate:
    """People ahead of a waiting `ticket` and the minutes until it is likely called."""
    now = now or timezone.now()
    if ticket.status != Status.WAITING:
        return Estimate(0, 0, "default")
    waiting = Ticket.objects.filter(queue=ticket.queue, business_date=ticket.business_date, status=Status.WAITING)
    return _estimate(ticket.queue, waiting.filter(_ahead_filter(ticket)).count(), now)


def estimate_for_queue(queue: Queue, *, business_date: date, now: datetime | None = None) -> Estimate:
    """What a normal ticket issued now would face: everyone already waiting is ahead."""
    now = now or timezone.now()
    ahead = Ticket.objects.filter(queue=queue, business_date=business_date, status=Status.WAITING).count()
    return _estimate(queue, ahead, now)


def estimates_for_center(*, center: Center, business_date: date, now: datetime | None = None) -> dict[str, Estimate]:
    """`estimate_for_queue` for every active queue of `center` at once, in four queries.

    Boards show a wait per queue and refresh it often, so the per-queue path (three queries per
    queue) would cost a board of fourteen queues forty queries each time.
    """
    now = now or timezone.now()
    queues = list(Queue.objects.filter(center=center, is_active=True).order_by())
    waiting = _counts_by_queue(Ticket.objects.filter(center=center, business_date=business_date, status=Status.WAITING))
    counters = _counts_by_queue(
        Counter.objects.filter(center=center, state=Counter.State.OPEN).values(queue_id=F("queue_links__queue"))
    )
    samples = _samples_by_queue(center, now)
    estimates = {}
    for queue in queues:
        ahead = waiting.get(queue.pk, 0)
        minutes, basis = wait_minutes(
            ahead=ahead, samples=samples.get(queue.pk, []), default=queue.default_service_minutes,
            counters=counters.get(queue.pk, 0),
        )  # fmt: skip
        estimates[queue.code] = Estimate(ahead, minutes, basis)
    return estimates


def _counts_by_queue(rows: QuerySet[Any]) -> dict[int, int]:
    grouped = rows.order_by().values("queue_id").annotate(n=Count("pk")).values_list("queue_id", "n")
    return {queue_id: n for queue_id, n in grouped if queue_id is not None}


def _samples_by_queue(center: Center, now: datetime) -> dict[int, list[float]]:
    since = now - timedelta(minutes=settings.MOTCUA["ETA_WINDOW_MINUTES"])
    rows = Ticket.objects.filter(
        center=center, status=Status.DONE, started_at__isnull=False, finished_at__gte=since, finished_at__lte=now
    ).order_by().values_list("queue_id", "started_at", "finished_at")
    samples: dict[int, list[float]] = {}
    for queue_id, start, end in rows:
        if start and end:
            samples.setdefault(queue_id, []).append((end - start).total_seconds() / 60)
    return samples
