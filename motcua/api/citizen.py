"""The citizen API (/api/v1/citizen/…): the portal's actions for a mobile app, with token auth.

How a citizen is recognised: `Authorization: Bearer mc_…`, a token the app receives once when
the citizen registers (`POST /accounts`) or signs in (`POST /tokens`) and gives back on every
call; signing out (`DELETE /tokens/current`) revokes it. Login sessions (cookies) are not
accepted here — an app has no CSRF token — and staff or officer accounts are refused: they work
in the console. Password reset stays on the web portal (/tai-khoan/quen-mat-khau/).

Endpoints parse, look the citizen's own rows up through the online selectors (which filter by
the citizen in the query: another citizen's id answers 404, never 403), call one service and
shape the answer (citizen_schemas.py). Drafts, dossiers and files are in citizen_files.py.
Refusals keep the services' Vietnamese messages; errors are `{"error": {"code", "message"}}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja import Status as Answer

from motcua.accounts.backends import client_ip, lockout_message
from motcua.catalog.selectors import procedure_get
from motcua.core.models import Center
from motcua.identity.models import CitizenProfile, CitizenToken
from motcua.identity.selectors import citizen_username_for_login, login_identifier_normalize
from motcua.identity.services import accounts
from motcua.identity.services.tokens import (
    citizen_token_issue,
    citizen_token_revoke,
    is_citizen_only,
)
from motcua.online import services as online
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.eta import estimate_for_queue, estimate_for_ticket
from motcua.queueing.models import Queue, Ticket
from motcua.queueing.selectors import queue_list_for_kiosk
from motcua.queueing.services import business_date_of, ticket_issue_online
from motcua.queueing.slip import wait_text

from . import citizen_files, queue_schemas
from . import citizen_schemas as schemas
from .citizen_auth import CITIZEN, citizen_of
from .errors import ApiError, error_response, not_found

router = Router(tags=["citizen"], auth=CITIZEN)
router.add_router("", citizen_files.router)  # drafts, dossiers, the data store


# --- register, sign in and out ------------------------------------------------------------------


def _birth_date(raw: str) -> date:
    """YYYY-MM-DD (what apps send) or dd/mm/yyyy (what people type), with the web form's checks."""
    from motcua.portal.account_forms import birth_date_parse

    try:
        raw = date.fromisoformat(raw.strip()).strftime("%d/%m/%Y")
    except ValueError:
        pass
    return birth_date_parse(raw)


