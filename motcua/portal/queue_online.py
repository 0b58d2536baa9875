"""Taking a queue number from the phone for today (issue 5): same rules as the kiosk.

A signed-in citizen chooses a center and a queue; `ticket_issue_online` issues the number on the
web channel with the kiosk's rules (hours, cut-off, daily cap, days off) and a few a day per
citizen, and the citizen follows it on the phone page of the slip's QR (`/so/<token>/`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.backends import client_ip
from motcua.core.models import Center
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.eta import Estimate, estimate_for_queue
from motcua.queueing.models import Queue
from motcua.queueing.selectors import queue_list_for_kiosk
from motcua.queueing.services import business_date_of, ticket_issue_online
from motcua.queueing.slip import wait_text

from .account_views import citizen_required


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


def _issue(request: HttpRequest, center: Center) -> HttpResponse | None:
    """Issue the chosen number, or say why not (and stay on the page)."""
    queue = Queue.objects.filter(center=center, code=request.POST.get("hang", ""), is_active=True).first()
    if queue is None:
        messages.error(request, _("Vui lòng chọn một lĩnh vực để lấy số."))
        return None
    try:
        ticket = ticket_issue_online(queue=queue, citizen=request.user, ip=client_ip(request))
    except TicketIssueRefused as refusal:
        messages.error(request, str(refusal.message))
        return None
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
