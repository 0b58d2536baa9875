"""The counter's buttons: each one parses the posted form, calls one queue service and says what
happened in a Vietnamese message (Post/Redirect/Get: a reload never repeats an action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.queueing import services
from motcua.queueing.errors import QueueingError
from motcua.queueing.models import Counter, PriorityClass, Ticket

from . import selectors
from .forms import CounterActionForm

LOGIN_URL = reverse_lazy("console:login")


class StaleScreen(QueueingError):
    """The screen the officer acted on no longer shows the ticket at the desk."""


@dataclass
class Act:
    user: Any
    counter: Counter
    data: dict[str, Any]
    now: datetime


# ---- guards -------------------------------------------------------------------------------


def _counter_label(counter: Counter) -> str:
    return _("quầy số %(n)s") % {"n": counter.number}


def _ensure_seated_here(act: Act) -> None:
    """Only the officer signed in to the counter may press its buttons."""
    if act.counter.officer_id == act.user.pk:
        return
    if act.counter.officer_id is None:
        raise QueueingError(
            "console.not_seated", _("Bạn chưa vào làm việc tại %(counter)s.") % {"counter": _counter_label(act.counter)}
        )
    raise QueueingError(
        "console.other_officer",
        _("Chỉ cán bộ đang làm việc tại %(counter)s (%(name)s) mới được thao tác trên quầy này.")
        % {"counter": _counter_label(act.counter), "name": act.counter.officer},
    )


def _shown_ticket(act: Act, stale_message: str | None = None) -> Ticket | None:
    """The ticket at the desk, provided it is the one the officer's screen showed."""
    current = selectors.counter_current_ticket(counter=act.counter)
    if (current.pk if current else None) == act.data.get("ticket"):
        return current
    if current is None:
        message = _("Số trên màn hình của bạn đã được xử lý xong. Màn hình đã cập nhật, vui lòng kiểm tra lại.")
    else:
        message = stale_message or _(
            "Quầy đang phục vụ số %(code)s, khác với số trên màn hình của bạn. Thao tác chưa được thực hiện, "
            "vui lòng kiểm tra lại."
        )
        message = message % {"code": current.code}
    raise StaleScreen("console.stale", message)


def _ticket_at_desk(act: Act) -> Ticket:
    ticket = _shown_ticket(act)
    if ticket is None:
        raise QueueingError("console.no_ticket", _("Quầy chưa có số nào đang được gọi."))
    return ticket


# ---- actions: each returns (level, message) -----------------------------------------------

Result = tuple[int, str]


def sign_in(act: Act) -> Result:
    services.counter_sign_in(counter=act.counter, officer=act.user, now=act.now)
    return messages.SUCCESS, _("Bạn đã vào làm việc tại %(counter)s.") % {"counter": _counter_label(act.counter)}


def sign_out(act: Act) -> Result:
    services.counter_sign_out(counter=act.counter, officer=act.user, now=act.now)
    return messages.SUCCESS, _("Bạn đã rời %(counter)s.") % {"counter": _counter_label(act.counter)}


def pause(act: Act) -> Result:
    services.counter_pause(counter=act.counter, officer=act.user, now=act.now)
    return messages.SUCCESS, _("Quầy đã tạm dừng gọi số. Bấm “Tiếp tục” khi sẵn sàng.")


def resume(act: Act) -> Result:
    services.counter_resume(counter=act.counter, officer=act.user, now=act.now)
    return messages.SUCCESS, _("Quầy đã mở lại, có thể gọi số.")


def call_next(act: Act) -> Result:
    # A second click on "call next" carries the ticket the first click already finished.
    previous = _shown_ticket(act, _("Số %(code)s vừa được gọi đến quầy. Lệnh gọi lặp lại đã được bỏ qua để không bỏ sót công dân."))
    ticket = services.ticket_call_next(counter=act.counter, officer=act.user, now=act.now)
    if ticket is not None:
        return messages.SUCCESS, _("Đã gọi số %(code)s.") % {"code": ticket.code}
    if previous is not None:
        return messages.INFO, _("Đã kết thúc số %(code)s. Hiện không còn công dân nào đang chờ.") % {"code": previous.code}
    return messages.INFO, _("Hiện không còn công dân nào đang chờ.")


def call_number(act: Act) -> Result:
    code = act.data.get("code") or ""
    if not code:
        raise QueueingError("console.code_missing", _("Hãy nhập số cần gọi, ví dụ B012 hoặc 12."))
    _shown_ticket(act)
    ticket = services.ticket_call_number(counter=act.counter, officer=act.user, code=code, now=act.now)
    return messages.SUCCESS, _("Đã gọi số %(code)s.") % {"code": ticket.code}