class _Problems:
    """Every field's problem at once, as the web form shows them."""

    def __init__(self) -> None:
        self.fields: list[dict[str, str]] = []

    def add(self, field: str, code: str, message: str) -> None:
        if not any(item["name"] == field for item in self.fields):
            self.fields.append({"name": field, "code": code, "message": str(message)})

    def guard(self, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except accounts.CitizenAccountError as error:
            self.add(error.field or "", error.code, error.message)
            return None

    def response(self) -> HttpResponse:
        return error_response(422, "invalid_registration", self.fields[0]["message"], fields=self.fields)


def _register_problems(body: schemas.RegisterIn) -> tuple[_Problems, dict[str, Any]]:
    problems, clean = _Problems(), {}
    clean["full_name"] = problems.guard(accounts.full_name_check, body.full_name)
    try:
        clean["birth_date"] = _birth_date(body.birth_date)
    except DjangoValidationError as error:
        problems.add("birth_date", "identity.account.birth_date_invalid", " ".join(error.messages))
    else:
        clean["national_id"] = problems.guard(accounts.national_id_check, body.national_id,
                                              birth_date=clean["birth_date"])  # fmt: skip
    contact = problems.guard(accounts.contact_check, body.phone, body.email)
    if contact is not None:
        clean["phone"], clean["email"] = contact
        problems.guard(accounts.password_check, body.password, full_name=clean["full_name"] or "",
                       email=clean["email"], phone=clean["phone"])  # fmt: skip
    if not body.accept_terms:
        problems.add("accept_terms", "identity.account.terms_missing",
                     _("Vui lòng đọc và đồng ý với Điều khoản sử dụng để đăng ký."))  # fmt: skip
    return problems, clean


@router.post("/accounts", response={201: schemas.TokenOut}, auth=None, summary="Đăng ký tài khoản công dân",
             description="Như trang đăng ký trên web: họ tên, số định danh khớp ngày sinh, số điện thoại hoặc thư "
                         "điện tử (mỗi số / thư chỉ một tài khoản), mật khẩu đủ mạnh, `accept_terms: true` (ghi nhận "
                         "phiên bản điều khoản). Thành công: 201 kèm token — ứng dụng đã đăng nhập. Sai: 422 "
                         "`invalid_registration`, `fields` liệt kê từng trường và lời nhắn.")  # fmt: skip
def account_register(request: HttpRequest, body: schemas.RegisterIn) -> Any:
    problems, clean = _register_problems(body)
    if problems.fields:
        return problems.response()
    ip = client_ip(request)
    try:
        user = accounts.citizen_register(
            full_name=clean["full_name"], national_id=clean["national_id"], birth_date=clean["birth_date"],
            phone=clean["phone"], email=clean["email"], password=body.password,
            terms_version=accounts.terms_version(), ip=ip,
        )  # fmt: skip
    except accounts.CitizenAccountError as error:  # a registration racing this one
        problems.add(error.field or "", error.code, error.message)
        return problems.response()
    token, raw = citizen_token_issue(user=user, label=body.label, ip=ip)
    return Answer(201, schemas.token_out(token, raw, user.citizen))


def _login_refused(request: HttpRequest) -> ApiError:
    if getattr(request, "login_locked", False):
        return ApiError(429, "too_many_attempts", lockout_message())
    return ApiError(401, "invalid_credentials", _(
        "Số điện thoại, thư điện tử hoặc mật khẩu chưa đúng. Lưu ý mật khẩu phân biệt chữ hoa và chữ thường."
    ))  # fmt: skip


@router.post("/tokens", response={201: schemas.TokenOut}, auth=None, summary="Đăng nhập (nhận token)",
             description="Số điện thoại hoặc thư điện tử và mật khẩu, như trang đăng nhập trên web, với cùng giới hạn "
                         "đăng nhập sai (khóa tạm sau nhiều lần sai: 429 `too_many_attempts`). Sai: 401 "
                         "`invalid_credentials`. Tài khoản cán bộ: 403 `staff_account`. Quên mật khẩu: đặt lại trên "
                         "cổng web.")  # fmt: skip
def token_create(request: HttpRequest, body: schemas.LoginIn) -> Answer[dict[str, Any]]:
    from motcua.portal.account_forms import looks_like_phone_or_email, staff_refused_message

    typed = body.login.strip()
    if not looks_like_phone_or_email(typed):
        raise ApiError(422, "invalid_identifier", _(
            "Vui lòng nhập số điện thoại (ví dụ 0901 234 567) hoặc thư điện tử đã dùng khi đăng ký. "
            "Cán bộ đăng nhập tại trang dành cho cán bộ."
        ))  # fmt: skip
    # As on the web form: an unknown phone or e-mail is tried as "#…", which no username can be,
    # so its failures are counted and locked out like any other and it signs nobody in.
    username = citizen_username_for_login(typed) or "#" + login_identifier_normalize(typed)
    user = authenticate(request, username=username, password=body.password)
    if user is None:
        raise _login_refused(request)
    if not is_citizen_only(user):
        raise ApiError(403, "staff_account", staff_refused_message())
    token, raw = citizen_token_issue(user=user, label=body.label, ip=client_ip(request))
    return Answer(201, schemas.token_out(token, raw, user.citizen))


@router.delete("/tokens/current", response={204: None}, summary="Đăng xuất (thu hồi token này)",
               description="Token đang dùng bị thu hồi ngay; các lần gọi sau với nó: 401 `invalid_token`.")  # fmt: skip
def token_revoke(request: HttpRequest) -> Answer[None]:
    token: CitizenToken = request.citizen_token  # type: ignore[attr-defined]
    citizen_token_revoke(token=token, ip=client_ip(request))
    return Answer(204, None)


@router.get("/me", response=schemas.MeOut, summary="Thông tin tài khoản",
            description="Số định danh được che một phần như trên trang tài khoản của web.")  # fmt: skip
def me(request: HttpRequest) -> dict[str, Any]:
    profile: CitizenProfile = citizen_of(request).citizen
    return schemas.me_out(profile)


# --- where a procedure can be submitted online ---------------------------------------------------


@router.get("/procedures/{code}/online", response=schemas.OnlineOut, auth=None,
            summary="Thủ tục có nộp trực tuyến được không, tại đâu",
            description="Công khai. `centers`: các nơi tiếp nhận chọn được khi tạo hồ sơ (`POST /citizen/drafts`).")  # fmt: skip
def procedure_online(
    request: HttpRequest, code: Annotated[str, Path(max_length=40, pattern=r"^[-A-Za-z0-9._]+$")]
) -> dict[str, Any]:
    procedure = procedure_get(code=code)
    if procedure is None:
        raise not_found(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code})
    offered = online.offered_online(procedure)
    centers = online.online_centers(procedure) if offered else []
    return {
        "procedure": {"code": procedure.code, "name": procedure.name}, "online": offered,
        "online_level": procedure.online_level,
        "centers": [{"code": c.code, "name": c.name, "address": c.address} for c in centers],
    }  # fmt: skip


