"""What every queue service shares: the business date, the history row and its push to boards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.calendar import to_local

from .. import broadcast
from ..errors import QueueingError
from ..models import Counter, Ticket, TicketEvent

Status = Ticket.Status

# What the boards hear about each action; a ticket finished or started changes nothing they show.
_PUSH = {
    "queueing.ticket.called": "called",
    "queueing.ticket.recalled": "recalled",
    "queueing.ticket.serving": None,
    "queueing.ticket.done": None,
}


def business_date_of(at: datetime) -> date:
    """The business day of `at`: its date in Asia/Ho_Chi_Minh, whatever the server's zone."""
    return to_local(at).date()


def record_event(
    ticket: Ticket,
    action: str,
    *,
    from_status: str,
    actor: Any = None,
    counter: Counter | None = None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append the history row of a change and tell the boards after commit."""
    event = TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        actor=actor,
        counter=counter,
        at=at,
        data=data or {},
    )
    kind = _PUSH.get(action, "changed")
    if kind is not None:
        broadcast.publish(event, kind)
    return event


def ensure_seated(counter: Counter, officer: Any) -> None:
    """The officer acting for a counter must be the one signed in to it."""
    if counter.officer_id is None or officer is None or counter.officer_id != officer.pk:
        raise QueueingError(
            "queueing.counter.not_signed_in",
            _("Bạn chưa đăng nhập vào %(counter)s.") % {"counter": _("quầy số %(n)s") % {"n": counter.number}},
        )


def ensure_open(counter: Counter) -> None:
    if counter.state != Counter.State.OPEN:
        raise QueueingError(
            "queueing.counter.not_open",
            _("Quầy số %(n)s đang %(state)s: hãy mở quầy trước khi gọi số.")
            % {"n": counter.number, "state": Counter.State(counter.state).label},
        )
