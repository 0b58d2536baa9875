"""Writes of the outbox: enqueue in the caller's transaction, deliver after commit, retry later.

Delivery never holds a transaction or a row lock while it talks to a printer: a worker first
claims a message with a conditional update (only one claimer can win, on SQLite and PostgreSQL
alike), sends, then records the outcome. A claim left behind by a crashed worker expires after
`OUTBOX_LEASE_SECONDS`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.queueing.eta import Estimate, estimate_for_ticket
from motcua.queueing.models import Ticket
from motcua.queueing.slip import slip_data, slip_escpos

from .models import OutboxMessage, Printer
from .selectors import printer_default_for_slips
from .senders import SENDERS, DeliveryError

logger = logging.getLogger(__name__)
T = TypeVar("T")
Status = OutboxMessage.Status
PRINTER = "printer"


def _setting(name: str, default: Any) -> Any:
    return settings.MOTCUA.get(name, default)


def _retrying_if_locked(write: Callable[[], T]) -> T:
    """Run a one-statement write again when SQLite reports a lock (several drains on one file).

    Each statement here is a read or a conditional UPDATE, so running it again is harmless; PostgreSQL waits on
    row locks instead and never gets here.
    """
    for attempt in range(8):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 7:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


# --- enqueue ----------------------------------------------------------------------------------


@transaction.atomic
def outbox_enqueue(
    *,
    channel: str,
    payload: bytes,
    printer: Printer | None = None,
    recipient: str = "",
    subject: str = "",
    ticket: Ticket | None = None,
    dossier: Any = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Add a message in the caller's transaction; it is delivered once that transaction commits."""
    now = now or timezone.now()
    message = OutboxMessage.objects.create(
        channel=channel,
        printer=printer,
        recipient=recipient,
        subject=subject,
        ticket=ticket,
        dossier=dossier,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: deliver_soon(message.pk))
    return message


def deliver_soon(message_id: int) -> None:
    """Deliver right after commit without making the caller wait.

    `OUTBOX_DELIVERY`: "thread" (default; a short background thread), "inline" (tests) or
    "worker" (leave it to `manage.py outbox_drain`).
    """
    mode = _setting("OUTBOX_DELIVERY", "thread")
    if mode == "inline":
        outbox_deliver_by_id(message_id)
    elif mode == "thread":
        name = f"outbox-{message_id}"
        threading.Thread(target=_deliver_in_thread, args=(message_id,), name=name, daemon=True).start()


def _deliver_in_thread(message_id: int) -> None:
    try:
        outbox_deliver_by_id(message_id)
    except Exception:  # a thread has nobody to raise to; the row stays due and the drain retries
        logger.exception("outbox message %s: delivery crashed", message_id)
    finally:
        connections.close_all()  # this thread's own connections


# --- deliver ----------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    stale = now - timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS", 300))
    waiting = Q(status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now)
    return waiting | Q(status=Status.SENDING, claimed_at__lt=stale)


def outbox_claim(*, message_id: int, now: datetime) -> OutboxMessage | None:
    """Take a due message for delivery; None when it is not due or another worker holds it."""
    won = _retrying_if_locked(
        lambda: OutboxMessage.objects.filter(_due(now), pk=message_id).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )
    if won != 1:
        return None
    return OutboxMessage.objects.select_related("printer").get(pk=message_id)


def _backoff(attempts: int) -> timedelta:
    base = _setting("OUTBOX_RETRY_SECONDS", 15)
    return timedelta(seconds=min(base * 2 ** (attempts - 1), _setting("OUTBOX_RETRY_MAX_SECONDS", 1800)))


def _finish(message: OutboxMessage, now: datetime, **fields: Any) -> None:
    # Conditional on our own claim: if the lease expired and someone else took over, their
    # outcome wins and ours is dropped.
    mine = OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at)
    _retrying_if_locked(lambda: mine.update(**fields))
    for name, value in fields.items():
        setattr(message, name, value)


