"""Domain errors of the queue: a stable code for programs and a translated message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class QueueingError(Exception):
    """Base of every refusal raised by the queueing services."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


class TicketIssueRefused(QueueingError):
    """The kiosk or counter may not issue a number now (hours, cut-off, cap, range)."""


class TicketTransitionError(QueueingError):
    """A ticket was asked to move to a status its current status does not allow."""
