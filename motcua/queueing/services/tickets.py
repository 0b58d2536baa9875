"""Moving one ticket along: start, finish, no-show (with one recycle), cancel, recall, transfer.

Lock order (fixed, so two services never wait on each other in a circle): the counter row,
then ticket rows; issuing locks only its DailyNumber row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import broadcast
from ..errors import QueueingError, TicketTransitionError
from ..models import Counter, Queue, Ticket
from ..transitions import ensure_can_move
from ._common import Status, ensure_seated, record_event
from .issuing import new_ticket

_STAMPS = {
    Status.SERVING: "started_at",
    Status.DONE: "finished_at",
    Status.NO_SHOW: "finished_at",
    Status.CANCELLED: "finished_at",
    Status.TRANSFERRED: "finished_at",
}


def locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("counter").get(pk=ticket.pk)


def ensure_at_officers_counter(ticket: Ticket, officer: Any) -> Counter:
    """Only the officer seated at the counter that called a ticket may act on it."""
    if ticket.counter is None:
        raise TicketTransitionError(
            "queueing.ticket.not_called",
            _("Số %(code)s chưa được gọi đến quầy nào.") % {"code": ticket.code},
        )
    ensure_seated(ticket.counter, officer)
    return ticket.counter


def move(ticket: Ticket, target: str, *, actor: Any, now: datetime, data: dict[str, Any] | None = None) -> Ticket:
    """Guard, change status and its timestamp, write the history row (ticket already locked)."""
    ensure_can_move(ticket, target)
    previous = ticket.status
    ticket.status = target
    stamp = _STAMPS.get(Status(target))
    if stamp:
        setattr(ticket, stamp, now)
    ticket.save(update_fields=["status", *([stamp] if stamp else [])])
    record_event(
        ticket, f"queueing.ticket.{target}", from_status=previous, actor=actor, counter=ticket.counter, at=now, data=data
    )
    return ticket


def _officer_move(ticket: Ticket, target: str, officer: Any, now: datetime | None) -> Ticket:
    now = now or timezone.now()
    ticket = locked(ticket)
    ensure_can_move(ticket, target)
    counter = ensure_at_officers_counter(ticket, officer)
    ticket = move(ticket, target, actor=officer, now=now)
    if target != Status.SERVING:  # the citizen left the desk: boards stop showing the number there
        broadcast.publish_counter(counter, now=now)
    return ticket


@transaction.atomic
def ticket_start(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    """The citizen came to the desk: service starts (wait ends here, service time starts)."""
    return _officer_move(ticket, Status.SERVING, officer, now)


@transaction.atomic
def ticket_finish(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    return _officer_move(ticket, Status.DONE, officer, now)


@transaction.atomic
def ticket_mark_no_show(*, ticket: Ticket, officer: Any, recycle: bool = False, now: datetime | None = None) -> Ticket:
    """The citizen did not come. With `recycle`, the ticket goes once to the back of its line."""
    if not recycle:
        return _officer_move(ticket, Status.NO_SHOW, officer, now)
    now = now or timezone.now()
    ticket = locked(ticket)
    ensure_can_move(ticket, Status.WAITING)
    counter = ensure_at_officers_counter(ticket, officer)
    if ticket.recycled:
        raise TicketTransitionError(
            "queueing.ticket.already_recycled",
            _("Số %(code)s đã được xếp lại cuối hàng một lần, chỉ có thể ghi nhận vắng mặt.") % {"code": ticket.code},
        )
    previous = ticket.status
    ticket.status, ticket.queued_at, ticket.recycled = Status.WAITING, now, True
    ticket.counter, ticket.officer = None, None
    ticket.save(update_fields=["status", "queued_at", "recycled", "counter", "officer"])
    record_event(ticket, "queueing.ticket.recycled", from_status=previous, actor=officer, counter=counter, at=now)
    broadcast.publish_counter(counter, now=now)
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor: Any = None, now: datetime | None = None) -> Ticket:
    """Withdraw a ticket (the citizen leaves, or staff clear a mistaken number)."""
    return move(locked(ticket), Status.CANCELLED, actor=actor, now=now or timezone.now())


@transaction.atomic
def ticket_recall(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    """Call a called ticket again (the citizen did not come up yet); the status stays `called`."""
    now = now or timezone.now()
    ticket = locked(ticket)
    if ticket.status != Status.CALLED:  # not a move in the table: the status stays as it is
        raise TicketTransitionError(
            "queueing.ticket.not_called",
            _("Số %(code)s không ở trạng thái đã gọi nên không thể gọi lại.") % {"code": ticket.code},
        )
    ensure_at_officers_counter(ticket, officer)
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    record_event(
        ticket,
        "queueing.ticket.recalled",
        from_status=ticket.status,
        actor=officer,
        counter=ticket.counter,
        at=now,
        data={"recall_count": ticket.recall_count},
    )
    return ticket


def _ensure_transfer_target(ticket: Ticket, queue: Queue) -> None:
    if queue.center_id != ticket.center_id or queue.pk == ticket.queue_id:
        raise QueueingError(
            "queueing.transfer.bad_queue",
            _("Không thể chuyển số %(code)s sang hàng đợi này.") % {"code": ticket.code},
        )


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, queue: Queue, officer: Any, now: datetime | None = None) -> Ticket:
    """Send the citizen to another queue: this ticket ends `transferred`, a new one waits there.

    The new ticket keeps the priority class and its place in line (the old `queued_at`), so the
    citizen does not go to the back; the daily cap does not apply: they are already here.
    """
    now = now or timezone.now()
    old = locked(ticket)
    ensure_can_move(old, Status.TRANSFERRED)
    ensure_at_officers_counter(old, officer)
    _ensure_transfer_target(old, queue)
    old = move(old, Status.TRANSFERRED, actor=officer, now=now, data={"to_queue": queue.code})
    new = new_ticket(
        queue,
        channel=Ticket.Channel.COUNTER,
        now=now,
        enforce_cap=False,
        priority=old.priority,
        queued_at=old.queued_at,
        transferred_from=old,
    )
    record_event(new, "queueing.ticket.issued", from_status="", actor=officer, at=now, data={"transferred_from": old.code})
    if old.counter is not None:
        broadcast.publish_counter(old.counter, now=now)
    return new