# --- queue numbers for today -----------------------------------------------------------------------


def _queue_centers() -> list[Center]:
    return list(Center.objects.filter(is_active=True, queues__is_active=True).distinct().order_by("ordering", "name"))


def _queue_choices(center: Center, now: datetime) -> list[dict[str, Any]]:
    day = business_date_of(now)
    queues = sorted(queue_list_for_kiosk(center=center), key=lambda queue: (queue.prefix, queue.code))
    answers = []
    for queue in queues:
        estimate = estimate_for_queue(queue, business_date=day, now=now)
        answers.append({"code": queue.code, "name": queue.name, "prefix": queue.prefix,
                        "waiting": estimate.people_ahead, "estimated_wait_minutes": estimate.minutes,
                        "wait_text": wait_text(estimate)})  # fmt: skip
    return answers


@router.get("/centers", response=list[schemas.QueueCenterOut], summary="Nơi lấy số thứ tự trực tuyến",
            description="Các trung tâm và hàng đợi lấy số trực tuyến được, với số người đang chờ và thời gian chờ "
                        "dự kiến lúc này (như trang “Lấy số trực tuyến”).")  # fmt: skip
def queue_centers(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {"code": c.code, "name": c.name, "address": c.address, "queues": _queue_choices(c, now)}
        for c in _queue_centers()
    ]  # fmt: skip


@router.post("/tickets", response={201: schemas.CitizenTicketOut}, summary="Lấy số thứ tự trực tuyến",
             description="Số của hôm nay, cùng quy tắc như kiosk (giờ tiếp nhận, ngày nghỉ, giờ ngừng cấp số, số "
                         "tối đa) và giới hạn số lần lấy trực tuyến mỗi ngày của mỗi công dân. Từ chối: 409 kèm mã "
                         "lý do của dịch vụ (`queueing.issue.…`). Theo dõi số: `tracking_url` (trang web) hoặc "
                         "`status_api` (công khai, không cần token).")  # fmt: skip
def ticket_take(request: HttpRequest, body: schemas.TicketIn) -> Answer[dict[str, Any]]:
    center = Center.objects.filter(code=body.center, is_active=True).first()
    if center is None:
        raise not_found(_("Không tìm thấy trung tâm có mã %(code)s.") % {"code": body.center})
    queue = Queue.objects.filter(center=center, code=body.queue, is_active=True).first()
    if queue is None:
        raise not_found(_("Trung tâm không có hàng đợi mã %(code)s.") % {"code": body.queue})
    try:
        ticket = ticket_issue_online(queue=queue, citizen=citizen_of(request), ip=client_ip(request))
    except TicketIssueRefused as refusal:
        raise ApiError(409, refusal.code, str(refusal.message)) from refusal
    ticket = Ticket.objects.select_related("center", "queue", "priority", "counter__floor", "transferred_from").get(
        pk=ticket.pk
    )
    estimate = estimate_for_ticket(ticket) if ticket.status == Ticket.Status.WAITING else None
    status_api = reverse("api-v1:ticket_by_token", kwargs={"token": ticket.token})
    return Answer(201, queue_schemas.ticket_out(ticket, estimate) | {"status_api": status_api})

