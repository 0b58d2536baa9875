"""Calling: the next ticket for a counter, a specific number, or a walk-in served at once.

Who is next: priority tickets first (lowest rank), unless the counter has called
`QUEUE_MAX_PRIORITY_IN_ROW` of them in a row and a normal ticket waits (anti-starvation);
among the heads of the counter's queues, the longest wait multiplied by the queue's weight at
this counter wins. A ticket is claimed by a conditional UPDATE … WHERE status = 'waiting', which
only one caller can win; on PostgreSQL, SKIP LOCKED keeps callers from queueing on the same head.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import QueueingError
from ..models import Counter, CounterQueue, PriorityClass, Queue, Ticket
from ._common import Status, business_date_of, ensure_open, ensure_seated, record_event
from .issuing import new_ticket
from .tickets import move

# A conditional claim can lose to another caller only on a database without row locks; a few
# retries are plenty because each loss means someone else made progress.
_CLAIM_ATTEMPTS = 10
# The relations loaded with the ticket `ticket_call_next` returns.
CALLED_RELATIONS = ("center", "queue", "priority", "counter__floor", "transferred_from")


def _locked_counter(counter: Counter, officer: Any) -> Counter:
    """The counter row, locked (one caller per counter at a time), checked for seat and state."""
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    ensure_seated(counter, officer)
    ensure_open(counter)
    return counter


def _finish_current(counter: Counter, officer: Any, now: datetime) -> None:
    current = Ticket.objects.select_for_update(of=("self",)).filter(counter=counter, status__in=[Status.CALLED, Status.SERVING])
    for ticket in current.select_related("counter").order_by("pk"):
        move(ticket, Status.DONE, actor=officer, now=now)


def _head(qs: QuerySet[Ticket], *order: Any) -> Ticket | None:
    # SQLite has no row locks: select_for_update is a no-op there and the claim decides.
    return qs.select_related("priority").order_by(*order, "pk").select_for_update(skip_locked=True, of=("self",)).first()


# A queue's first ticket: priority ones by rank, then normal ones, each by time queued.
_FIRST = (F("priority__rank").asc(nulls_last=True), "queued_at")


def _heads(counter: Counter, now: datetime) -> tuple[list[tuple[Ticket, int]], list[tuple[Ticket, int]]]:
    """(priority heads, normal heads) of the counter's queues, each with the queue's weight.

    One query per queue reads its first ticket: when that one is normal, no (unlocked) priority
    ticket waits there. The normal head behind priority tickets matters only when the counter may
    have to pass priority over (anti-starvation), so only then is it read.
    """
    day, priority_heads, normal_heads, behind = business_date_of(now), [], [], []
    for queue_id, weight in CounterQueue.objects.filter(counter=counter).values_list("queue_id", "weight"):
        waiting = Ticket.objects.filter(queue_id=queue_id, business_date=day, status=Status.WAITING)
        head = _head(waiting, *_FIRST)
        if head is not None and head.priority_id is None:
            normal_heads.append((head, weight))
        elif head is not None:
            priority_heads.append((head, weight))
            behind.append((waiting, weight))
    if priority_heads and counter.priority_streak >= settings.MOTCUA["QUEUE_MAX_PRIORITY_IN_ROW"]:
        for waiting, weight in behind:
            if head := _head(waiting.filter(priority__isnull=True), "queued_at"):
                normal_heads.append((head, weight))
    return priority_heads, normal_heads


def _weighted_wait(now: datetime, head: tuple[Ticket, int]) -> tuple[float, int]:
    ticket, weight = head
    return (max((now - ticket.queued_at).total_seconds(), 0.0) + 1.0) * max(weight, 1), -ticket.pk


def _choose(counter: Counter, now: datetime) -> Ticket | None:
    priority_heads, normal_heads = _heads(counter, now)
    starving = counter.priority_streak >= settings.MOTCUA["QUEUE_MAX_PRIORITY_IN_ROW"] and normal_heads
    if priority_heads and not starving:
        best_rank = min(t.priority.rank for t, _w in priority_heads if t.priority)
        ranked = [h for h in priority_heads if h[0].priority and h[0].priority.rank == best_rank]
        return max(ranked, key=lambda h: _weighted_wait(now, h))[0]
    if normal_heads:
        return max(normal_heads, key=lambda h: _weighted_wait(now, h))[0]
    return None


def _claim_one(ticket_id: int, counter: Counter, officer: Any, now: datetime) -> bool:
    won = Ticket.objects.filter(pk=ticket_id, status=Status.WAITING).update(
        status=Status.CALLED, called_at=now, counter=counter, officer=officer
    )
    return won == 1


def _claim(counter: Counter, officer: Any, now: datetime) -> Ticket | None:
    """Take one waiting ticket for `counter`."""
    for _attempt in range(_CLAIM_ATTEMPTS):
        chosen = _choose(counter, now)
        if chosen is None:
            return None
        if _claim_one(chosen.pk, counter, officer, now):
            # Everything the API answer shows, so the counter screen needs no second read.
            return Ticket.objects.select_related(*CALLED_RELATIONS).get(pk=chosen.pk)
    raise QueueingError("queueing.call.contention", _("Hệ thống đang bận, vui lòng gọi số lại."))


def _called(ticket: Ticket, counter: Counter, officer: Any, now: datetime, **data: Any) -> Ticket:
    record_event(
        ticket, "queueing.ticket.called", from_status=Status.WAITING, actor=officer, counter=counter, at=now, data=data
    )
    return ticket


@transaction.atomic
def ticket_call_next(*, counter: Counter, officer: Any, now: datetime | None = None) -> Ticket | None:
    """Finish the counter's current ticket, then call the next one (None when nobody waits)."""
    now = now or timezone.now()
    counter = _locked_counter(counter, officer)
    _finish_current(counter, officer, now)
    ticket = _claim(counter, officer, now)
    if ticket is None:
        return None
    streak = counter.priority_streak + 1 if ticket.priority_id else 0
    if streak != counter.priority_streak:  # usually 0 → 0: no write
        counter.priority_streak = streak
        counter.save(update_fields=["priority_streak"])
    return _called(ticket, counter, officer, now)