def _record_failure(message: OutboxMessage, reason: str, now: datetime) -> None:
    gave_up = message.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 5)
    error = _("%(printer)s (%(address)s): %(reason)s") % {
        "printer": message.printer.name if message.printer else message.channel,
        "address": message.printer.address if message.printer else message.recipient,
        "reason": reason,
    }
    next_at = None if gave_up else now + _backoff(message.attempts)
    _finish(message, now, status=Status.FAILED, last_error=error, next_attempt_at=next_at)
    logger.warning("outbox message %s failed (attempt %s): %s", message.pk, message.attempts, error)


def outbox_deliver(message: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Claim and send one message; True when it went out. Runs outside any transaction."""
    now = now or timezone.now()
    claimed = outbox_claim(message_id=message.pk, now=now)
    if claimed is None:
        return False
    sender = SENDERS.get(claimed.channel)
    try:
        if sender is None:
            raise DeliveryError(_("kênh %(channel)s chưa được hỗ trợ") % {"channel": claimed.channel})
        sender(claimed)
    except DeliveryError as error:
        _record_failure(claimed, str(error), now)
        return False
    except Exception as error:  # noqa: BLE001 - a bug in a sender must not leave the row claimed
        logger.exception("outbox message %s: sender crashed", claimed.pk)
        _record_failure(claimed, _("lỗi không mong đợi: %(error)s") % {"error": error}, now)
        return False
    _finish(claimed, now, status=Status.SENT, sent_at=now, next_attempt_at=None, last_error="")
    return True


def outbox_deliver_by_id(message_id: int, *, now: datetime | None = None) -> bool:
    message = OutboxMessage.objects.filter(pk=message_id).first()
    return message is not None and outbox_deliver(message, now=now)


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0


def outbox_drain(*, now: datetime | None = None, limit: int = 100) -> DrainResult:
    """Deliver every due message (oldest first). Safe with several workers: each claims its rows."""
    now = now or timezone.now()
    result = DrainResult()
    due = OutboxMessage.objects.filter(_due(now)).order_by("created_at", "pk")
    ids = _retrying_if_locked(lambda: list(due.values_list("pk", flat=True)[:limit]))
    for message_id in ids:
        message = OutboxMessage(pk=message_id)
        if outbox_deliver(message, now=now):
            result.sent += 1
        elif _retrying_if_locked(OutboxMessage.objects.filter(pk=message_id, status=Status.FAILED).exists):
            result.failed += 1
    return result


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, now: datetime | None = None) -> OutboxMessage:
    """"Gửi lại" from the admin: due now, with a fresh round of attempts."""
    now = now or timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).exclude(status=Status.SENDING).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now
    )
    transaction.on_commit(lambda: deliver_soon(message.pk))
    message.refresh_from_db()
    return message


# --- the kiosk's slip -------------------------------------------------------------------------


def ticket_slip_print(
    *, ticket: Ticket, estimate: Estimate | None = None, now: datetime | None = None
) -> OutboxMessage | None:
    """Queue the slip of an issued `ticket` for its center's default slip printer (None: no printer).

    Call it after the ticket has committed: the slip is drawn outside any transaction (no lock
    held while drawing), then one short insert queues it. A slip that cannot even be drawn is
    recorded as a failed message for staff to see, never raised: the ticket is the citizen's.
    """
    printer = printer_default_for_slips(center=ticket.center)
    if printer is None:
        return None
    now = now or timezone.now()
    subject = _("Phiếu số %(code)s") % {"code": ticket.code}
    try:
        data = slip_data(ticket, estimate or estimate_for_ticket(ticket, now=now))
        payload = slip_escpos(data, width_px=printer.dots_per_line)
    except Exception as error:  # noqa: BLE001 - drawing trouble must not cost the ticket
        logger.exception("slip of ticket %s could not be drawn", ticket.pk)
        return OutboxMessage.objects.create(
            channel=PRINTER, printer=printer, subject=subject, ticket=ticket, payload=b"", created_at=now,
            status=Status.FAILED, last_error=_("Không tạo được phiếu in: %(error)s") % {"error": error},
        )  # fmt: skip
    return outbox_enqueue(channel=PRINTER, payload=payload, printer=printer, subject=subject, ticket=ticket, now=now)
