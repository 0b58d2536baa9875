"""The dossier API (ADR 0008): submit or accept, read, act, and the public status by code.

Who may call what:
* officers use their login session (cookie; writes also send `X-CSRFToken`), as in the queue
  API; every read goes through the scoped selector (and reading one dossier is audited), every
  action through the dossier service, which checks the role, the status table and the version;
* a kiosk device (`Authorization: Device <token>`) may submit a dossier online to its own center
  (status 1: no code, no clock) — the integration path until devices get an "integration" kind;
* `GET /public/dossiers/{code}` needs nothing and shows what the public tracking page shows.

A service's refusal keeps its own code and Vietnamese message: someone else changed the
dossier or the status does not allow it → 409, not your dossier or role → 403, anything else
the service refuses → 422; an unknown code → 404; a malformed body → 422. Never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja import Status as Answer

from motcua.accounts.backends import client_ip
from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.core.models import Center
from motcua.core.selectors import center_get
from motcua.devices.models import Device
from motcua.dossiers import access, selectors, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import Applicant, FeeLine, Intake, ProvidedDocument

from . import dossier_schemas as schemas
from .errors import ApiError, not_found
from .queue import DEVICE_OR_OFFICER, OFFICER

router = Router(tags=["dossiers"])

DossierCode = Annotated[str, Path(max_length=80, pattern=r"^[-A-Za-z0-9._]+$", description="Mã hồ sơ")]
DossierRef = Annotated[
    str, Path(max_length=80, pattern=r"^[-A-Za-z0-9._]+$", description="Mã hồ sơ, hoặc `id` khi hồ sơ chưa có mã")
]
Action = Literal[
    "accept", "refuse", "forward", "assign", "hand-over", "request-supplement", "receive-supplement",
    "request-payment", "record-payment", "approve-result", "mark-result-ready", "return", "withdraw", "stop",
    "apology",
]  # fmt: skip
_RELATED = ("procedure_version", "receiving_center", "competent_agency", "current_agency", "assigned_to")


@contextmanager
def _service_answers() -> Iterator[None]:
    """Turn the dossier services' refusals into API errors with the same code and message."""
    try:
        yield
    except DossierError as error:
        raise ApiError(error.status_code, error.code, str(error.message)) from error
    except Dossier.DoesNotExist as error:
        raise not_found(_("Không tìm thấy hồ sơ này.")) from error
    except IntegrityError as error:  # a unique row written by someone else meanwhile (apology number…)
        raise ApiError(409, "dossier.conflict", _("Hồ sơ vừa được người khác cập nhật, vui lòng tải lại.")) from error


def _get(user: Any, ref: str, *, ip: str | None = None, audit: bool) -> Dossier:
    """By code, or by id for a dossier not yet accepted (status 1 has no code; a code is never all digits)."""
    if ref.isdigit():
        return selectors.dossier_get_for_user(user=user, pk=min(int(ref), 2**63 - 1), ip=ip, audit=audit)
    return selectors.dossier_get_for_user(user=user, code=ref, ip=ip, audit=audit)


def _loaded(pk: int) -> Dossier:
    return Dossier.objects.select_related(*_RELATED).prefetch_related("documents", "fees").get(pk=pk)


# --- create ----------------------------------------------------------------------------------


def _center_or_404(code: str) -> Center:
    center = center_get(code=code)
    if center is None:
        raise not_found(_("Không tìm thấy trung tâm có mã %(code)s.") % {"code": code})
    return center


def _applicant(body: schemas.ApplicantIn) -> Applicant:
    if body.email.strip():
        try:
            validate_email(body.email.strip())
        except DjangoValidationError as error:
            raise ApiError(422, "dossier.email_invalid", _("Địa chỉ thư điện tử không hợp lệ.")) from error
    return Applicant(**body.dict())