def recall(act: Act) -> Result:
    ticket = services.ticket_recall(ticket=_ticket_at_desk(act), officer=act.user, now=act.now)
    return messages.SUCCESS, _("Đã gọi lại số %(code)s (lần %(n)s).") % {"code": ticket.code, "n": ticket.recall_count}


def start(act: Act) -> Result:
    ticket = services.ticket_start(ticket=_ticket_at_desk(act), officer=act.user, now=act.now)
    return messages.SUCCESS, _("Bắt đầu phục vụ số %(code)s.") % {"code": ticket.code}


def finish(act: Act) -> Result:
    ticket = services.ticket_finish(ticket=_ticket_at_desk(act), officer=act.user, now=act.now)
    return messages.SUCCESS, _("Đã kết thúc số %(code)s.") % {"code": ticket.code}


def no_show(act: Act) -> Result:
    recycle = bool(act.data.get("recycle"))
    ticket = services.ticket_mark_no_show(ticket=_ticket_at_desk(act), officer=act.user, recycle=recycle, now=act.now)
    if recycle:
        return messages.SUCCESS, _("Số %(code)s vắng mặt: đã xếp lại cuối hàng một lần.") % {"code": ticket.code}
    return messages.SUCCESS, _("Đã ghi nhận số %(code)s vắng mặt.") % {"code": ticket.code}


def transfer(act: Act) -> Result:
    ticket = _ticket_at_desk(act)
    queue = selectors.queue_get_for_counter(counter=act.counter, pk=act.data.get("queue"))
    if queue is None:
        raise QueueingError("console.queue_missing", _("Hãy chọn hàng đợi cần chuyển đến."))
    new = services.ticket_transfer(ticket=ticket, queue=queue, officer=act.user, now=act.now)
    return messages.SUCCESS, _("Đã chuyển số %(old)s sang hàng đợi “%(queue)s”, số mới %(new)s (giữ nguyên thứ tự chờ).") % {
        "old": ticket.code, "queue": queue.name, "new": new.code,
    }  # fmt: skip


def walk_in(act: Act) -> Result:
    _shown_ticket(act)
    queue = selectors.queue_get_for_counter(counter=act.counter, pk=act.data.get("queue"))
    wanted = act.data.get("priority")
    priority = PriorityClass.objects.filter(pk=wanted, is_active=True).first() if wanted else None
    ticket = services.ticket_walk_in(counter=act.counter, officer=act.user, queue=queue, priority=priority, now=act.now)
    return messages.SUCCESS, _("Đang phục vụ công dân không có số, đã ghi nhận với số %(code)s.") % {"code": ticket.code}


# slug in the URL → (action, needs the officer seated here)
ACTIONS: dict[str, tuple[Callable[[Act], Result], bool]] = {
    "vao-quay": (sign_in, False),
    "roi-quay": (sign_out, True),
    "tam-dung": (pause, True),
    "tiep-tuc": (resume, True),
    "goi-tiep": (call_next, True),
    "goi-so": (call_number, True),
    "goi-lai": (recall, True),
    "bat-dau": (start, True),
    "ket-thuc": (finish, True),
    "vang-mat": (no_show, True),
    "chuyen": (transfer, True),
    "khong-so": (walk_in, True),
}


def _run(act: Act, action: Callable[[Act], Result], needs_seat: bool) -> Result:
    try:
        if needs_seat:
            _ensure_seated_here(act)
        return action(act)
    except StaleScreen as refusal:
        return messages.WARNING, str(refusal.message)
    except QueueingError as refusal:
        return messages.ERROR, str(refusal.message)


@login_required(login_url=LOGIN_URL)
@require_POST
def counter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    counter = selectors.counter_get_for_user(user=request.user, pk=pk)
    if counter is None or action not in ACTIONS:
        raise Http404
    form = CounterActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ, vui lòng thử lại."))
        return redirect("console:counter", pk=counter.pk)
    handler, needs_seat = ACTIONS[action]
    act = Act(user=request.user, counter=counter, data=form.cleaned_data, now=timezone.now())
    level, message = _run(act, handler, needs_seat)
    messages.add_message(request, level, message)
    if handler is sign_out and level == messages.SUCCESS:
        return redirect("console:home")
    return redirect("console:counter", pk=counter.pk)
