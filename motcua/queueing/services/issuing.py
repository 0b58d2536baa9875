"""Issuing numbers: the refusal rules and the atomic daily sequence.

Issuing locks only the queue's DailyNumber row for the day (one UPDATE … RETURNING), so kiosks
of different queues never wait on each other.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import sequences
from motcua.core.calendar import calendar_for_center, to_local
from motcua.core.models import AuditLog
from motcua.core.services import audit_log_write

from ..errors import TicketIssueRefused
from ..models import DailyNumber, PriorityClass, Queue, Ticket
from ._common import business_date_of, record_event


def _check_open(queue: Queue, now: datetime) -> None:
    if not queue.is_active:
        raise TicketIssueRefused("queueing.issue.queue_inactive", _("Hàng đợi này đang tạm ngừng cấp số."))
    calendar = calendar_for_center(queue.center)
    if not calendar.is_working_day(business_date_of(now)):
        raise TicketIssueRefused("queueing.issue.day_off", _("Hôm nay không phải ngày làm việc, chưa cấp số."))
    if not calendar.is_reception_open(now):
        raise TicketIssueRefused(
            "queueing.issue.outside_hours", _("Ngoài giờ tiếp nhận hồ sơ, vui lòng quay lại trong giờ làm việc.")
        )
    # Reception sessions are separated by breaks, so "still open N minutes from now" means
    # "the same session does not end within N minutes".
    if not calendar.is_reception_open(now + timedelta(minutes=queue.issue_cutoff_minutes)):
        raise TicketIssueRefused(
            "queueing.issue.cutoff",
            _("Đã ngừng cấp số: buổi tiếp nhận sắp kết thúc (trước %(minutes)s phút).")
            % {"minutes": queue.issue_cutoff_minutes},
        )


def issue_refusal(*, queue: Queue, now: datetime) -> TicketIssueRefused | None:
    """The refusal `ticket_issue` would give now for the queue being closed, or None.

    A read, for screens that should say so before the citizen chooses anything more; the service
    checks again when it issues (and the daily cap only then).
    """
    try:
        _check_open(queue, now)
    except TicketIssueRefused as refusal:
        return refusal
    return None


def _next_sequence(queue: Queue, day: date) -> int:
    """Add one to the day's counter of `queue` (one locked row per center, queue and day)."""
    key = {"center_id": queue.center_id, "queue_id": queue.pk, "business_date": day}
    return sequences.next_value(DailyNumber, counter="last_number", key=key)


def _take_number(queue: Queue, day: date, *, enforce_cap: bool = True) -> tuple[int, int]:
    """(sequence number, number shown) for the next ticket of `queue` on `day`.

    A refusal raised here rolls the increment back with the caller's transaction.
    """
    sequence = _next_sequence(queue, day)
    if enforce_cap and queue.daily_cap is not None and sequence > queue.daily_cap:
        raise TicketIssueRefused(
            "queueing.issue.daily_cap",
            _("Hàng đợi đã cấp đủ %(cap)s số trong ngày, vui lòng quay lại vào ngày làm việc tiếp theo.")
            % {"cap": queue.daily_cap},
        )
    if sequence > queue.range_size and not queue.wrap:
        raise TicketIssueRefused("queueing.issue.range_exhausted", _("Hàng đợi đã hết dải số trong ngày."))
    return sequence, queue.number_start + (sequence - 1) % queue.range_size


def shown_code(queue: Queue, display_number: int) -> str:
    return f"{queue.prefix}{display_number:0{len(str(queue.number_end))}d}"


def new_ticket(
    queue: Queue, *, channel: str, now: datetime, enforce_cap: bool = True, **fields: Any
) -> Ticket:
    """Create the next ticket of `queue` (no history row: the caller writes the one that fits)."""
    day = business_date_of(now)
    sequence, shown = _take_number(queue, day, enforce_cap=enforce_cap)
    fields.setdefault("queued_at", now)
    return Ticket.objects.create(
        center_id=queue.center_id,
        queue=queue,
        business_date=day,
        number=sequence,
        display_number=shown,
        code=shown_code(queue, shown),
        channel=channel,
        issued_at=now,
        **fields,
    )


def ticket_issue(
    *, queue: Queue, channel: str, priority: PriorityClass | None = None, now: datetime | None = None
) -> Ticket:
    """Issue the next number of `queue`, or raise TicketIssueRefused with a Vietnamese message."""
    now = now or timezone.now()
    # Checked before the transaction opens: outside one, the worker's cached calendar is used
    # (a calendar read inside a transaction is never cached), so issuing costs no calendar query.
    _check_open(queue, now)
    if priority is not None and not priority.is_active:
        raise TicketIssueRefused("queueing.issue.priority_inactive", _("Nhóm ưu tiên này không còn áp dụng."))
    with transaction.atomic():
        ticket = new_ticket(queue, channel=channel, now=now, priority=priority)
        record_event(ticket, "queueing.ticket.issued", from_status="", at=now, data={"channel": channel})
    return ticket


WEB_ISSUE_ACTION = "queueing.ticket.issued_online"


def _web_numbers_today(citizen: Any, now: datetime) -> int:
    start = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return AuditLog.objects.filter(actor_id=citizen.pk, action=WEB_ISSUE_ACTION, at__gte=start).count()


@transaction.atomic
def ticket_issue_online(*, queue: Queue, citizen: Any, ip: str | None = None, now: datetime | None = None) -> Ticket:
    """A number from the portal for a signed-in citizen: the kiosk's rules, plus a few a day per
    citizen (MOTCUA["WEB_TICKETS_PER_DAY"]) so nobody books the whole morning. The audit row that
    counts them is written with the ticket, or not at all."""
    now = now or timezone.now()
    limit = int(settings.MOTCUA.get("WEB_TICKETS_PER_DAY", 3))
    if _web_numbers_today(citizen, now) >= limit:
        raise TicketIssueRefused(
            "queueing.issue.web_daily_limit",
            _("Mỗi ngày quý khách lấy số trực tuyến được tối đa %(n)s lần.") % {"n": limit},
        )
    ticket = ticket_issue(queue=queue, channel=Ticket.Channel.WEB, now=now)
    audit_log_write(actor=citizen, action=WEB_ISSUE_ACTION, obj=ticket, center=queue.center, ip=ip,
                    data={"queue": queue.code}, now=now)  # fmt: skip
    return ticket
