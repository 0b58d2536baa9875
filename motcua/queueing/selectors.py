"""Reads of the queue."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from motcua.catalog.models import Procedure
from motcua.core.models import Center

from .models import Counter, PriorityClass, Queue, Ticket


def ticket_list_waiting(*, queue: Queue, business_date: date) -> QuerySet[Ticket]:
    """Waiting tickets of `queue` on `business_date`, in issue order."""
    return Ticket.objects.filter(queue=queue, business_date=business_date, status=Ticket.Status.WAITING).order_by(
        "queued_at", "pk"
    )


def queue_list_for_kiosk(*, center: Center) -> QuerySet[Queue]:
    """Active queues of `center` that some counter serves, for the kiosk's agency tiles."""
    return (
        Queue.objects.filter(center=center, is_active=True, counter_links__isnull=False)
        .distinct()
        .prefetch_related("agencies")
        .order_by("code")
    )


def queue_for_procedure(*, center: Center, procedure: Procedure) -> Queue | None:
    """The queue a citizen takes for `procedure` at `center`: the most specific match wins.

    A queue naming the procedure beats one naming its sector, which beats one naming its
    competent agency; None when no active queue of the center serves it.
    """
    queues = queue_list_for_kiosk(center=center)
    for lookup in (
        {"procedures": procedure},
        {"sectors": procedure.sector_id},
        {"agencies": procedure.agency_id},
    ):
        found = queues.filter(**lookup).first()
        if found is not None:
            return found
    return None


def priority_class_list_active() -> QuerySet[PriorityClass]:
    return PriorityClass.objects.filter(is_active=True).order_by("rank", "code")


def ticket_get_by_token(*, token: str) -> Ticket | None:
    """The ticket behind a slip's QR code (the token is the only credential: no login needed)."""
    return (
        Ticket.objects.select_related("queue", "center", "counter", "priority").filter(token=token).first()
        if token
        else None
    )


def counter_list_for_center(*, center: Center) -> QuerySet[Counter]:
    return Counter.objects.filter(center=center).select_related("floor", "officer").order_by("number")
