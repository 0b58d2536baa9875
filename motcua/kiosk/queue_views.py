"""Taking a queue number at the Smart Kiosk (Lấy số thứ tự).

Step 1 an agency's queue (or a procedure, which leads to its queue) → step 2 an optional
priority class → the identity hook (`identity.py`, issue 5) → step 3 confirm, whose POST issues
→ step 4 the slip on screen, printed through the outbox or by the browser. The choice travels
in the address (queue code in the path, `?uu_tien=` for the priority), so a refusal or a reload
never loses it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from motcua.catalog.models import Agency
from motcua.catalog.selectors import procedure_get
from motcua.core.models import Center
from motcua.notifications.selectors import printer_default_for_slips
from motcua.notifications.services import ticket_slip_print
from motcua.portal import pages
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.eta import Estimate, estimate_for_queue, estimate_for_ticket
from motcua.queueing.models import PriorityClass, Queue, Ticket
from motcua.queueing.selectors import (
    priority_class_list_active,
    queue_for_procedure,
    queue_list_for_kiosk,
    ticket_get_by_token,
)
from motcua.queueing.services import business_date_of, issue_refusal, ticket_issue
from motcua.queueing.slip import qr_svg, slip_data, slip_pdf, wait_text

from .identity import identity_step
from .identity_views import attach_verified_identity
from .once import Outcome, form_token_claim, form_token_done, form_token_new
from .views import KEYBOARD_ROWS, center_or_404

logger = logging.getLogger(__name__)
NO_PRIORITY = "khong"
# The slip stays up long enough to read and photograph, then the kiosk goes home by itself.
SLIP_IDLE_SECONDS = 45


@dataclass(frozen=True)
class QueueTile:
    queue: Queue
    agencies: list[Agency]
    estimate: Estimate

    @property
    def title(self) -> str:
        """`Tư pháp` of `Tư pháp – Chứng thực, hộ tịch`: the agency part, in large type."""
        return self.queue.name.split(" – ", 1)[0]

    @property
    def subtitle(self) -> str:
        parts = self.queue.name.split(" – ", 1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def agency_names(self) -> list[str]:
        """The agencies served, unless the queue is already named after its only one."""
        names = [agency.display_name for agency in self.agencies]
        return [] if names == [self.queue.name] else names


def _queue_or_404(center: Center, code: str) -> Queue:
    queue = queue_list_for_kiosk(center=center).filter(code=code).first()
    if queue is None:
        raise Http404(code)
    return queue


def _priority(code: str) -> PriorityClass | None:
    if not code or code == NO_PRIORITY:
        return None
    return priority_class_list_active().filter(code=code).first()


def _confirm_url(center: Center, queue: Queue, priority: PriorityClass | None) -> str:
    url = reverse("kiosk:queue_confirm", args=[center.code, queue.code])
    return f"{url}?{urlencode({'uu_tien': priority.code if priority else NO_PRIORITY})}"


def _tiles(center: Center, now: datetime) -> list[QueueTile]:
    day = business_date_of(now)
    queues = sorted(queue_list_for_kiosk(center=center), key=lambda queue: (queue.prefix, queue.code))
    # Lettered A, B, C… on the slips and boards, so the tiles follow the letters.
    return [
        QueueTile(queue, list(queue.agencies.all()), estimate_for_queue(queue, business_date=day, now=now))
        for queue in queues
    ]


# --- step 1: which queue ----------------------------------------------------------------------


@require_safe
def queue_start(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    now = timezone.now()
    return render(request, "kiosk/queue_start.html", {
        "center": center, "step": 1, "tiles": _tiles(center, now), "keyboard_rows": KEYBOARD_ROWS,
        "reception_open": pages.reception_open(center, now),
    })  # fmt: skip


@require_safe
def queue_search(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    page = pages.search_page(request.GET, center=center)
    return render(request, "kiosk/queue_search.html", {
        "center": center, "step": 1, "page": page, "keyboard_rows": KEYBOARD_ROWS,
    })  # fmt: skip


@require_safe
def queue_for_procedure_view(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    center = center_or_404(center_code)
    procedure = procedure_get(code=code)
    if procedure is None:
        raise Http404(code)
    queue = queue_for_procedure(center=center, procedure=procedure)
    if queue is None:
        return render(request, "kiosk/queue_none.html", {"center": center, "step": 1, "procedure": procedure})
    return redirect("kiosk:queue_priority", center.code, queue.code)


# --- step 2: priority -------------------------------------------------------------------------


@require_safe
def queue_priority(request: HttpRequest, center_code: str, queue_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    queue = _queue_or_404(center, queue_code)
    if (closed := issue_refusal(queue=queue, now=timezone.now())) is not None:
        # Said before the citizen picks anything more; "Thử lại" brings them back to this step.
        retry = reverse("kiosk:queue_priority", args=[center.code, queue.code])
        return _refused(request, center, queue, None, str(closed.message), retry_url=retry)
    classes = list(priority_class_list_active())
    if not classes:
        return redirect(_confirm_url(center, queue, None))
    choices = [(_confirm_url(center, queue, None), None), *((_confirm_url(center, queue, c), c) for c in classes)]
    return render(request, "kiosk/queue_priority.html", {
        "center": center, "step": 2, "queue": queue, "choices": choices,
    })  # fmt: skip


# --- step 3: confirm and issue ----------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def queue_confirm(request: HttpRequest, center_code: str, queue_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    queue = _queue_or_404(center, queue_code)
    wanted = (request.POST if request.method == "POST" else request.GET).get("uu_tien", "")
    priority = _priority(wanted)
    if wanted and wanted != NO_PRIORITY and priority is None:
        return redirect("kiosk:queue_priority", center.code, queue.code)  # a class withdrawn meanwhile
    if request.method == "POST":
        return _issue(request, center, queue, priority)
    if (screen := identity_step(request, center=center, queue=queue, priority=priority)) is not None:
        return screen
    now = timezone.now()
    return render(request, "kiosk/queue_confirm.html", {
        "center": center, "step": 3, "queue": queue, "agencies": list(queue.agencies.all()), "priority": priority,
        "priority_code": priority.code if priority else NO_PRIORITY, "form_token": form_token_new(request),
        "estimate": (estimate := estimate_for_queue(queue, business_date=business_date_of(now), now=now)),
        "wait": wait_text(estimate), "back_url": reverse("kiosk:queue_priority", args=[center.code, queue.code]),
    })  # fmt: skip


def _issue(request: HttpRequest, center: Center, queue: Queue, priority: PriorityClass | None) -> HttpResponse:
    token = request.POST.get("form_token", "")
    claim = form_token_claim(request, token)
    if not claim.fresh:
        return _replay(request, center, queue, priority, claim.outcome)
    now = timezone.now()
    try:
        ticket = ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, priority=priority, now=now)
    except TicketIssueRefused as refusal:
        form_token_done(request, token, Outcome(refusal=str(refusal.message)))
        return _refused(request, center, queue, priority, str(refusal.message))
    form_token_done(request, token, Outcome(ticket_token=ticket.token))
    attach_verified_identity(request, ticket=ticket, now=now)  # a face check just before (issue 5)
    _print(ticket, now)
    return redirect("kiosk:slip", center.code, ticket.token)


def _print(ticket: Ticket, now: datetime) -> None:
    """Queue the slip for the center's printer. The ticket has committed: whatever goes wrong
    here, the citizen still gets the slip screen (and the "In phiếu" button)."""
    try:
        ticket_slip_print(ticket=ticket, now=now)
    except Exception:  # noqa: BLE001 - an outbox hiccup must not turn a taken number into an error page
        logger.exception("slip of ticket %s could not be queued for printing", ticket.pk)


def _replay(
    request: HttpRequest, center: Center, queue: Queue, priority: PriorityClass | None, outcome: Outcome | None
) -> HttpResponse:
    """A second tap on the same form: the same slip (or refusal) as the first, no new ticket."""
    if outcome and outcome.ticket_token:
        return redirect("kiosk:slip", center.code, outcome.ticket_token)
    if outcome and outcome.refusal:
        return _refused(request, center, queue, priority, outcome.refusal)
    return redirect(_confirm_url(center, queue, priority))


def _refused(
    request: HttpRequest,
    center: Center,
    queue: Queue,
    priority: PriorityClass | None,
    message: str,
    retry_url: str | None = None,
) -> HttpResponse:
    return render(request, "kiosk/queue_refused.html", {
        "center": center, "step": 3, "queue": queue, "priority": priority, "message": message,
        "retry_url": retry_url or _confirm_url(center, queue, priority),
    }, status=409)  # fmt: skip


# --- step 4: the slip -------------------------------------------------------------------------


def _ticket_or_404(center: Center, token: str) -> Ticket:
    ticket = ticket_get_by_token(token=token)
    if ticket is None or ticket.center_id != center.pk:
        raise Http404(token)
    return ticket


def _slip_context(request: HttpRequest, center_code: str, token: str) -> dict:
    center = center_or_404(center_code)
    ticket = _ticket_or_404(center, token)
    data = slip_data(ticket, estimate_for_ticket(ticket, now=timezone.now()))
    return {
        "center": center, "ticket": ticket, "slip": data,
        "qr": mark_safe(qr_svg(data.qr_url)),  # noqa: S308 - markup drawn by qrcode from our own URL
    }  # fmt: skip


@require_safe
def slip(request: HttpRequest, center_code: str, token: str) -> HttpResponse:
    context = _slip_context(request, center_code, token)
    return render(request, "kiosk/slip.html", context | {
        "step": 4, "idle_seconds": SLIP_IDLE_SECONDS,
        "printing": printer_default_for_slips(center=context["center"]) is not None,
    })  # fmt: skip


@require_safe
@xframe_options_sameorigin  # "In phiếu" prints it from a hidden frame on the slip screen
def slip_print(request: HttpRequest, center_code: str, token: str) -> HttpResponse:
    context = _slip_context(request, center_code, token)
    return render(request, "kiosk/slip_print_80.html", context | {"autoprint": request.GET.get("tu_dong") == "1"})


@require_safe
def slip_pdf_view(request: HttpRequest, center_code: str, token: str) -> HttpResponse:
    data = _slip_context(request, center_code, token)["slip"]
    response = HttpResponse(slip_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-thu-tu-{data.code}.pdf"'
    return response
