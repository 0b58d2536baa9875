"""The ticket state machine: one table of allowed moves and the guard every service calls first."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import TicketTransitionError
from .models import Ticket

Status = Ticket.Status

# Calling a ticket that never got started and finishing it is allowed (called → done): a quick
# question answered at the desk. Terminal statuses allow nothing; a transfer makes a new ticket.
ALLOWED: dict[str, frozenset[str]] = {
    Status.WAITING: frozenset({Status.CALLED, Status.CANCELLED}),
    # called → waiting is the one recycle of a no-show to the back of the line.
    Status.CALLED: frozenset(
        {Status.SERVING, Status.DONE, Status.NO_SHOW, Status.TRANSFERRED, Status.CANCELLED, Status.WAITING}
    ),
    Status.SERVING: frozenset({Status.DONE, Status.TRANSFERRED}),
    Status.DONE: frozenset(),
    Status.NO_SHOW: frozenset(),
    Status.TRANSFERRED: frozenset(),
    Status.CANCELLED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())


def ensure_can_move(ticket: Ticket, target: str) -> None:
    """Raise a translated domain error unless `ticket` may move to `target`."""
    if not can_move(ticket.status, target):
        raise TicketTransitionError(
            "queueing.ticket.invalid_transition",
            _("Số %(code)s đang ở trạng thái “%(current)s”, không thể chuyển sang “%(target)s”.")
            % {"code": ticket.code, "current": Status(ticket.status).label, "target": Status(target).label},
        )
