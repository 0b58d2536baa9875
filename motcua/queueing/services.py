"""Writes of the queue: issuing numbers, calling the next ticket, moving a ticket along.

Lock order (fixed, so two services never wait on each other in a circle): the counter row,
then ticket rows; issuing locks only its DailyNumber row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import calendar_for_center, to_local

from .errors import QueueingError, TicketIssueRefused, TicketTransitionError
from .models import Counter, DailyNumber, PriorityClass, Queue, Ticket, TicketEvent
from .transitions import ensure_can_move

Status = Ticket.Status
# A conditional claim can lose to another caller only on a database without row locks; a few
# retries are plenty because each loss means someone else made progress.
_CLAIM_ATTEMPTS = 10


def business_date_of(at: datetime) -> date:
    """The business day of `at`: its date in Asia/Ho_Chi_Minh, whatever the server's zone."""
    return to_local(at).date()


def _event(
    ticket: Ticket,
    action: str,
    *,
    from_status: str,
    actor: Any = None,
    counter: Counter | None = None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        actor=actor,
        counter=counter,
        at=at,
        data=data or {},
    )


# --- issuing ----------------------------------------------------------------------------------


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


def _locked_daily_number(queue: Queue, day: date) -> DailyNumber:
    """The day's counter row, locked; created on first use (a racing creator makes us retry once)."""
    lookup: dict[str, Any] = {"center_id": queue.center_id, "queue": queue, "business_date": day}
    try:
        with transaction.atomic():  # a savepoint: a lost insert race must not poison the outer block
            row, _created = DailyNumber.objects.select_for_update().get_or_create(**lookup)
    except IntegrityError:
        row = DailyNumber.objects.select_for_update().get(**lookup)
    return row


def _take_number(queue: Queue, day: date) -> tuple[int, int]:
    """(sequence number, number shown) for the next ticket of `queue` on `day`."""
    row = _locked_daily_number(queue, day)
    sequence = row.last_number + 1
    if queue.daily_cap is not None and sequence > queue.daily_cap:
        raise TicketIssueRefused(
            "queueing.issue.daily_cap",
            _("Hàng đợi đã cấp đủ %(cap)s số trong ngày, vui lòng quay lại vào ngày làm việc tiếp theo.")
            % {"cap": queue.daily_cap},
        )
    if sequence > queue.range_size and not queue.wrap:
        raise TicketIssueRefused("queueing.issue.range_exhausted", _("Hàng đợi đã hết dải số trong ngày."))
    row.last_number = sequence
    row.save(update_fields=["last_number"])
    return sequence, queue.number_start + (sequence - 1) % queue.range_size


def _shown_code(queue: Queue, display_number: int) -> str:
    return f"{queue.prefix}{display_number:0{len(str(queue.number_end))}d}"


@transaction.atomic
def ticket_issue(
    *, queue: Queue, channel: str, priority: PriorityClass | None = None, now: datetime | None = None
) -> Ticket:
    """Issue the next number of `queue`, or raise TicketIssueRefused with a Vietnamese message."""
    now = now or timezone.now()
    _check_open(queue, now)
    if priority is not None and not priority.is_active:
        raise TicketIssueRefused("queueing.issue.priority_inactive", _("Nhóm ưu tiên này không còn áp dụng."))
    day = business_date_of(now)
    sequence, shown = _take_number(queue, day)
    ticket = Ticket.objects.create(
        center_id=queue.center_id,
        queue=queue,
        business_date=day,
        number=sequence,
        display_number=shown,
        code=_shown_code(queue, shown),
        priority=priority,
        channel=channel,
        issued_at=now,
        queued_at=now,
    )
    _event(ticket, "queueing.ticket.issued", from_status="", at=now, data={"channel": channel})
    return ticket


# --- moving a ticket ----------------------------------------------------------------------------

_STAMPS = {
    Status.SERVING: "started_at",
    Status.DONE: "finished_at",
    Status.NO_SHOW: "finished_at",
    Status.CANCELLED: "finished_at",
    Status.TRANSFERRED: "finished_at",
}


