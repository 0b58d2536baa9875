"""Reads of the queue."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from .models import Queue, Ticket


def ticket_list_waiting(*, queue: Queue, business_date: date) -> QuerySet[Ticket]:
    """Waiting tickets of `queue` on `business_date`, in issue order."""
    return Ticket.objects.filter(queue=queue, business_date=business_date, status=Ticket.Status.WAITING).order_by(
        "queued_at", "pk"
    )