def _intake(body: schemas.DossierIn, channel: str) -> Intake:
    procedure = Procedure.objects.filter(code=body.procedure).first()
    if procedure is None:
        raise not_found(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": body.procedure})
    agency = Agency.objects.filter(code=body.competent_agency).first() if body.competent_agency else None
    if body.competent_agency and agency is None:
        raise not_found(_("Không tìm thấy cơ quan có mã %(code)s.") % {"code": body.competent_agency})
    return Intake(
        procedure=procedure, applicant=_applicant(body.applicant), competent_agency=agency, channel=channel,
        documents=tuple(ProvidedDocument(**line.dict()) for line in body.documents),
        fees=tuple(FeeLine(**line.dict()) for line in body.fees), return_method=body.return_method,
        is_digitised=body.is_digitised, note=body.note,
    )  # fmt: skip


def _submit_as_device(device: Device, center: Center, body: schemas.DossierIn, ip: str | None) -> Dossier:
    if device.kind != Device.Kind.KIOSK or device.center_id != center.pk:
        message = _("Thiết bị này không được nộp hồ sơ cho trung tâm %(code)s.") % {"code": center.code}
        raise ApiError(403, "forbidden", message)
    if body.accept:
        raise ApiError(403, "forbidden", _("Chỉ cán bộ tiếp nhận mới tiếp nhận được hồ sơ."))
    intake = _intake(body, body.channel or Dossier.Channel.ONLINE)
    return services.dossier_submit(intake=intake, center=center, actor_kind=DossierEvent.ActorKind.API, ip=ip)


def _create_as_officer(officer: Any, center: Center, body: schemas.DossierIn, ip: str | None) -> Dossier:
    access.ensure_receive_at(officer, center.pk)
    if body.accept:
        intake = _intake(body, body.channel or Dossier.Channel.COUNTER)
        return services.dossier_accept(officer=officer, intake=intake, center=center, ip=ip)
    intake = _intake(body, body.channel or Dossier.Channel.ONLINE)
    return services.dossier_submit(intake=intake, center=center, actor=officer, actor_kind="officer", ip=ip)


@router.post("/dossiers", response={201: schemas.DossierOut}, auth=DEVICE_OR_OFFICER, summary="Nộp / tiếp nhận hồ sơ",
             description="Không có `accept`: hồ sơ mới ở trạng thái 1 (chưa có mã, chưa tính hạn) — nộp trực tuyến "
                         "hoặc từ hệ thống tích hợp (thiết bị kiosk: chỉ cho trung tâm của mình). `accept: true` "
                         "(cán bộ tiếp nhận của trung tâm): tiếp nhận ngay — cấp mã, tính ngày hẹn trả, lập giấy "
                         "tiếp nhận, gửi thông báo.")  # fmt: skip
def dossier_create(request: HttpRequest, body: schemas.DossierIn) -> Answer[dict[str, Any]]:
    caller, ip = request.auth, client_ip(request)  # type: ignore[attr-defined]
    center = _center_or_404(body.center)
    with _service_answers():
        if isinstance(caller, Device):
            dossier = _submit_as_device(caller, center, body, ip)
        else:
            dossier = _create_as_officer(caller, center, body, ip)
    return Answer(201, schemas.dossier_out(_loaded(dossier.pk)))


# --- read ------------------------------------------------------------------------------------


@router.get("/dossiers/{code}", response=schemas.DossierOut, auth=OFFICER, summary="Chi tiết hồ sơ",
            description="Trong phạm vi của cán bộ (trung tâm tiếp nhận, cơ quan giải quyết); "
                        "mỗi lần xem thông tin cá nhân được ghi nhật ký.")  # fmt: skip
def dossier_detail(request: HttpRequest, code: DossierRef) -> dict[str, Any]:
    with _service_answers():
        dossier = _get(request.auth, code, ip=client_ip(request), audit=True)  # type: ignore[attr-defined]
    return schemas.dossier_out(_loaded(dossier.pk))


@router.get("/dossiers/{code}/events", response=list[schemas.EventOut], auth=OFFICER, summary="Lịch sử hồ sơ")
def dossier_events(request: HttpRequest, code: DossierRef) -> list[dict[str, Any]]:
    with _service_answers():
        dossier = _get(request.auth, code, audit=False)  # type: ignore[attr-defined]
    events = dossier.events.select_related("actor", "agency").order_by("at", "id")
    return [schemas.event_out(event) for event in events]


# --- act -------------------------------------------------------------------------------------

Handler = Callable[[Any, Dossier, schemas.TransitionIn, str | None], Any]


def _required(value: Any, code: str, message: str) -> Any:
    if value in (None, "", []):
        raise ApiError(422, code, message)
    return value


def _assignee(body: schemas.TransitionIn) -> User:
    username = _required(body.assignee, "dossier.assignee_required", _("Vui lòng chọn chuyên viên được phân công."))
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError(422, "dossier.assignee_unknown", _("Không có cán bộ %(name)s.") % {"name": username})
    return user


def _fee(dossier: Dossier, body: schemas.TransitionIn) -> Any:
    fee_id = _required(body.fee, "dossier.fee_required", _("Vui lòng chọn khoản phí, lệ phí."))
    fee = dossier.fees.filter(pk=fee_id).first()
    if fee is None:
        raise ApiError(422, "dossier.fee_unknown", _("Hồ sơ không có khoản phí, lệ phí này."))
    return fee


def _request_supplement(o: Any, d: Dossier, b: schemas.TransitionIn, ip: str | None) -> Any:
    items = [item.dict() for item in b.items]
    common = {"officer": o, "dossier": d, "items": items, "reason": b.reason, "expected_version": b.expected_version,
              "ip": ip}  # fmt: skip
    if d.status == Dossier.Status.SUBMITTED:  # at reception (1 → 1), before any code
        return services.dossier_request_reception_supplement(**common)
    return services.dossier_request_supplement(**common)


def _return(o: Any, d: Dossier, b: schemas.TransitionIn, ip: str | None) -> Any:
    if b.method == Dossier.ReturnMethod.POST:
        return services.dossier_return_by_post(officer=o, dossier=d, tracking_number=b.tracking_number,
                                               expected_version=b.expected_version, ip=ip)  # fmt: skip
    return services.dossier_return_at_counter(
        officer=o, dossier=d, collected_by_name=b.collected_by_name, collected_by_national_id=b.collected_by_national_id,
        authorisation=b.authorisation, expected_version=b.expected_version, ip=ip,
    )  # fmt: skip


def _apology(o: Any, d: Dossier, b: schemas.TransitionIn, ip: str | None) -> Any:
    new_due = _required(b.new_due_at, "dossier.new_due_at_required", _("Vui lòng nhập ngày hẹn trả mới."))
    if timezone.is_naive(new_due):
        raise ApiError(422, "dossier.new_due_at_naive", _("Ngày hẹn trả mới cần có múi giờ, ví dụ +07:00."))
    return services.dossier_issue_apology(officer=o, dossier=d, reason=b.reason, new_due_at=new_due,
                                          expected_version=b.expected_version, ip=ip)  # fmt: skip


_HANDLERS: dict[str, Handler] = {
    "accept": lambda o, d, b, ip: services.dossier_accept(officer=o, dossier=d, expected_version=b.expected_version, ip=ip),
    "refuse": lambda o, d, b, ip: services.dossier_refuse(officer=o, dossier=d, reason=b.reason,
                                                         expected_version=b.expected_version, ip=ip),
    "forward": lambda o, d, b, ip: services.dossier_forward(officer=o, dossier=d, expected_version=b.expected_version, ip=ip),
    "assign": lambda o, d, b, ip: services.dossier_assign(officer=o, dossier=d, assignee=_assignee(b),
                                                         expected_version=b.expected_version, ip=ip),
    "hand-over": lambda o, d, b, ip: services.dossier_hand_over(officer=o, dossier=d, note=b.note,
                                                               expected_version=b.expected_version, ip=ip),
    "request-supplement": _request_supplement,
    "receive-supplement": lambda o, d, b, ip: services.dossier_receive_supplement(
        officer=o, dossier=d, note=b.note, expected_version=b.expected_version, ip=ip),
    "request-payment": lambda o, d, b, ip: services.dossier_request_payment(
        officer=o, dossier=d, fees=[(line.name, line.amount) for line in b.fees], expected_version=b.expected_version, ip=ip),
    "record-payment": lambda o, d, b, ip: services.dossier_record_payment(
        officer=o, dossier=d, fee=_fee(d, b), method=b.method, receipt_number=b.receipt_number,
        expected_version=b.expected_version, ip=ip),
    "approve-result": lambda o, d, b, ip: services.dossier_approve_result(
        officer=o, dossier=d, kind=b.result_kind, document_number=b.document_number,
        expected_version=b.expected_version, ip=ip),
    "mark-result-ready": lambda o, d, b, ip: services.dossier_mark_result_ready(
        officer=o, dossier=d, expected_version=b.expected_version, ip=ip),
    "return": _return,
    "withdraw": lambda o, d, b, ip: services.dossier_withdraw(officer=o, dossier=d, reason=b.reason,
                                                             expected_version=b.expected_version, ip=ip),
    "stop": lambda o, d, b, ip: services.dossier_stop(officer=o, dossier=d, reason=b.reason,
                                                     expected_version=b.expected_version, ip=ip),
    "apology": _apology,
}  # fmt: skip


@router.post("/dossiers/{code}/transitions/{action}", response=schemas.DossierOut, auth=OFFICER,
             summary="Thao tác trên hồ sơ",
             description="Một bước của quy trình (ADR 0008 §2). `expected_version` là `version` cán bộ đã thấy: "
                         "nếu người khác đã cập nhật hồ sơ, trả 409 `dossier.conflict` và không thay đổi gì. "
                         "Trạng thái không cho phép: 409 `dossier.invalid_transition`; ngoài phạm vi: 403; "
                         "thiếu thông tin (lý do…): 422. Thành công: hồ sơ sau thao tác.")  # fmt: skip
def dossier_transition(
    request: HttpRequest, code: DossierRef, action: Annotated[Action, Path(description="Thao tác")],
    body: schemas.TransitionIn,
) -> dict[str, Any]:  # fmt: skip
    officer, ip = request.auth, client_ip(request)  # type: ignore[attr-defined]
    with _service_answers():
        dossier = _get(officer, code, audit=False)
        _HANDLERS[action](officer, dossier, body, ip)
    return schemas.dossier_out(_loaded(dossier.pk))


# --- public ----------------------------------------------------------------------------------


@router.get("/public/dossiers/{code}", response=schemas.PublicDossierOut, auth=None,
            summary="Tình trạng hồ sơ theo mã (công khai)",
            description="Như trang tra cứu công khai: trạng thái, cơ quan đang giải quyết, ngày hẹn trả và các mốc "
                        "xử lý; không có thông tin cá nhân.")  # fmt: skip
def dossier_public(request: HttpRequest, code: DossierCode) -> dict[str, Any]:
    from motcua.portal import dossier_views as page  # the page's own words, and the selector's timeline

    dossier = page.dossier_by_code(code)
    if dossier is None or not dossier.code:
        raise not_found(_("Không tìm thấy hồ sơ có mã %(code)s.") % {"code": code})
    return schemas.public_dossier_out(dossier, page.public_status(dossier, now=timezone.now()))