def _move(ticket: Ticket, target: str, *, actor: Any, now: datetime, data: dict[str, Any] | None = None) -> Ticket:
    """Guard, change status and its timestamp, write the history row."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ensure_can_move(ticket, target)
    previous = ticket.status
    ticket.status = target
    stamp = _STAMPS.get(Status(target))
    if stamp:
        setattr(ticket, stamp, now)
    ticket.save(update_fields=["status", *([stamp] if stamp else [])])
    _event(
        ticket,
        f"queueing.ticket.{target}",
        from_status=previous,
        actor=actor,
        counter=ticket.counter,
        at=now,
        data=data,
    )
    return ticket


@transaction.atomic
def ticket_start(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    return _move(ticket, Status.SERVING, actor=officer, now=now or timezone.now())


@transaction.atomic
def ticket_finish(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    return _move(ticket, Status.DONE, actor=officer, now=now or timezone.now())


@transaction.atomic
def ticket_mark_no_show(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    return _move(ticket, Status.NO_SHOW, actor=officer, now=now or timezone.now())


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor: Any = None, now: datetime | None = None) -> Ticket:
    return _move(ticket, Status.CANCELLED, actor=actor, now=now or timezone.now())


@transaction.atomic
def ticket_recall(*, ticket: Ticket, officer: Any, now: datetime | None = None) -> Ticket:
    """Call a called ticket again (the citizen did not come up yet); the status stays `called`."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Status.CALLED:  # not a move in the table: the status stays as it is
        raise TicketTransitionError(
            "queueing.ticket.not_called",
            _("Số %(code)s không ở trạng thái đã gọi nên không thể gọi lại.") % {"code": ticket.code},
        )
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    _event(
        ticket,
        "queueing.ticket.recalled",
        from_status=ticket.status,
        actor=officer,
        counter=ticket.counter,
        at=now,
        data={"recall_count": ticket.recall_count},
    )
    return ticket


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, queue: Queue, officer: Any, now: datetime | None = None) -> Ticket:
    """Send the citizen to another queue: this ticket ends `transferred`, a new one waits there.

    The new ticket keeps the priority class and the original issue time, so the citizen does not
    go to the back of the line.
    """
    now = now or timezone.now()
    old = _move(ticket, Status.TRANSFERRED, actor=officer, now=now, data={"to_queue": queue.pk})
    sequence, shown = _take_number(queue, business_date_of(now))
    new = Ticket.objects.create(
        center_id=queue.center_id,
        queue=queue,
        business_date=business_date_of(now),
        number=sequence,
        display_number=shown,
        code=_shown_code(queue, shown),
        priority=old.priority,
        channel=Ticket.Channel.COUNTER,
        issued_at=now,
        queued_at=old.queued_at,
        transferred_from=old,
    )
    _event(new, "queueing.ticket.issued", from_status="", actor=officer, at=now, data={"transferred_from": old.pk})
    return new


# --- calling ----------------------------------------------------------------------------------


def _finish_current(counter: Counter, officer: Any, now: datetime) -> None:
    for ticket in Ticket.objects.filter(counter=counter, status__in=[Status.CALLED, Status.SERVING]).order_by("pk"):
        _move(ticket, Status.DONE, actor=officer, now=now)


def _waiting_for(counter: Counter, now: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        status=Status.WAITING,
        queue__counter_links__counter=counter,
        business_date=business_date_of(now),
    )


def _candidate(counter: Counter, now: datetime, *, normal_first: bool) -> int | None:
    """The id of the ticket to claim, skipping rows another caller holds (PostgreSQL)."""
    waiting = _waiting_for(counter, now)
    by_priority = waiting.order_by(F("priority__rank").asc(nulls_last=True), "queued_at", "pk")
    choices = (
        [waiting.filter(priority__isnull=True).order_by("queued_at", "pk"), by_priority]
        if normal_first
        else [by_priority]
    )
    for qs in choices:
        # SQLite has no row locks: select_for_update is a no-op there and the claim below decides.
        ticket_id = qs.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True).first()
        if ticket_id is not None:
            return ticket_id
    return None


def _claim(counter: Counter, officer: Any, now: datetime) -> Ticket | None:
    """Take one waiting ticket for `counter`: a conditional update that only one caller can win."""
    max_in_row = settings.MOTCUA.get("QUEUE_MAX_PRIORITY_IN_ROW", 3)
    for _attempt in range(_CLAIM_ATTEMPTS):
        ticket_id = _candidate(counter, now, normal_first=counter.priority_streak >= max_in_row)
        if ticket_id is None:
            return None
        won = Ticket.objects.filter(pk=ticket_id, status=Status.WAITING).update(
            status=Status.CALLED, called_at=now, counter=counter, officer=officer
        )
        if won == 1:
            return Ticket.objects.select_related("priority").get(pk=ticket_id)
    raise QueueingError("queueing.call.contention", _("Hệ thống đang bận, vui lòng gọi số lại."))


@transaction.atomic
def ticket_call_next(*, counter: Counter, officer: Any, now: datetime | None = None) -> Ticket | None:
    """Finish the counter's current ticket, then call the next one (None when nobody waits)."""
    now = now or timezone.now()
    counter = Counter.objects.select_for_update().get(pk=counter.pk)  # one caller per counter at a time
    _finish_current(counter, officer, now)
    ticket = _claim(counter, officer, now)
    if ticket is None:
        return None
    counter.priority_streak = counter.priority_streak + 1 if ticket.priority_id else 0
    counter.save(update_fields=["priority_streak"])
    _event(ticket, "queueing.ticket.called", from_status=Status.WAITING, actor=officer, counter=counter, at=now)
    return ticket


@transaction.atomic
def counter_sign_in(*, counter: Counter, officer: Any, now: datetime | None = None) -> Counter:
    """Seat `officer` at `counter` (leaving any other counter) and open it."""
    Counter.objects.filter(officer=officer).exclude(pk=counter.pk).update(officer=None, state=Counter.State.CLOSED)
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    counter.officer, counter.state = officer, Counter.State.OPEN
    counter.save(update_fields=["officer", "state"])
    return counter
