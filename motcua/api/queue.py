"""The queue API (/api/v1/queue/…): issue tickets, follow them, act at a counter, feed the boards.

Who may call what:
* kiosks (devices) send `Authorization: Device <token>`; they issue tickets at their own center
  and read the tickets of that center;
* officers use their login session (cookie) and, for writes, the `X-CSRFToken` header, like
  every form of the site; they issue and read tickets of the centers they work at, and act only
  at the counter they are signed in to;
* the status behind a slip's QR token and the board are public: they show no personal data.

Endpoints parse, authorise and call a queue service; a service's refusal becomes a 409 with the
service's own code and (translated) message, a missing seat or scope a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja import Status as Answer
from ninja.security.apikey import APIKeyCookie
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from motcua.accounts.scoping import works_at_center
from motcua.core.models import Center
from motcua.core.selectors import center_get
from motcua.devices.models import Device
from motcua.devices.selectors import device_from_token
from motcua.devices.services import device_touch
from motcua.identity.services import face_checks, face_sessions
from motcua.identity.services.face_checks import VerifiedIdentity
from motcua.queueing import services
from motcua.queueing.board_selectors import board_feed, board_floor_get, board_snapshot
from motcua.queueing.errors import QueueingError
from motcua.queueing.eta import estimate_for_queue, estimate_for_ticket
from motcua.queueing.models import Counter, PriorityClass, Queue, Ticket
from motcua.queueing.selectors import queue_list_for_kiosk, ticket_get_by_token

from . import queue_schemas as schemas
from .errors import ApiError, not_found

Status = Ticket.Status
# Refusals that mean "not you" rather than "not now": answered 403, every other refusal 409.
_FORBIDDEN_CODES = frozenset({"queueing.counter.not_signed_in", "queueing.counter.not_allowed"})
_MAX_TRANSFER_HOPS = 5
_MAX_ID = 2**63 - 1
# Codes are slugs; checking the shape first also keeps bytes such as NUL away from the database.
SLUG = r"^[-A-Za-z0-9_]+$"


# --- authentication --------------------------------------------------------------------------


class DeviceToken(AuthBase):
    """`Authorization: Device <token>`: a kiosk, board, counter display or printer bridge."""

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = "Authorization"
    openapi_description = "Thiết bị (kiosk…): `Authorization: Device <mã>`; mã tạo bằng `manage.py device_create`."

    def __call__(self, request: HttpRequest) -> Device | None:
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "device":
            return None
        device = device_from_token(token)
        if device is None:
            raise ApiError(401, "invalid_device_token", _("Mã thiết bị không hợp lệ hoặc đã bị thu hồi."))
        device_touch(device=device)
        return device


class OfficerSession(APIKeyCookie):
    """An officer's login session; writes also need the CSRF token, as on every form of the site."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "Cán bộ đã đăng nhập (cookie phiên); yêu cầu ghi cần thêm header `X-CSRFToken`."

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # no session: let the next method (or the 401) answer, not a CSRF error
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "csrf_failed", _("Thiếu hoặc sai mã CSRF (header X-CSRFToken)."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


def _nobody(request: HttpRequest) -> None:
    """Last in every list: no method matched, so the answer is a 401 in the API's own words."""
    raise ApiError(401, "unauthorized", _("Cần đăng nhập tài khoản cán bộ hoặc gửi mã thiết bị."))


DEVICE_OR_OFFICER: list[Callable[..., Any]] = [DeviceToken(), OfficerSession(), _nobody]
OFFICER: list[Callable[..., Any]] = [OfficerSession(), _nobody]

router = Router(tags=["queue"])


# --- authorisation and lookups ---------------------------------------------------------------


def _may_read_center(caller: Any, center_id: int) -> bool:
    if isinstance(caller, Device):
        return caller.center_id == center_id
    return works_at_center(caller, center_id)


def _center_or_404(code: str) -> Center:
    center = center_get(code=code)
    if center is None:
        raise not_found(_("Không tìm thấy trung tâm có mã %(code)s.") % {"code": code})
    return center


def _issuing_center(caller: Any, code: str) -> Center:
    """A kiosk's own center came with its token (one query less); anyone else's is looked up."""
    own = caller.center if isinstance(caller, Device) else None
    if own is not None and own.code == code and own.is_active:
        return own
    return _center_or_404(code)


def _queue_or_404(center: Center, code: str) -> Queue:
    queue = Queue.objects.filter(center=center, code=code).first()
    if queue is None:
        raise not_found(_("Trung tâm không có hàng đợi mã %(code)s.") % {"code": code})
    queue.center = center  # already loaded: the services read it (calendar, hours)
    return queue


def _priority_or_404(code: str | None) -> PriorityClass | None:
    if not code:
        return None
    priority = PriorityClass.objects.filter(code=code).first()
    if priority is None:
        raise not_found(_("Không có nhóm ưu tiên mã %(code)s.") % {"code": code})
    return priority


def _refused(error: QueueingError) -> ApiError:
    status = 403 if error.code in _FORBIDDEN_CODES else 409
    return ApiError(status, error.code, str(error.message))


def _ticket_answer(ticket: Ticket, *, fresh: bool = True) -> dict[str, Any]:
    """The ticket with its estimate; `fresh=False` when its relations are already loaded (one query less)."""
    if fresh:
        ticket = Ticket.objects.select_related("center", "queue", "priority", "counter__floor", "transferred_from").get(
            pk=ticket.pk
        )
    estimate = estimate_for_ticket(ticket) if ticket.status == Status.WAITING else None
    return schemas.ticket_out(ticket, estimate)


def _issue_channel(caller: Any, center: Center, wanted: str | None) -> str:
    """Kiosks issue only `kiosk` tickets of their own center; officers default to `counter`."""
    if isinstance(caller, Device):
        if caller.kind != Device.Kind.KIOSK or caller.center_id != center.pk:
            raise ApiError(
                403, "forbidden", _("Thiết bị này không được cấp số cho trung tâm %(code)s.") % {"code": center.code}
            )
        if wanted not in (None, Ticket.Channel.KIOSK):
            raise ApiError(403, "channel_not_allowed", _("Kiosk chỉ cấp số qua kênh kiosk."))
        return Ticket.Channel.KIOSK
    if not works_at_center(caller, center.pk):
        raise ApiError(403, "forbidden", _("Bạn không làm việc tại trung tâm %(code)s.") % {"code": center.code})
    return wanted or Ticket.Channel.COUNTER


# --- tickets ---------------------------------------------------------------------------------


@router.post("/tickets", response={201: schemas.TicketOut}, auth=DEVICE_OR_OFFICER, summary="Cấp số thứ tự",
             description="Cấp số mới của một hàng đợi (kiosk của trung tâm, hoặc cán bộ). Ngoài giờ tiếp nhận, "
                         "ngày nghỉ, sau giờ ngừng cấp số hoặc khi đã đủ số trong ngày: 409 kèm mã lý do.")  # fmt: skip
def ticket_issue(request: HttpRequest, body: schemas.IssueIn) -> Answer[dict[str, Any]]:
    center = _issuing_center(request.auth, body.center)  # type: ignore[attr-defined]
    channel = _issue_channel(request.auth, center, body.channel)  # type: ignore[attr-defined]
    queue, priority = _queue_or_404(center, body.queue), _priority_or_404(body.priority)
    identity = _verified_identity(request.auth, center, body.identity_ref)  # type: ignore[attr-defined]
    try:
        ticket = services.ticket_issue(queue=queue, channel=channel, priority=priority)
    except QueueingError as error:
        if identity is not None:  # no number, so the match stays usable for the next try
            face_sessions.verified_identity_keep(identity, center_id=center.pk, ref=body.identity_ref)
        raise _refused(error) from error
    if identity is not None:
        face_checks.ticket_identity_attach(ticket=ticket, identity=identity)
    ticket.center = center  # a new ticket: queue and priority are the objects passed in, no counter yet
    return Answer(201, _ticket_answer(ticket, fresh=False))


def _verified_identity(caller: Any, center: Center, ref: str) -> VerifiedIdentity | None:
    """The face check's match a kiosk app hands over (one-time), or None when none was given."""
    if not ref:
        return None
    if not isinstance(caller, Device):
        raise ApiError(403, "forbidden", _("Chỉ kiosk gắn được danh tính đã xác thực vào số thứ tự."))
    identity = face_sessions.verified_identity_take(ref, center_id=center.pk)
    if identity is None:
        raise ApiError(409, "identity_expired", _(
            "Kết quả xác thực khuôn mặt đã hết hạn hoặc đã dùng; vui lòng xác thực lại hoặc lấy số không kèm danh tính."
        ))  # fmt: skip
    return identity


@router.get("/tickets/by-token/{token}", response=schemas.TicketStatus, auth=None,
            summary="Tình trạng số theo mã QR (công khai)",
            description="Mã trong mã QR của phiếu là khóa: không cần đăng nhập, không có thông tin cá nhân. "
                        "Số đã chuyển hàng đợi: trả về số mới.")  # fmt: skip
def ticket_by_token(request: HttpRequest, token: Annotated[str, Path(max_length=64, pattern=SLUG)]) -> dict[str, Any]:
    ticket = ticket_get_by_token(token=token)
    if ticket is None:
        raise not_found(_("Không tìm thấy số thứ tự này."))
    for _hop in range(_MAX_TRANSFER_HOPS):  # a transferred ticket lives on as a new one
        successor = ticket.transferred_to.first() if ticket.status == Status.TRANSFERRED else None
        if successor is None:
            break
        ticket = successor
    return _ticket_answer(ticket)


@router.get("/tickets/{ticket_id}", response=schemas.TicketOut, auth=DEVICE_OR_OFFICER, summary="Chi tiết số thứ tự")
def ticket_detail(request: HttpRequest, ticket_id: Annotated[int, Path(ge=1, le=_MAX_ID)]) -> dict[str, Any]:
    ticket = Ticket.objects.filter(pk=ticket_id).only("pk", "center_id").first()
    if ticket is None or not _may_read_center(request.auth, ticket.center_id):  # type: ignore[attr-defined]
        raise not_found(_("Không tìm thấy số thứ tự này."))  # another center's ticket is not revealed
    return _ticket_answer(ticket)


# --- counters --------------------------------------------------------------------------------


def _counter_for(request: HttpRequest, counter_id: int) -> Counter:
    counter = Counter.objects.select_related("floor").filter(pk=counter_id).first()
    if counter is None:
        raise not_found(_("Không tìm thấy quầy này."))
    if not works_at_center(request.auth, counter.center_id):  # type: ignore[attr-defined]
        raise ApiError(
            403, "queueing.counter.not_allowed", _("Bạn không có quyền làm việc tại quầy của trung tâm này.")
        )
    return counter


def _current_ticket(counter: Counter) -> Ticket:
    ticket = (
        Ticket.objects.filter(counter=counter, status__in=[Status.CALLED, Status.SERVING])
        .order_by("-called_at", "-pk")
        .first()
    )
    if ticket is None:
        raise ApiError(
            409, "queueing.counter.no_current",
            _("Quầy số %(n)s không có số nào đang gọi hoặc đang phục vụ.") % {"n": counter.number},
        )  # fmt: skip
    return ticket


def _act(
    request: HttpRequest, counter_id: int, action: Callable[[Counter, Any], Ticket | None], *, loaded: bool = False
) -> dict[str, Any]:
    """Authorise, run one counter service, and answer with the counter and the ticket it touched.

    `loaded`: the service returns the ticket with its relations and its (fresh) counter loaded.
    """
    counter = _counter_for(request, counter_id)
    try:
        ticket = action(counter, request.auth)  # type: ignore[attr-defined]
    except QueueingError as error:
        raise _refused(error) from error
    if loaded and ticket is not None and ticket.counter is not None:
        counter = ticket.counter
    else:
        counter.refresh_from_db(fields=["state", "officer"])
    return {
        "counter": schemas.counter_out(counter),
        "ticket": _ticket_answer(ticket, fresh=not loaded) if ticket else None,
    }


CounterId = Annotated[int, Path(ge=1, le=_MAX_ID)]
_COUNTER: dict[str, Any] = {"response": schemas.CounterAction, "auth": OFFICER}


@router.post("/counters/{counter_id}/call-next", **_COUNTER, summary="Gọi số tiếp theo",
             description="Kết thúc số đang phục vụ tại quầy rồi gọi số kế tiếp; `ticket` null khi không còn ai chờ.")  # fmt: skip
def counter_call_next(request: HttpRequest, counter_id: CounterId) -> dict[str, Any]:
    return _act(request, counter_id, lambda c, o: services.ticket_call_next(counter=c, officer=o), loaded=True)


@router.post("/counters/{counter_id}/recall", **_COUNTER, summary="Gọi lại số đang gọi")
def counter_recall(request: HttpRequest, counter_id: CounterId) -> dict[str, Any]:
    return _act(request, counter_id, lambda c, o: services.ticket_recall(ticket=_current_ticket(c), officer=o))


@router.post("/counters/{counter_id}/no-show", **_COUNTER, summary="Ghi nhận vắng mặt",
             description="`recycle`: xếp lại cuối hàng một lần thay vì ghi nhận vắng mặt.")  # fmt: skip
def counter_no_show(request: HttpRequest, counter_id: CounterId, body: schemas.NoShowIn) -> dict[str, Any]:
    return _act(
        request, counter_id,
        lambda c, o: services.ticket_mark_no_show(ticket=_current_ticket(c), officer=o, recycle=body.recycle),
    )  # fmt: skip


@router.post("/counters/{counter_id}/start", **_COUNTER, summary="Bắt đầu phục vụ")
def counter_start(request: HttpRequest, counter_id: CounterId) -> dict[str, Any]:
    return _act(request, counter_id, lambda c, o: services.ticket_start(ticket=_current_ticket(c), officer=o))


@router.post("/counters/{counter_id}/finish", **_COUNTER, summary="Kết thúc phục vụ")
def counter_finish(request: HttpRequest, counter_id: CounterId) -> dict[str, Any]:
    return _act(request, counter_id, lambda c, o: services.ticket_finish(ticket=_current_ticket(c), officer=o))


@router.post("/counters/{counter_id}/transfer", **_COUNTER, summary="Chuyển sang hàng đợi khác",
             description="Số đang gọi/phục vụ được chuyển sang hàng đợi khác của trung tâm, giữ thứ tự và ưu tiên; "
                         "`ticket` là số mới.")  # fmt: skip
def counter_transfer(request: HttpRequest, counter_id: CounterId, body: schemas.TransferIn) -> dict[str, Any]:
    def transfer(counter: Counter, officer: Any) -> Ticket:
        target = _queue_or_404(counter.center, body.queue)
        return services.ticket_transfer(ticket=_current_ticket(counter), queue=target, officer=officer)

    return _act(request, counter_id, transfer)


@router.post("/counters/{counter_id}/call-number", **_COUNTER, summary="Gọi một số cụ thể")
def counter_call_number(request: HttpRequest, counter_id: CounterId, body: schemas.CallNumberIn) -> dict[str, Any]:
    return _act(request, counter_id, lambda c, o: services.ticket_call_number(counter=c, officer=o, code=body.code))


# --- centers: queues and boards (public) ------------------------------------------------------

CenterCode = Annotated[str, Path(max_length=40, pattern=SLUG, description="Mã trung tâm, ví dụ cantho")]


@router.get("/centers/{code}/queues", response=list[schemas.QueueWaiting], auth=None,
            summary="Hàng đợi đang cấp số và thời gian chờ")  # fmt: skip
def center_queues(request: HttpRequest, code: CenterCode) -> list[dict[str, Any]]:
    center, today = _center_or_404(code), services.business_date_of(timezone.now())
    return [
        schemas.queue_waiting(q, estimate_for_queue(q, business_date=today))
        for q in queue_list_for_kiosk(center=center)
    ]


FloorCode = Annotated[str | None, Query(max_length=20, pattern=SLUG, description="Mã tầng: chỉ các quầy của tầng này")]


def _board_place(code: str, floor: str | None) -> tuple[Center, Any]:
    center = _center_or_404(code)
    place = board_floor_get(center=center, code=floor) if floor else None
    if floor and place is None:
        raise not_found(_("Trung tâm không có tầng mã %(code)s.") % {"code": floor})
    return center, place


@router.get("/centers/{code}/board", response=schemas.BoardOut, auth=None, summary="Bảng điện tử: ảnh chụp hiện tại",
            description="Lượt gọi gần nhất, các quầy và số đang chờ theo hàng đợi (công khai, không có dữ liệu cá nhân).")  # fmt: skip
def center_board(request: HttpRequest, code: CenterCode, floor: FloorCode = None) -> dict[str, Any]:
    center, place = _board_place(code, floor)
    return schemas.board_out(board_snapshot(center=center, floor=place, now=timezone.now()))


@router.get("/centers/{code}/board/events", response=schemas.BoardEventsOut, auth=None,
            summary="Bảng điện tử: các lượt gọi sau một sự kiện",
            description="Dành cho bảng khi mất WebSocket: hỏi định kỳ với `since` = `last_event_id` lần trước.")  # fmt: skip
def center_board_events(
    request: HttpRequest, code: CenterCode, since: Annotated[int, Query(ge=0, le=_MAX_ID)] = 0, floor: FloorCode = None
) -> dict[str, Any]:
    center, place = _board_place(code, floor)
    return board_feed(center=center, floor=place, since=since, now=timezone.now())
