"""The citizen's phone page behind the slip's QR code: where their ticket stands, live.

No login: the unguessable token in the address is the credential, and the page shows nothing
personal (code, queue, center, status, people ahead, wait).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.calendar import to_local
from motcua.queueing.eta import estimate_for_ticket
from motcua.queueing.models import Ticket
from motcua.queueing.selectors import ticket_get_by_token
from motcua.queueing.services import business_date_of
from motcua.queueing.slip import wait_text

Status = Ticket.Status
# Seconds between two looks at the status; the page shows it so people know it is live.
POLL_SECONDS = 10
_MAX_TRANSFERS = 5


@dataclass(frozen=True)
class TicketState:
    code: str
    queue: str
    status: str
    tone: str  # waiting / called / serving / done / missed: the colour of the status card
    title: str
    detail: str
    counter: str
    people_ahead: int | None
    wait: str
    final: bool  # nothing will change any more: the page stops asking
    updated_at: str


def _latest(ticket: Ticket) -> Ticket:
    """A transferred ticket lives on as a new ticket in the other queue: follow it."""
    for _hop in range(_MAX_TRANSFERS):
        if ticket.status != Status.TRANSFERRED:
            break
        successor = ticket.transferred_to.select_related("queue", "counter", "priority").first()
        if successor is None:
            break
        ticket = successor
    return ticket


def _counter_number(ticket: Ticket) -> str:
    return str(ticket.counter.number) if ticket.counter else "?"


def _words(ticket: Ticket, expired: bool) -> tuple[str, str, str]:
    """(tone, title, detail) for the status card."""
    counter = {"counter": _counter_number(ticket)}
    if expired:
        return "missed", _("Số đã hết hiệu lực"), _("Số này được cấp ngày %(day)s. Vui lòng lấy số mới.") % {
            "day": f"{ticket.business_date:%d/%m/%Y}"
        }
    table = {
        Status.WAITING: ("waiting", _("Đang chờ"), _("Vui lòng chú ý bảng điện tử và loa gọi số.")),
        Status.CALLED: (
            "called", _("Đã gọi — mời đến quầy số %(counter)s") % counter, _("Mời quý khách đến quầy ngay."),
        ),
        Status.SERVING: ("serving", _("Đang phục vụ tại quầy số %(counter)s") % counter, ""),
        Status.DONE: ("done", _("Đã xong"), _("Cảm ơn quý khách đã sử dụng dịch vụ.")),
        Status.NO_SHOW: (
            "missed", _("Đã qua lượt"), _("Quý khách vắng mặt khi được gọi. Vui lòng liên hệ quầy hướng dẫn."),
        ),
        Status.TRANSFERRED: ("done", _("Đã chuyển sang hàng đợi khác"), _("Vui lòng hỏi cán bộ tại quầy.")),
        Status.CANCELLED: ("missed", _("Đã hủy"), _("Vui lòng lấy số mới nếu quý khách cần được phục vụ.")),
    }  # fmt: skip
    return table[Status(ticket.status)]


def ticket_state(ticket: Ticket, *, now: datetime) -> TicketState:
    ticket = _latest(ticket)
    expired = ticket.status == Status.WAITING and ticket.business_date < business_date_of(now)
    tone, title, detail = _words(ticket, expired)
    waiting = ticket.status == Status.WAITING and not expired
    estimate = estimate_for_ticket(ticket, now=now) if waiting else None
    return TicketState(
        code=ticket.code,
        queue=ticket.queue.name,
        status="expired" if expired else ticket.status,
        tone=tone,
        title=title,
        detail=detail,
        counter=_counter_number(ticket) if ticket.counter else "",
        people_ahead=estimate.people_ahead if estimate else None,
        wait=wait_text(estimate) if estimate else "",
        final=expired or ticket.status not in (Status.WAITING, Status.CALLED, Status.SERVING),
        updated_at=to_local(now).strftime("%H:%M:%S"),
    )


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/ticket_not_found.html", status=404)


@require_safe
@never_cache
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_get_by_token(token=token)
    if ticket is None:
        return _not_found(request)
    now = timezone.now()
    return render(request, "portal/ticket_detail.html", {
        "ticket": ticket, "center": ticket.center, "state": ticket_state(ticket, now=now),
        "poll_seconds": POLL_SECONDS,
    })  # fmt: skip


@require_safe
@never_cache
def ticket_status(request: HttpRequest, token: str) -> JsonResponse:
    ticket = ticket_get_by_token(token=token)
    if ticket is None:
        error = {"code": "queueing.ticket.not_found", "message": _("Không tìm thấy số thứ tự này.")}
        return JsonResponse({"error": error}, status=404)
    return JsonResponse(asdict(ticket_state(ticket, now=timezone.now())))
