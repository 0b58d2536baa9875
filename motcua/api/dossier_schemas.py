"""Shapes of the dossier API (/api/v1/dossiers/…, /api/v1/public/dossiers/…) and the functions that fill them.

Officers' answers carry the applicant as declared (they are read through the scoped, audited
selector); the public answer carries exactly what the public tracking page shows: status,
agency, times and the whitelisted timeline, nothing personal (rule 14).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from motcua.catalog.models import Agency
from motcua.core.calendar import to_local
from motcua.dossiers import payloads
from motcua.dossiers.models import Dossier, DossierEvent

SLUG = r"^[-A-Za-z0-9_]+$"
PROCEDURE_CODE = r"^[-A-Za-z0-9._]+$"
DIGITS = r"^\d*$"
Channel = Literal["counter", "online", "post"]
ReturnMethod = Literal["counter", "post", "online"]


# --- requests -------------------------------------------------------------------------------


class ApplicantIn(Schema):
    name: str = Field(min_length=1, max_length=255, description="Họ tên cá nhân hoặc tên tổ chức")
    kind: Literal["person", "organisation"] = "person"
    national_id: str = Field("", max_length=20, pattern=DIGITS, description="Số định danh cá nhân / mã số (chữ số)")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255)
    submitter_name: str = Field("", max_length=255, description="Người nộp thay, nếu có")
    submitter_national_id: str = Field("", max_length=20, pattern=DIGITS)
    submitter_phone: str = Field("", max_length=20)
    authorisation_note: str = Field("", max_length=255, description="Giấy ủy quyền")


class DocumentIn(Schema):
    index: int = Field(ge=0, le=500, description="Thứ tự giấy tờ trong danh mục của thủ tục (từ 0)")
    provided: bool = True
    originals: int = Field(0, ge=0, le=99)
    certified_copies: int = Field(0, ge=0, le=99)
    plain_copies: int = Field(0, ge=0, le=99)
    db_reference: str = Field("", max_length=80, description="Mã tra cứu khi giấy tờ được thay bằng CSDL")


class FeeIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    amount: Decimal = Field(ge=0, le=Decimal("999999999999"), decimal_places=0, description="Số tiền (đồng)")
    quantity: int = Field(1, ge=1, le=10_000)
    paid: bool = False
    method: str = Field("", max_length=20, description="cash, transfer, online (khi đã thu)")
    receipt_number: str = Field("", max_length=40)


class DossierIn(Schema):
    center: str = Field(max_length=40, pattern=SLUG, description="Mã trung tâm tiếp nhận, ví dụ cantho")
    procedure: str = Field(max_length=40, pattern=PROCEDURE_CODE, description="Mã thủ tục, ví dụ 1.014390")
    competent_agency: str | None = Field(None, max_length=40, pattern=SLUG, description="Mã cơ quan giải quyết, "
                                         "khi cán bộ chọn (thủ tục cấp xã); bỏ trống: theo thủ tục")  # fmt: skip
    applicant: ApplicantIn
    documents: list[DocumentIn] = Field(default_factory=list, max_length=200)
    fees: list[FeeIn] = Field(default_factory=list, max_length=50)
    channel: Channel | None = Field(None, description="Mặc định: online khi nộp, counter khi tiếp nhận tại quầy")
    return_method: ReturnMethod = "counter"
    is_digitised: bool = False
    note: str = Field("", max_length=2000)
    accept: bool = Field(False, description="Cán bộ tiếp nhận: tiếp nhận ngay (cấp mã, hẹn trả, giấy tiếp nhận)")


class SupplementItemIn(Schema):
    document: str = Field(min_length=1, max_length=500, description="Tên giấy tờ cần bổ sung")
    originals: int = Field(0, ge=0, le=99)
    certified_copies: int = Field(0, ge=0, le=99)
    plain_copies: int = Field(0, ge=0, le=99)
    note: str = Field("", max_length=500)


class PaymentLineIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    amount: Decimal = Field(ge=0, le=Decimal("999999999999"), decimal_places=0)


class TransitionIn(Schema):
    """One body for every action; each action reads the fields it needs (listed per field)."""

    expected_version: int = Field(ge=0, le=2**31, description="`version` của hồ sơ khi cán bộ tải (khóa lạc quan)")
    reason: str = Field("", max_length=4000, description="refuse, request-supplement, withdraw, stop, apology")
    note: str = Field("", max_length=4000, description="hand-over, receive-supplement")
    items: list[SupplementItemIn] = Field(default_factory=list, max_length=100, description="request-supplement")
    assignee: str | None = Field(None, max_length=150, description="assign: tên đăng nhập của chuyên viên")
    fees: list[PaymentLineIn] = Field(default_factory=list, max_length=50, description="request-payment")
    fee: int | None = Field(None, ge=1, le=2**63 - 1, description="record-payment: id khoản phí của hồ sơ")
    method: str = Field("", max_length=20, description="record-payment: cash, transfer, online; return: counter, post")
    receipt_number: str = Field("", max_length=40, description="record-payment")
    result_kind: Literal["paper", "electronic", "both"] = Field("paper", description="approve-result")
    document_number: str = Field("", max_length=80, description="approve-result: số, ký hiệu văn bản")
    new_due_at: datetime | None = Field(None, description="apology: hẹn trả mới, ISO 8601")
    collected_by_name: str = Field("", max_length=255, description="return tại quầy: người nhận")
    collected_by_national_id: str = Field("", max_length=20, pattern=DIGITS)
    authorisation: str = Field("", max_length=255)
    tracking_number: str = Field("", max_length=40, description="return qua bưu chính: số hiệu bưu gửi")


# --- answers ---------------------------------------------------------------------------------


class Named(Schema):
    code: str
    name: str


class ProcedureRef(Named):
    version: int


class ApplicantOut(Schema):
    kind: str
    name: str
    national_id: str
    phone: str
    email: str
    address: str
    submitter_name: str
    submitter_national_id: str
    submitter_phone: str
    authorisation_note: str


class DocumentOut(Schema):
    ordering: int
    name: str
    provided: bool
    originals: int
    certified_copies: int
    plain_copies: int
    show_only: bool


class FeeOut(Schema):
    id: int
    name: str
    amount: int
    quantity: int
    paid: bool
    method: str
    receipt_number: str


class DossierOut(Schema):
    id: int
    code: str | None = Field(description="Mã hồ sơ; null khi chưa tiếp nhận")
    version: int = Field(description="Gửi lại trong `expected_version` khi thao tác")
    status: int = Field(description="Mã trạng thái của Cổng DVC quốc gia (1–10)")
    status_text: str
    channel: str
    procedure: ProcedureRef
    receiving_center: Named
    competent_agency: Named
    current_agency: Named | None
    assigned_to: str | None = Field(description="Tên đăng nhập của chuyên viên được phân công")
    applicant: ApplicantOut
    return_method: str
    submitted_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    result_ready_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    at_risk: bool
    overdue: bool
    tracking_url: str
    documents: list[DocumentOut]
    fees: list[FeeOut]


class EventOut(Schema):
    at: datetime
    action: str
    from_status: int | None
    to_status: int
    actor: str | None
    actor_kind: str
    agency: str | None
    reason: str
    data: dict[str, Any]


class TimelineOut(Schema):
    at: datetime
    label: str
    status: int


class PublicDossierOut(Schema):
    """What the public tracking page shows: no name, ID number, phone, address or reason."""

    code: str
    status: int
    status_text: str
    explanation: str
    procedure: Named
    agency: str = Field(description="Cơ quan đang giải quyết")
    receiving_center: str
    accepted_at: datetime | None
    due_at: datetime | None
    due_moved: bool = Field(description="Đã hẹn lại ngày trả (văn bản xin lỗi)")
    paused: bool = Field(description="Tạm dừng tính thời hạn (chờ bổ sung)")
    deadline_text: str
    timeline: list[TimelineOut]


# --- filling -------------------------------------------------------------------------------


def _local(value: datetime | None) -> datetime | None:
    return to_local(value).replace(microsecond=0) if value else None


def _named(item: Any) -> dict[str, str] | None:
    return {"code": item.code, "name": item.name} if item is not None else None


def _applicant(d: Dossier) -> dict[str, str]:
    return {
        "kind": d.applicant_kind, "name": d.applicant_name, "national_id": d.applicant_national_id,
        "phone": d.applicant_phone, "email": d.applicant_email, "address": d.applicant_address,
        "submitter_name": d.submitter_name, "submitter_national_id": d.submitter_national_id,
        "submitter_phone": d.submitter_phone, "authorisation_note": d.authorisation_note,
    }  # fmt: skip


def _documents(d: Dossier) -> list[dict[str, Any]]:
    return [
        {"ordering": doc.ordering, "name": doc.name, "provided": doc.provided, "originals": doc.originals,
         "certified_copies": doc.certified_copies, "plain_copies": doc.plain_copies, "show_only": doc.show_only}
        for doc in d.documents.all()
    ]  # fmt: skip


def _fees(d: Dossier) -> list[dict[str, Any]]:
    return [
        {"id": fee.pk, "name": fee.name, "amount": int(fee.amount), "quantity": fee.quantity, "paid": fee.paid,
         "method": fee.method, "receipt_number": fee.receipt_number}
        for fee in d.fees.all()
    ]  # fmt: skip


def dossier_out(d: Dossier) -> dict[str, Any]:
    """The officer's view of one dossier (procedure_version, places and assignee should be joined)."""
    snapshot = d.snapshot
    return {
        "id": d.pk, "code": d.code, "version": d.version, "status": d.status,
        "status_text": str(Dossier.Status(d.status).label), "channel": d.channel,
        "procedure": {"code": snapshot["code"], "name": snapshot["name"], "version": d.procedure_version.number},
        "receiving_center": _named(d.receiving_center), "competent_agency": _named(d.competent_agency),
        "current_agency": _named(d.current_agency), "assigned_to": d.assigned_to.username if d.assigned_to else None,
        "applicant": _applicant(d), "return_method": d.return_method,
        "submitted_at": _local(d.submitted_at), "accepted_at": _local(d.accepted_at), "due_at": _local(d.due_at),
        "original_due_at": _local(d.original_due_at), "result_ready_at": _local(d.result_ready_at),
        "returned_at": _local(d.returned_at), "closed_at": _local(d.closed_at),
        "at_risk": d.at_risk_at is not None, "overdue": d.overdue_at is not None,
        "tracking_url": payloads.public_url(d) if d.code else "",
        "documents": _documents(d), "fees": _fees(d),
    }  # fmt: skip


def event_out(event: DossierEvent) -> dict[str, Any]:
    actor = event.actor
    return {
        "at": _local(event.at), "action": event.action, "from_status": event.from_status,
        "to_status": event.to_status, "actor": actor.username if actor else None, "actor_kind": event.actor_kind,
        "agency": event.agency.code if isinstance(event.agency, Agency) else None, "reason": event.reason,
        "data": event.data or {},
    }  # fmt: skip


def public_dossier_out(d: Dossier, public: Any) -> dict[str, Any]:
    """`public` is the tracking page's `PublicStatus` (its timeline: `selectors.dossier_timeline`),
    so the API and the page say the same thing."""
    return {
        "code": public.code, "status": public.status, "status_text": public.label, "explanation": public.explanation,
        "procedure": {"code": public.procedure_code, "name": public.procedure_name}, "agency": public.agency,
        "receiving_center": public.center, "accepted_at": _local(d.accepted_at), "due_at": _local(d.due_at),
        "due_moved": public.due_moved, "paused": public.paused, "deadline_text": public.deadline_text,
        "timeline": [{"at": _local(entry.at), "label": entry.label, "status": entry.status} for entry in public.timeline],
    }  # fmt: skip
