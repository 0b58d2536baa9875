"""Counter console screens: login, choosing a counter, the counter screen and its live JSON."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.models import Center
from motcua.queueing.models import Counter, Ticket
from motcua.queueing.selectors import priority_class_list_active
from motcua.queueing.services import business_date_of

from . import selectors
from .forms import ConsoleLoginForm
from .templatetags.console_tags import dossier_menu

log = logging.getLogger(__name__)
LOGIN_URL = reverse_lazy("console:login")


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = ConsoleLoginForm
    redirect_authenticated_user = True
    next_page = "console:home"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "console/forbidden.html", {"message": message}, status=403)


def printer_problems(center: Center) -> list[Any]:
    """Printing trouble at the center for the staff banner; the console works without it."""
    try:
        from motcua.notifications.selectors import printer_problems as problems
    except ImportError:  # the notifications app has no printers in this installation
        return []
    try:
        return list(problems(center=center))
    except Exception:  # a broken banner must never take the counter screen down with it
        log.exception("could not read the printer problems of center %s", center.pk)
        return []


@login_required(login_url=LOGIN_URL)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the officer's counter when seated, otherwise the list of counters; agency
    staff, who have no counter, to their dossier work list."""
    seated = selectors.counter_of_officer(user=request.user)
    if seated is not None:
        return redirect("console:counter", pk=seated.pk)
    if not selectors.may_use_console(request.user) and dossier_menu(request.user)["work"]:
        return redirect("console:dossier_work")
    return choose(request)


@login_required(login_url=LOGIN_URL)
@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    if not selectors.may_use_console(request.user):
        return forbidden(request, _("Tài khoản của bạn không có quyền làm việc tại quầy tiếp nhận."))
    counters = list(selectors.counter_list_for_user(user=request.user))
    centers: dict[Center, list[Counter]] = {}
    for counter in counters:
        centers.setdefault(counter.center, []).append(counter)
    seated = selectors.counter_of_officer(user=request.user)
    return render(request, "console/choose.html", {"centers": centers, "seated": seated})


def _wait_so_far(ticket: Ticket | None, now: datetime) -> dict[str, Any]:
    if ticket is None:
        return {}
    called = ticket.called_at or now
    return {"waited": called - ticket.issued_at, "serving_for": now - ticket.started_at if ticket.started_at else None}


def _buttons(counter: Counter, current: Ticket | None, seated: bool) -> dict[str, bool]:
    """Which buttons make sense now (the services refuse the rest anyway, with a message)."""
    is_open = seated and counter.state == Counter.State.OPEN
    called = seated and current is not None and current.status == Ticket.Status.CALLED
    return {
        "call": is_open,
        "recall": called,
        "start": called,
        "finish": seated and current is not None,
        "no_show": called,
        "recycle": called and current is not None and not current.recycled,
        "transfer": seated and current is not None,
        "pause": is_open,
        "resume": seated and counter.state == Counter.State.PAUSED,
        "leave": seated,
    }


def counter_context(counter: Counter, user: Any, now: datetime) -> dict[str, Any]:
    day = business_date_of(now)
    current = selectors.counter_current_ticket(counter=counter)
    seated = counter.officer_id == user.pk
    return {
        "counter": counter,
        "seated_here": seated,
        "can": _buttons(counter, current, seated),
        "current": current,
        "waiting": selectors.counter_waiting(counter=counter, business_date=day),
        "served_today": selectors.counter_served_today(counter=counter, business_date=day),
        "handled": selectors.counter_handled_today(counter=counter, business_date=day),
        "transfer_queues": selectors.queue_list_for_transfer(counter=counter, ticket=current),
        "priorities": priority_class_list_active(),
        "printer_problems": printer_problems(counter.center),
        "now": now,
        **_wait_so_far(current, now),
    }


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def counter_screen(request: HttpRequest, pk: int) -> HttpResponse:
    counter = selectors.counter_get_for_user(user=request.user, pk=pk)
    if counter is None:
        return _not_yours(request, pk)
    return render(request, "console/counter.html", counter_context(counter, request.user, timezone.now()))


def _not_yours(request: HttpRequest, pk: int) -> HttpResponse:
    if not Counter.objects.filter(pk=pk).exists():
        raise Http404
    return forbidden(request, _("Quầy này thuộc trung tâm khác, bạn không có quyền làm việc tại đây."))


def _ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {"id": ticket.pk, "code": ticket.code, "priority": ticket.priority.name if ticket.priority else ""}


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def counter_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Live figures for the counter screen's poll (the page itself works without it)."""
    counter = selectors.counter_get_for_user(user=request.user, pk=pk)
    if counter is None:
        message = _("Bạn không có quyền xem quầy này.")
        return JsonResponse({"error": {"code": "console.counter.not_found", "message": str(message)}}, status=404)
    day = business_date_of(timezone.now())
    current = selectors.counter_current_ticket(counter=counter)
    queues = selectors.counter_waiting(counter=counter, business_date=day)
    return JsonResponse({
        "state": counter.state,
        "officer_id": counter.officer_id,
        "current": _ticket_json(current) if current else None,
        "served_today": selectors.counter_served_today(counter=counter, business_date=day),
        "waiting_total": sum(row.waiting for row in queues),
        "queues": [
            {"id": row.queue.pk, "code": row.queue.code, "waiting": row.waiting,
             "upcoming": [_ticket_json(t) for t in row.upcoming]}
            for row in queues
        ],
    })  # fmt: skip
