"""Taking a queue number from the phone for today (issue 5): same rules as the kiosk.

A signed-in citizen chooses a center and a queue; the number comes from `ticket_issue` with the
web channel, so opening hours, the cut-off, the daily cap and days off refuse exactly as at the
kiosk, and the citizen follows it on the phone page of the slip's QR (`/so/<token>/`). A citizen
may hold a few web numbers a day (MOTCUA["WEB_TICKETS_PER_DAY"]), counted from the audit log, so
nobody books the whole morning.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.calendar import to_local
from motcua.core.models import AuditLog, Center
from motcua.core.services import audit_log_write
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.eta import Estimate, estimate_for_queue
from motcua.queueing.models import Queue, Ticket
from motcua.queueing.selectors import queue_list_for_kiosk
from motcua.queueing.services import business_date_of, ticket_issue
from motcua.queueing.slip import wait_text

from .account_views import citizen_required

ACTION = "queueing.ticket.issued_online"


@dataclass(frozen=True)
class Choice:
    queue: Queue
    estimate: Estimate
    wait: str


def _centers() -> QuerySet[Center]:
    return Center.objects.filter(is_active=True, queues__is_active=True).distinct().order_by("ordering", "name")


def _choices(center: Center) -> list[Choice]:
    now = timezone.now()
    day = business_date_of(now)
    queues = sorted(queue_list_for_kiosk(center=center), key=lambda queue: (queue.prefix, queue.code))
    estimates = [(queue, estimate_for_queue(queue, business_date=day, now=now)) for queue in queues]
    return [Choice(queue, estimate, wait_text(estimate)) for queue, estimate in estimates]


def _taken_today(request: HttpRequest) -> int:
    start = to_local(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    return AuditLog.objects.filter(actor_id=request.user.pk, action=ACTION, at__gte=start).count()


def _issue(request: HttpRequest, center: Center) -> HttpResponse | None:
    """Issue the chosen number, or say why not (and stay on the page)."""
    queue = Queue.objects.filter(center=center, code=request.POST.get("hang", ""), is_active=True).first()
    if queue is None:
        messages.error(request, _("Vui lòng chọn một lĩnh vực để lấy số."))
        return None
    if _taken_today(request) >= int(settings.MOTCUA.get("WEB_TICKETS_PER_DAY", 3)):
        messages.error(request, _("Mỗi ngày quý khách lấy số trực tuyến được tối đa %(n)s lần.")
                       % {"n": settings.MOTCUA.get("WEB_TICKETS_PER_DAY", 3)})  # fmt: skip
        return None
    try:
        ticket = ticket_issue(queue=queue, channel=Ticket.Channel.WEB)
    except TicketIssueRefused as refusal:
        messages.error(request, str(refusal.message))
        return None
    audit_log_write(actor=request.user, action=ACTION, obj=ticket, center=center,
                    ip=request.META.get("REMOTE_ADDR"), data={"queue": queue.code})  # fmt: skip
    return redirect("portal:ticket", token=ticket.token)


@citizen_required
@require_http_methods(["GET", "POST"])
def queue_online(request: HttpRequest, center_code: str | None = None) -> HttpResponse:
    if center_code is None:
        return render(request, "portal/queue_online.html", {"centers": _centers(), "nav": "queue"})
    center = get_object_or_404(_centers(), code=center_code)
    if request.method == "POST":
        done = _issue(request, center)
        if done is not None:
            return done
    return render(request, "portal/queue_online.html", {
        "center": center, "choices": _choices(center), "nav": "queue",
    })  # fmt: skip
