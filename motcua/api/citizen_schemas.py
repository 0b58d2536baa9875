"""Shapes of the citizen API (/api/v1/citizen/…) and the functions that fill them.

Everything here is the signed-in citizen's own data (their profile, drafts, files, dossiers);
the ID number on the profile is masked as on the web account page. Times are Vietnamese office
time with the +07:00 offset.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from motcua.core.calendar import to_local
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.identity.models import CitizenProfile, CitizenToken
from motcua.online.models import Attachment, Draft
from motcua.online.plan import DocumentPage

from .queue_schemas import TicketOut

SLUG = r"^[-A-Za-z0-9_]+$"
PROCEDURE_CODE = r"^[-A-Za-z0-9._]+$"
Answer = Literal["national_db", "not_applicable"]
ReturnMethod = Literal["counter", "post", "online"]


def local(value: datetime | None) -> datetime | None:
    return to_local(value).replace(microsecond=0) if value else None


# --- accounts ----------------------------------------------------------------------------------


class RegisterIn(Schema):
    full_name: str = Field(max_length=150, description="Họ và tên như trên thẻ căn cước")
    national_id: str = Field(max_length=20, description="Số định danh cá nhân, 12 chữ số")
    birth_date: str = Field(max_length=10, description="Ngày sinh: YYYY-MM-DD hoặc dd/mm/yyyy")
    phone: str = Field("", max_length=20, description="Số điện thoại (đăng nhập); cần số điện thoại hoặc thư điện tử")
    email: str = Field("", max_length=254, description="Thư điện tử (đăng nhập, đặt lại mật khẩu trên web)")
    password: str = Field(max_length=128, description="Ít nhất 8 ký tự, không toàn chữ số, không giống họ tên")
    accept_terms: bool = Field(description="Đã đọc và đồng ý Điều khoản sử dụng (phải là true)")
    label: str = Field("", max_length=60, description="Tên thiết bị, ví dụ “Android – Samsung A15”")


class LoginIn(Schema):
    login: str = Field(max_length=254, description="Số điện thoại hoặc thư điện tử đã đăng ký")
    password: str = Field(max_length=128)
    label: str = Field("", max_length=60, description="Tên thiết bị, ví dụ “Android – Samsung A15”")


class MeOut(Schema):
    full_name: str
    national_id_masked: str = Field(description="Số định danh che giữa, ví dụ 092••••••234")
    birth_date: date | None
    phone: str
    email: str
    address: str
    terms_version: str
    registered_at: datetime | None


class TokenOut(Schema):
    token: str = Field(description="Mã đăng nhập; chỉ trả về một lần, ứng dụng tự lưu an toàn")
    token_type: str = Field("Bearer", description="Gửi trong header `Authorization: Bearer <token>`")
    expires_at: datetime
    label: str
    citizen: MeOut


def mask_national_id(number: str) -> str:
    from motcua.portal.account_views import mask_national_id as web_mask

    return web_mask(number)


def me_out(profile: CitizenProfile) -> dict[str, Any]:
    return {
        "full_name": profile.full_name, "national_id_masked": mask_national_id(profile.national_id),
        "birth_date": profile.birth_date, "phone": profile.phone, "email": profile.email or profile.user.email,
        "address": profile.address, "terms_version": profile.terms_version, "registered_at": local(profile.created_at),
    }  # fmt: skip


def token_out(token: CitizenToken, raw: str, profile: CitizenProfile) -> dict[str, Any]:
    return {"token": raw, "token_type": "Bearer", "expires_at": local(token.expires_at), "label": token.label,
            "citizen": me_out(profile)}  # fmt: skip


# --- procedures and drafts -------------------------------------------------------------------------


class Named(Schema):
    code: str
    name: str


class CenterRef(Named):
    address: str


class OnlineOut(Schema):
    procedure: Named
    online: bool = Field(description="Nộp trực tuyến được (toàn trình hoặc một phần)")
    online_level: str = Field(description="Mức dịch vụ trực tuyến của thủ tục")
    centers: list[CenterRef] = Field(description="Nơi tiếp nhận chọn được khi tạo hồ sơ (rỗng nếu không nộp trực tuyến)")


class DraftIn(Schema):
    procedure: str = Field(max_length=40, pattern=PROCEDURE_CODE, description="Mã thủ tục, ví dụ 1.014390")
    center: str = Field(max_length=40, pattern=SLUG, description="Mã nơi tiếp nhận (từ `…/online`)")


class ApplicantIn(Schema):
    name: str = Field(max_length=150)
    national_id: str = Field(max_length=20, description="12 chữ số")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=255, description="Bắt buộc khi nhận kết quả qua bưu chính")
    return_method: ReturnMethod = Field(description="counter: tại nơi tiếp nhận; post: bưu chính; online: bản điện tử")


class DocumentAnswerIn(Schema):
    """JSON instead of a file: reuse an earlier file, or say no file is needed."""

    reuse: int | None = Field(None, ge=1, le=2**63 - 1, description="id một tệp trong kho (`GET /citizen/attachments`)")
    answer: Answer | None = Field(None, description="national_db: có trong CSDL quốc gia; not_applicable: không thuộc "
                                                    "trường hợp này (chỉ khi `allowed_answers` có)")  # fmt: skip


class AttachmentOut(Schema):
    id: int
    document_name: str
    original_name: str
    content_type: str
    size: int = Field(description="Byte")
    sha256: str
    uploaded_at: datetime
    file_url: str = Field(description="Tải tệp (cần token)")


class AttachmentPage(Schema):
    count: int
    items: list[AttachmentOut]


class ApplicantOut(Schema):
    name: str
    national_id: str
    phone: str
    email: str
    address: str


class DocumentPageOut(Schema):
    number: int = Field(description="Thứ tự giấy tờ, từ 1 — dùng trong `…/documents/{number}`")
    name: str
    note: str
    counts: str = Field(description="Số bản cần nộp, ví dụ “1 bản chính”")
    show_only: bool = Field(description="Chỉ xuất trình khi nhận kết quả")
    database: str = Field(description="Tên CSDL quốc gia thay thế giấy tờ này, nếu có")
    allowed_answers: list[str] = Field(description="Cách trả lời được: upload, national_db, not_applicable")
    answer: str = Field(description="Câu trả lời hiện tại; rỗng khi chưa trả lời")
    file: AttachmentOut | None
    missing: bool


class DraftSummary(Schema):
    id: int
    procedure: Named
    center: Named
    created_at: datetime
    updated_at: datetime
    missing: int = Field(description="Số giấy tờ còn thiếu")


class DraftOut(DraftSummary):
    applicant: ApplicantOut
    return_method: str = Field(description="Rỗng khi chưa khai trang người nộp")
    documents: list[DocumentPageOut]
    missing_numbers: list[int]
    ready: bool = Field(description="Đã khai đủ: gửi được")
    reusable: list[AttachmentOut] = Field(description="Tệp đã nộp trước, dùng lại được cho hồ sơ này")


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk, "document_name": a.document_name, "original_name": a.original_name,
        "content_type": a.content_type, "size": a.size, "sha256": a.sha256, "uploaded_at": local(a.uploaded_at),
        "file_url": reverse("api-v1:citizen_attachment_file", kwargs={"attachment_id": a.pk}),
    }  # fmt: skip


def draft_summary(draft: Draft, missing: list[DocumentPage]) -> dict[str, Any]:
    return {
        "id": draft.pk, "procedure": {"code": draft.procedure.code, "name": draft.procedure.name},
        "center": {"code": draft.center.code, "name": draft.center.name}, "created_at": local(draft.created_at),
        "updated_at": local(draft.updated_at), "missing": len(missing),
    }  # fmt: skip


def _allowed(page: DocumentPage) -> list[str]:
    return [answer for answer in ("upload", "national_db", "not_applicable") if page.allows(answer)]


def draft_out(draft: Draft, pages: list[DocumentPage], missing: list[DocumentPage],
              reusable: list[Attachment]) -> dict[str, Any]:  # fmt: skip
    answers = draft.answers.get("documents", {})
    files = {a.document_index: a for a in draft.attachments.all()}
    gaps = {page.index for page in missing}
    applicant = draft.answers.get("applicant", {})
    documents = [
        {"number": p.number, "name": p.name, "note": p.note, "counts": p.counts, "show_only": p.show_only,
         "database": p.database, "allowed_answers": _allowed(p), "answer": answers.get(str(p.index), ""),
         "file": attachment_out(files[p.index]) if p.index in files else None, "missing": p.index in gaps}
        for p in pages
    ]  # fmt: skip
    return_method = draft.answers.get("return_method", "")
    return draft_summary(draft, missing) | {
        "applicant": {key: str(applicant.get(key, "")) for key in ("name", "national_id", "phone", "email", "address")},
        "return_method": return_method, "documents": documents,
        "missing_numbers": [p.number for p in missing], "ready": bool(return_method) and not missing,
        "reusable": [attachment_out(a) for a in reusable],
    }  # fmt: skip


# --- dossiers -----------------------------------------------------------------------------------


class DossierSummary(Schema):
    id: int
    code: str | None = Field(description="Mã hồ sơ; null trước khi được tiếp nhận")
    reference: str = Field(description="Mã hồ sơ, hoặc “Số tham chiếu N” trước khi được tiếp nhận")
    procedure: Named
    status: int = Field(description="Mã trạng thái của Cổng DVC quốc gia (1–10)")
    status_label: str
    explanation: str
    receiving_center: str
    agency: str = Field(description="Cơ quan đang giải quyết")
    submitted_at: datetime
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận")
    due_at: datetime | None = Field(description="Ngày hẹn trả kết quả")
    result_downloadable: bool


class DossierPage(Schema):
    count: int
    items: list[DossierSummary]


class TimelineOut(Schema):
    at: datetime
    label: str
    status: int
    status_label: str
    agency: str


class StepOut(Schema):
    label: str
    state: str = Field(description="done, current, todo")


class NoticeOut(Schema):
    at: datetime
    channel: str = Field(description="email, sms")
    subject: str
    sent: bool


class DossierDocumentOut(Schema):
    id: int
    name: str
    provided: bool
    supplement: bool = Field(description="Giấy tờ gửi bổ sung")
    file_url: str | None = Field(description="Tệp đã gửi (cần token), nếu có")


class SupplementItemOut(Schema):
    item: int = Field(description="Dùng trong `POST …/supplement/{item}`")
    name: str


class SupplementOut(Schema):
    reason: str
    requested_at: datetime
    deadline_at: datetime | None
    items: list[SupplementItemOut]
    sent: list[DossierDocumentOut] = Field(description="Giấy tờ đã gửi cho yêu cầu này")


class ResultOut(Schema):
    kind: str = Field(description="paper, electronic, both")
    document_number: str
    download_url: str | None = Field(description="Tải kết quả điện tử (cần token), khi đã có")


class DossierOut(DossierSummary):
    return_method: str
    deadline_text: str
    paused: bool
    due_moved: bool
    progress: list[StepOut]
    timeline: list[TimelineOut]
    notices: list[NoticeOut]
    documents: list[DossierDocumentOut]
    supplement: SupplementOut | None = Field(description="Yêu cầu bổ sung đang mở, nếu có")
    result: ResultOut | None = Field(description="Kết quả, khi đã được trả (trạng thái 9, 10)")


class SupplementSentOut(Schema):
    document: DossierDocumentOut
    dossier_status: int


def _file_url(line: DossierDocument) -> str | None:
    if not line.scan:
        return None
    return reverse("api-v1:citizen_dossier_document", kwargs={"dossier_id": line.dossier_id, "document_id": line.pk})


def document_out(line: DossierDocument) -> dict[str, Any]:
    return {"id": line.pk, "name": line.name, "provided": line.provided, "supplement": line.supplement_id is not None,
            "file_url": _file_url(line)}  # fmt: skip


def dossier_summary(d: Dossier, public: Any, reference: str, downloadable: bool) -> dict[str, Any]:
    """`public` is the tracking page's PublicStatus, so app and web say the same words."""
    return {
        "id": d.pk, "code": d.code or None, "reference": reference,
        "procedure": {"code": public.procedure_code, "name": public.procedure_name}, "status": d.status,
        "status_label": public.label, "explanation": public.explanation, "receiving_center": public.center,
        "agency": public.agency, "submitted_at": local(d.submitted_at), "received_at": local(d.accepted_at),
        "due_at": local(d.due_at), "result_downloadable": downloadable,
    }  # fmt: skip


# --- queue numbers ----------------------------------------------------------------------------------


class TicketIn(Schema):
    center: str = Field(max_length=40, pattern=SLUG, description="Mã trung tâm (từ `GET /citizen/centers`)")
    queue: str = Field(max_length=40, pattern=SLUG, description="Mã hàng đợi của trung tâm")


class QueueChoiceOut(Schema):
    code: str
    name: str
    prefix: str
    waiting: int = Field(description="Số người đang chờ")
    estimated_wait_minutes: int | None = Field(description="Số phút chờ dự kiến; null khi chưa có quầy mở")
    wait_text: str = Field(description="Ví dụ “khoảng 24 phút”, “chưa có quầy mở”")


class QueueCenterOut(Schema):
    code: str
    name: str
    address: str
    queues: list[QueueChoiceOut]


class CitizenTicketOut(TicketOut):
    status_api: str = Field(description="Tình trạng số (API công khai, không cần token): "
                                        "`/api/v1/queue/tickets/by-token/{token}`")  # fmt: skip
