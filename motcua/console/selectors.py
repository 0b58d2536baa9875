"""Reads of the counter console, each limited to what the user may see (DESIGN rule 9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet

from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user
from motcua.core.models import Center
from motcua.queueing.models import Counter, CounterQueue, Queue, Ticket

Status = Ticket.Status
AT_DESK = (Status.CALLED, Status.SERVING)
HANDLED = (Status.DONE, Status.NO_SHOW, Status.TRANSFERRED, Status.CANCELLED)
COUNTER_ROLES = (Role.RECEPTION_OFFICER, Role.CENTER_LEADER)
LEADER_ROLES = (Role.CENTER_LEADER, Role.ADMINISTRATOR)


def _center_filter(user: Any, roles: tuple[str, ...], field_name: str) -> Q | None:
    """None: no limit (province-wide); otherwise the centers where the user holds `roles`."""
    scope = scope_for_user(user)
    if scope.province_wide:
        return None
    return Q(**{f"{field_name}__in": scope.center_ids_for(*roles)})


def may_use_console(user: Any) -> bool:
    scope = scope_for_user(user)
    return scope.province_wide or bool(scope.center_ids_for(*COUNTER_ROLES))


def counter_list_for_user(*, user: Any) -> QuerySet[Counter]:
    """Counters of the centers where the user may sit (reception officers and leaders)."""
    counters = Counter.objects.select_related("center", "floor", "officer").prefetch_related(
        Prefetch("queue_links", CounterQueue.objects.select_related("queue").order_by("-weight", "queue__code"))
    )
    limit = _center_filter(user, COUNTER_ROLES, "center_id")
    if limit is not None:
        counters = counters.filter(limit)
    return counters.filter(center__is_active=True).order_by("center__ordering", "center__name", "number")


def counter_get_for_user(*, user: Any, pk: int) -> Counter | None:
    return counter_list_for_user(user=user).filter(pk=pk).first()


def counter_of_officer(*, user: Any) -> Counter | None:
    """The counter the user is seated at, if any (one at most: the database guarantees it)."""
    return Counter.objects.filter(officer_id=user.pk).first()


def counter_current_ticket(*, counter: Counter) -> Ticket | None:
    """The citizen at the desk: the ticket called (or being served) by `counter`."""
    return (
        Ticket.objects.filter(counter=counter, status__in=AT_DESK)
        .select_related("queue", "priority")
        .order_by("-called_at", "-pk")
        .first()
    )


@dataclass
class QueueWaiting:
    queue: Queue
    weight: int
    waiting: int = 0
    upcoming: list[Ticket] = field(default_factory=list)


def counter_waiting(*, counter: Counter, business_date: date, preview: int = 5) -> list[QueueWaiting]:
    """Waiting count of each queue the counter serves, and the first few in call order."""
    links = CounterQueue.objects.filter(counter=counter).select_related("queue").order_by("-weight", "queue__code")
    rows = [QueueWaiting(queue=link.queue, weight=link.weight) for link in links]
    waiting = Ticket.objects.filter(
        queue__in=[row.queue for row in rows], business_date=business_date, status=Status.WAITING
    )
    counts = dict(waiting.order_by().values_list("queue_id").annotate(n=Count("pk")))
    call_order = (F("priority__rank").asc(nulls_last=True), "queued_at", "pk")
    for row in rows:
        row.waiting = counts.get(row.queue.pk, 0)
        if row.waiting:
            row.upcoming = list(
                waiting.filter(queue=row.queue).select_related("priority").order_by(*call_order)[:preview]
            )
    return rows


def counter_handled_today(*, counter: Counter, business_date: date, limit: int = 50) -> QuerySet[Ticket]:
    """Tickets this counter finished today, newest first."""
    return (
        Ticket.objects.filter(counter=counter, business_date=business_date, status__in=HANDLED)
        .select_related("queue", "priority", "officer")
        .annotate(
            wait=ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField()),
            service=ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField()),
        )
        .order_by("-finished_at", "-pk")[:limit]
    )


def counter_served_today(*, counter: Counter, business_date: date) -> int:
    return Ticket.objects.filter(counter=counter, business_date=business_date, status=Status.DONE).count()


def queue_list_for_transfer(*, counter: Counter, ticket: Ticket | None) -> QuerySet[Queue]:
    """Active queues of the counter's center a citizen at the desk may be sent to."""
    queues = Queue.objects.filter(center_id=counter.center_id, is_active=True).order_by("code")
    return queues.exclude(pk=ticket.queue_id) if ticket is not None else queues


def queue_get_for_counter(*, counter: Counter, pk: int | None) -> Queue | None:
    """A queue of the counter's own center (never another center's, whatever the form says)."""
    if pk is None:
        return None
    return Queue.objects.filter(center_id=counter.center_id, pk=pk).first()


def center_list_for_leader(*, user: Any) -> QuerySet[Center]:
    """Centers whose "today" page the user may read: leaders and administrators of them."""
    centers = Center.objects.filter(is_active=True).order_by("ordering", "name")
    limit = _center_filter(user, LEADER_ROLES, "pk")
    return centers if limit is None else centers.filter(limit)


def counter_list_live(*, center: Center) -> list[tuple[Counter, Ticket | None]]:
    """Every counter of `center` with who sits there and the ticket at its desk, in two queries."""
    counters = list(Counter.objects.filter(center=center).select_related("floor", "officer").order_by("number"))
    at_desk = Ticket.objects.filter(counter__in=counters, status__in=AT_DESK).select_related("queue", "priority")
    current = {ticket.counter_id: ticket for ticket in at_desk.order_by("called_at", "pk")}
    return [(counter, current.get(counter.pk)) for counter in counters]