def _find_waiting(counter: Counter, code: str, now: datetime) -> Ticket:
    """Today's waiting ticket with shown `code` (or just its number) in one of the counter's queues."""
    code = code.strip().upper()
    waiting = Ticket.objects.filter(
        center_id=counter.center_id, business_date=business_date_of(now), status=Status.WAITING
    ).order_by("queued_at", "pk")
    lookup = {"display_number": int(code)} if code.isdigit() else {"code": code}
    mine = waiting.filter(queue__counter_links__counter=counter, **lookup).first()
    if mine is not None:
        return mine
    elsewhere = waiting.filter(**lookup).select_related("queue").first()
    if elsewhere is not None:
        raise QueueingError(
            "queueing.call.other_queue",
            _("Số %(code)s thuộc hàng đợi “%(queue)s”, quầy này không phục vụ hàng đợi đó.")
            % {"code": elsewhere.code, "queue": elsewhere.queue.name},
        )
    raise QueueingError("queueing.call.not_found", _("Không có số %(code)s đang chờ hôm nay.") % {"code": code})


@transaction.atomic
def ticket_call_number(*, counter: Counter, officer: Any, code: str, now: datetime | None = None) -> Ticket:
    """Call a specific waiting number (e.g. a citizen who came back after a no-show recycle)."""
    now = now or timezone.now()
    counter = _locked_counter(counter, officer)
    ticket = _find_waiting(counter, code, now)
    _finish_current(counter, officer, now)
    if not _claim_one(ticket.pk, counter, officer, now):
        raise QueueingError(
            "queueing.call.taken", _("Số %(code)s vừa được một quầy khác gọi.") % {"code": ticket.code}
        )
    ticket.refresh_from_db()
    return _called(ticket, counter, officer, now, by_number=True)


def _walk_in_queue(counter: Counter, queue: Queue | None) -> Queue:
    links = CounterQueue.objects.filter(counter=counter).select_related("queue").order_by("-weight", "queue__code")
    if queue is None:
        first = links.first()
        if first is not None:
            return first.queue
    elif links.filter(queue=queue).exists():
        return queue
    raise QueueingError("queueing.walk_in.bad_queue", _("Quầy này không phục vụ hàng đợi đã chọn."))


@transaction.atomic
def ticket_walk_in(
    *,
    counter: Counter,
    officer: Any,
    queue: Queue | None = None,
    priority: PriorityClass | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Serve someone who came to the desk without a number: a counter ticket, serving at once.

    It still gets a number of the day so waits, service times and counts stay complete.
    """
    now = now or timezone.now()
    counter = _locked_counter(counter, officer)
    target = _walk_in_queue(counter, queue)
    _finish_current(counter, officer, now)
    ticket = new_ticket(
        target,
        channel=Ticket.Channel.COUNTER,
        now=now,
        enforce_cap=False,
        priority=priority,
        status=Status.SERVING,
        called_at=now,
        started_at=now,
        counter=counter,
        officer=officer,
    )
    record_event(ticket, "queueing.ticket.walk_in", from_status="", actor=officer, counter=counter, at=now)
    return ticket
