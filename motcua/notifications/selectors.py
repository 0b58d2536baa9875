"""Reads of printers and the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from motcua.core.models import Center

from .models import OutboxMessage, Printer

Status = OutboxMessage.Status


def printer_default_for_slips(*, center: Center) -> Printer | None:
    return Printer.objects.filter(center=center, is_slip_default=True, is_active=True).first()


@dataclass(frozen=True)
class PrinterProblem:
    """One slip that did not print, as the counter console shows it to staff."""

    message_id: int
    printer_name: str
    error: str
    at: datetime  # when the slip was queued
    ticket_code: str
    status: str
    attempts: int
    retrying: bool  # False once the outbox has given up (staff can press "Gửi lại")


def printer_problems(*, center: Center, now: datetime | None = None, limit: int = 20) -> list[PrinterProblem]:
    """Printing trouble at `center`, newest first: failed messages of the last hours, and messages
    still not sent a while after they were queued."""
    now = now or timezone.now()
    window = now - timedelta(hours=settings.MOTCUA.get("PRINTER_PROBLEM_HOURS", 12))
    late = now - timedelta(seconds=settings.MOTCUA.get("PRINTER_LATE_SECONDS", 60))
    rows = (
        OutboxMessage.objects.filter(printer__center=center, created_at__gte=window)
        .filter(Q(status=Status.FAILED) | Q(status__in=[Status.PENDING, Status.SENDING], created_at__lte=late))
        .select_related("printer", "ticket")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [_problem(row) for row in rows]


def _problem(row: OutboxMessage) -> PrinterProblem:
    return PrinterProblem(
        message_id=row.pk,
        printer_name=row.printer.name if row.printer else "",
        error=row.last_error or str(row.get_status_display()),
        at=row.created_at,
        ticket_code=row.ticket.code if row.ticket else "",
        status=row.status,
        attempts=row.attempts,
        retrying=row.next_attempt_at is not None,
    )
