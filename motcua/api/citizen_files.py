"""The citizen API's drafts, dossiers and files (/api/v1/citizen/drafts…, /dossiers…, /attachments…).

The web pages' services and selectors, answered in JSON: `motcua.online.selectors` filters every
lookup by the citizen in the query, so another citizen's draft, dossier, file or result is a 404
exactly like one that does not exist. Reads of a dossier's details and downloads of its files
are audited as on "Hồ sơ của tôi" (rule 20), with `via` naming the app. Uploaded files are
judged by their bytes (`online.uploads.check_upload`); a refused one keeps the web's message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from motcua.accounts.backends import client_ip
from motcua.catalog.models import Procedure
from motcua.core.models import Center
from motcua.core.services import audit_log_write
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.online import selectors, services
from motcua.online.errors import OnlineError
from motcua.online.forms import ApplicantForm
from motcua.online.models import Attachment, Draft
from motcua.online.plan import DocumentPage
from motcua.online.uploads import max_bytes
from motcua.portal.dossier_views import public_status, result_downloadable, result_of

from . import citizen_schemas as schemas
from .citizen_auth import CITIZEN, CitizenBearer, Id, _nobody, citizen_of
from .errors import ApiError, error_response, not_found

READ_ACTION = "dossiers.dossier.personal_data_viewed"  # the web's ("Hồ sơ của tôi") action
CHANNELS = {"email": "email", "sms": "sms"}
# Service refusals about the file itself: one code for the app, the web's message.
_FILE_CODES = frozenset({"upload.wrong_type", "upload.damaged", "upload.empty", "upload.missing"})
# Refusals that mean "not now" rather than "not valid".
_CONFLICT_CODES = frozenset({"draft.submitted", "draft.version_changed", "supplement.none"})
_MULTIPART_SLACK = 64 * 1024

router = Router(tags=["citizen"], auth=CITIZEN)


class CitizenUpload(CitizenBearer):
    """The token, then the size: a body far over the upload limit is refused before it is read."""

    openapi_description = "Như CitizenBearer (`Authorization: Bearer <token>`), cho các lệnh tải tệp lên."

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)
        if user is not None and int(request.META.get("CONTENT_LENGTH") or 0) > max_bytes() + _MULTIPART_SLACK:
            raise _too_big()
        return user


UPLOAD = [CitizenUpload(), _nobody]


def _too_big() -> ApiError:
    mb = max_bytes() // (1024 * 1024)
    return ApiError(413, "file_too_large", _(
        "Tệp quá lớn. Dung lượng tối đa là %(max)d MB; vui lòng chụp hoặc quét lại với chất lượng thấp hơn."
    ) % {"max": mb})  # fmt: skip


@contextmanager
def _service_answers() -> Iterator[None]:
    """The online and dossier services' refusals as API errors, with their own words."""
    try:
        yield
    except OnlineError as error:
        message = str(error.message)
        if error.code == "upload.too_big":
            raise ApiError(413, "file_too_large", message) from error
        if error.code in _FILE_CODES:
            raise ApiError(422, "invalid_file", message) from error
        if error.code == "draft.not_yours":
            raise not_found(message) from error
        raise ApiError(409 if error.code in _CONFLICT_CODES else 422, error.code, message) from error
    except DossierError as error:
        raise ApiError(error.status_code, error.code, str(error.message)) from error


def _audit(request: HttpRequest, dossier: Dossier, via: str) -> None:
    audit_log_write(actor=citizen_of(request), action=READ_ACTION, obj=dossier, center=dossier.receiving_center,
                    ip=client_ip(request), data={"via": via, "code": dossier.code or ""})  # fmt: skip


def _download(field: Any, name: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _suffix(path: str) -> str:
    found = re.search(r"\.[A-Za-z0-9]{1,8}$", path)
    return found.group(0).lower() if found else ""


# --- drafts -------------------------------------------------------------------------------------


def _draft(request: HttpRequest, pk: int) -> Draft:
    try:
        draft = selectors.draft_for_citizen(citizen_of(request), pk)
    except Draft.DoesNotExist as missing:
        raise not_found(_("Không tìm thấy hồ sơ đang soạn này.")) from missing
    services.draft_refresh_version(draft)  # a changed procedure restarts the checklist, as on the web
    return draft


def _draft_answer(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    draft = Draft.objects.select_related("procedure", "center").prefetch_related("attachments").get(pk=draft.pk)
    pages = services.draft_pages(draft)
    missing = services.draft_missing(draft)
    reusable = selectors.reusable_attachments(citizen_of(request), draft=draft)
    return schemas.draft_out(draft, pages, missing, reusable)


@router.get("/drafts", response=list[schemas.DraftSummary], summary="Hồ sơ đang soạn",
            description="Các hồ sơ chưa gửi, mới cập nhật trước (tối đa 100), với số giấy tờ còn thiếu.")  # fmt: skip
def draft_list(request: HttpRequest) -> list[dict[str, Any]]:
    drafts = selectors.drafts_for_citizen(citizen_of(request))[:100]
    return [schemas.draft_summary(draft, services.draft_missing(draft)) for draft in drafts]


@router.post("/drafts", response={201: schemas.DraftOut}, summary="Bắt đầu hồ sơ trực tuyến",
             description="Thủ tục và nơi tiếp nhận (danh sách: `GET /citizen/procedures/{code}/online`). Trang người "
                         "nộp được điền sẵn từ tài khoản. Thủ tục không nộp trực tuyến: 422 `draft.not_online`; nơi "
                         "tiếp nhận không thuộc danh sách: 422 `draft.wrong_center`.")  # fmt: skip
def draft_create(request: HttpRequest, body: schemas.DraftIn) -> Answer[dict[str, Any]]:
    procedure = Procedure.objects.filter(code=body.procedure).first()
    if procedure is None:
        raise not_found(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": body.procedure})
    center = Center.objects.filter(code=body.center).first()
    if center is None:
        raise not_found(_("Không tìm thấy trung tâm có mã %(code)s.") % {"code": body.center})
    with _service_answers():
        draft = services.draft_start(citizen=citizen_of(request), procedure=procedure, center=center)
    return Answer(201, _draft_answer(request, draft))


@router.get("/drafts/{draft_id}", response=schemas.DraftOut, summary="Chi tiết hồ sơ đang soạn",
            description="Người nộp, từng giấy tờ (câu trả lời, tệp, cách trả lời được), các giấy tờ còn thiếu và "
                        "tệp cũ dùng lại được.")  # fmt: skip
def draft_detail(request: HttpRequest, draft_id: Id) -> dict[str, Any]:
    return _draft_answer(request, _draft(request, draft_id))


@router.put("/drafts/{draft_id}/applicant", response=schemas.DraftOut, summary="Khai thông tin người nộp",
            description="Như trang “Người nộp hồ sơ” trên web. Sai: 422 `invalid_applicant`, `fields` theo từng "
                        "trường.")  # fmt: skip
def draft_applicant(request: HttpRequest, draft_id: Id, body: schemas.ApplicantIn) -> Any:
    draft = _draft(request, draft_id)
    form = ApplicantForm(data=body.dict())
    if not form.is_valid():
        fields = [{"name": name, "message": " ".join(str(m) for m in messages)} for name, messages in form.errors.items()]
        return error_response(422, "invalid_applicant", fields[0]["message"], fields=fields)
    with _service_answers():
        services.draft_save_applicant(draft=draft, applicant=form.applicant(), return_method=body.return_method)
    return _draft_answer(request, draft)


def _page(draft: Draft, number: int) -> DocumentPage:
    pages = services.draft_pages(draft)
    if not 1 <= number <= len(pages):
        raise not_found(_("Không có giấy tờ này trong thủ tục."))
    return pages[number - 1]


def _json_answer(request: HttpRequest) -> schemas.DocumentAnswerIn | None:
    if not request.content_type or "json" not in request.content_type:
        return None
    try:
        return schemas.DocumentAnswerIn.model_validate(json.loads(request.body or b"{}"))
    except (ValueError, PydanticValidationError) as error:
        raise ApiError(422, "invalid_parameter", _("Tham số không hợp lệ: reuse, answer.")) from error


_DOCUMENT_BODY = {
    "requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary", "description": "PDF, JPEG hoặc PNG"}}}},
        "application/json": {"schema": schemas.DocumentAnswerIn.model_json_schema()},
    }, "required": False},
}  # fmt: skip


@router.post("/drafts/{draft_id}/documents/{number}", response=schemas.DraftOut, auth=UPLOAD,
             summary="Trả lời một giấy tờ: tải tệp, dùng lại tệp cũ, hoặc không cần nộp",
             description="multipart/form-data với `file` (PDF, JPEG, PNG — kiểm tra theo nội dung, không theo tên "
                         "tệp); hoặc JSON `{\"reuse\": <id tệp trong kho>}`; hoặc JSON `{\"answer\": \"national_db\"}` "
                         "/ `{\"answer\": \"not_applicable\"}` khi giấy tờ cho phép (`allowed_answers`). Tệp sai "
                         "loại, hỏng hoặc rỗng: 422 `invalid_file`; quá lớn: 413 `file_too_large`.",
             openapi_extra=_DOCUMENT_BODY)  # fmt: skip
def draft_document(
    request: HttpRequest, draft_id: Id, number: Annotated[int, Path(ge=1, le=500)],
    file: Annotated[UploadedFile | None, File(description="PDF, JPEG hoặc PNG")] = None,
) -> dict[str, Any]:  # fmt: skip
    draft = _draft(request, draft_id)
    page = _page(draft, number)
    with _service_answers():
        if file is not None:
            services.draft_upload(draft=draft, index=page.index, stream=file, original_name=file.name or "")
            return _draft_answer(request, draft)
        body = _json_answer(request)
        if body is not None and body.reuse is not None:
            try:
                source = selectors.attachment_for_citizen(citizen_of(request), body.reuse)
            except Attachment.DoesNotExist as missing:
                raise not_found(_("Không tìm thấy tệp này trong kho giấy tờ của bạn.")) from missing
            services.draft_reuse(draft=draft, index=page.index, source=source)
        elif body is not None and body.answer is not None:
            services.draft_answer(draft=draft, index=page.index, answer=body.answer)
        else:
            raise ApiError(422, "invalid_file", _("Vui lòng chọn tệp giấy tờ để tải lên."))
    return _draft_answer(request, draft)


@router.post("/drafts/{draft_id}/submit", response={201: schemas.DossierSummary}, summary="Gửi hồ sơ",
             description="Hồ sơ ở trạng thái 1 (mới đăng ký, chưa có mã) tại nơi tiếp nhận đã chọn. Còn thiếu: 422 "
                         "`draft.incomplete`; thủ tục vừa thay đổi thành phần hồ sơ: 409 `draft.version_changed` "
                         "(danh mục giấy tờ được làm lại, tệp vẫn còn trong kho).")  # fmt: skip
def draft_submit(request: HttpRequest, draft_id: Id) -> Answer[dict[str, Any]]:
    draft = _draft(request, draft_id)
    if not draft.answers.get("return_method"):
        raise ApiError(422, "draft.applicant_missing", _("Vui lòng khai thông tin người nộp và cách nhận kết quả."))
    with _service_answers():
        dossier = services.draft_submit(draft=draft, ip=client_ip(request))
    dossier = selectors.dossier_for_citizen(citizen_of(request), dossier.pk)
    return Answer(201, _summary(dossier))


# --- the data store ---------------------------------------------------------------------------------


@router.get("/attachments", response=schemas.AttachmentPage, summary="Kho giấy tờ (tệp đã tải lên)",
            description="Tệp đã nộp trước, mới nhất trước; `id` dùng trong `{\"reuse\": id}` khi trả lời một giấy tờ.")  # fmt: skip
def attachment_list(
    request: HttpRequest, limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:  # fmt: skip
    rows = Attachment.objects.filter(citizen=citizen_of(request)).order_by("-uploaded_at", "-id")
    return {"count": rows.count(), "items": [schemas.attachment_out(a) for a in rows[offset : offset + limit]]}


@router.get("/attachments/{attachment_id}/file", summary="Tải một tệp trong kho", url_name="citizen_attachment_file",
            description="Luôn là tệp tải về (Content-Disposition: attachment).")  # fmt: skip
def citizen_attachment_file(request: HttpRequest, attachment_id: Id) -> FileResponse:
    try:
        attachment = selectors.attachment_for_citizen(citizen_of(request), attachment_id)
    except Attachment.DoesNotExist as missing:
        raise not_found(_("Không tìm thấy tệp này trong kho giấy tờ của bạn.")) from missing
    return _download(attachment.file, attachment.original_name, attachment.content_type)


# --- dossiers ------------------------------------------------------------------------------------


def _reference(dossier: Dossier) -> str:
    from motcua.online.mine import reference

    return str(reference(dossier))


def _summary(dossier: Dossier) -> dict[str, Any]:
    public = public_status(dossier, now=timezone.now())
    return schemas.dossier_summary(dossier, public, _reference(dossier), result_downloadable(dossier))


def _mine(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors.dossier_for_citizen(citizen_of(request), pk)
    except Dossier.DoesNotExist as missing:
        raise not_found(_("Không tìm thấy hồ sơ này trong tài khoản của bạn.")) from missing


@router.get("/dossiers", response=schemas.DossierPage, summary="Hồ sơ của tôi",
            description="Hồ sơ đã nộp trực tuyến và hồ sơ nộp tại quầy mang số định danh của tài khoản, mới nhất "
                        "trước.")  # fmt: skip
def dossier_list(
    request: HttpRequest, limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:  # fmt: skip
    rows = selectors.dossiers_for_citizen(citizen_of(request))
    items = rows.select_related("procedure_version")[offset : offset + limit]
    return {"count": rows.count(), "items": [_summary(dossier) for dossier in items]}


def _notices(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {"at": schemas.local(m.sent_at or m.created_at), "channel": CHANNELS.get(m.channel, m.channel),
         "subject": m.subject, "sent": m.status == m.Status.SENT}
        for m in selectors.notifications_for(dossier)[:50]
    ]  # fmt: skip


def _supplement(dossier: Dossier) -> dict[str, Any] | None:
    request = services.open_supplement(dossier)
    if request is None:
        return None
    names = services.supplement_items(request)
    sent = dossier.documents.filter(supplement=request).exclude(scan="").order_by("ordering", "id")
    return {
        "reason": request.reason, "requested_at": schemas.local(request.requested_at),
        "deadline_at": schemas.local(request.deadline_at),
        "items": [{"item": i + 1, "name": name} for i, name in enumerate(names)],
        "sent": [schemas.document_out(line) for line in sent],
    }  # fmt: skip


def _result(dossier: Dossier) -> dict[str, Any] | None:
    result = result_of(dossier)
    if result is None or dossier.status not in (Dossier.Status.RESULT_READY, Dossier.Status.RETURNED):
        return None
    url = f"/api/v1/citizen/dossiers/{dossier.pk}/result" if result_downloadable(dossier) else None
    return {"kind": result.kind, "document_number": result.document_number, "download_url": url}


@router.get("/dossiers/{dossier_id}", response=schemas.DossierOut, summary="Chi tiết hồ sơ của tôi",
            description="Trạng thái và lời giải thích như trang tra cứu, các mốc xử lý công khai, thông báo đã gửi, "
                        "giấy tờ đã nộp, yêu cầu bổ sung đang mở (kèm danh sách giấy tờ) và kết quả. Mỗi lần xem "
                        "được ghi nhật ký.")  # fmt: skip
def dossier_detail(request: HttpRequest, dossier_id: Id) -> dict[str, Any]:
    dossier = _mine(request, dossier_id)
    _audit(request, dossier, "citizen_app")
    public = public_status(dossier, now=timezone.now())
    documents = dossier.documents.order_by("ordering", "id")
    return schemas.dossier_summary(dossier, public, _reference(dossier), result_downloadable(dossier)) | {
        "return_method": dossier.return_method, "deadline_text": public.deadline_text, "paused": public.paused,
        "due_moved": public.due_moved,
        "progress": [{"label": step.label, "state": step.state} for step in public.progress],
        "timeline": [{"at": schemas.local(t.at), "label": t.label, "status": t.status, "status_label": t.status_label,
                      "agency": t.agency} for t in public.timeline],
        "notices": _notices(dossier), "documents": [schemas.document_out(line) for line in documents],
        "supplement": _supplement(dossier), "result": _result(dossier),
    }  # fmt: skip


@router.get("/dossiers/{dossier_id}/result", summary="Tải kết quả điện tử",
            description="Chỉ khi hồ sơ đã có kết quả điện tử được trả (trạng thái 9, 10); trước đó: 404. Mỗi lần tải "
                        "được ghi nhật ký.")  # fmt: skip
def dossier_result(request: HttpRequest, dossier_id: Id) -> FileResponse:
    dossier = _mine(request, dossier_id)
    if not result_downloadable(dossier):
        raise not_found(_("Không có kết quả điện tử để tải."))
    _audit(request, dossier, "citizen_app_result_download")
    result = dossier.result
    return _download(result.file, f"ket-qua-{dossier.code or dossier.pk}{_suffix(result.file.name or '')}")


@router.get("/dossiers/{dossier_id}/documents/{document_id}", summary="Tải giấy tờ đã nộp",
            url_name="citizen_dossier_document",
            description="Tệp công dân đã gửi cho hồ sơ của mình (khi nộp hoặc khi bổ sung). Mỗi lần tải được ghi "
                        "nhật ký.")  # fmt: skip
def citizen_dossier_document(request: HttpRequest, dossier_id: Id, document_id: Id) -> FileResponse:
    try:
        line = selectors.scan_for_citizen(citizen_of(request), dossier_id, document_id)
    except (Dossier.DoesNotExist, DossierDocument.DoesNotExist) as missing:
        raise not_found(_("Không tìm thấy giấy tờ này.")) from missing
    _audit(request, line.dossier, "citizen_app_file_download")
    return _download(line.scan, f"giay-to-{line.pk}{_suffix(line.scan.name or '')}")


@router.post("/dossiers/{dossier_id}/supplement/{item}", response={201: schemas.SupplementSentOut}, auth=UPLOAD,
             summary="Gửi giấy tờ bổ sung",
             description="multipart/form-data với `file`; `item` là số thứ tự giấy tờ trong yêu cầu bổ sung đang mở "
                         "(`supplement.items`). Hồ sơ vẫn ở trạng thái 5 cho đến khi cán bộ nhận bổ sung. Không có "
                         "yêu cầu bổ sung: 409 `supplement.none`.")  # fmt: skip
def dossier_supplement(
    request: HttpRequest, dossier_id: Id, item: Annotated[int, Path(ge=1, le=100)],
    file: Annotated[UploadedFile | None, File(description="PDF, JPEG hoặc PNG")] = None,
) -> Answer[dict[str, Any]]:  # fmt: skip
    dossier = _mine(request, dossier_id)
    if file is None:
        raise ApiError(422, "invalid_file", _("Vui lòng chọn tệp giấy tờ để gửi."))
    with _service_answers():
        line = services.supplement_upload(citizen=citizen_of(request), dossier=dossier, item=item - 1, stream=file,
                                          original_name=file.name or "", ip=client_ip(request))  # fmt: skip
    dossier.refresh_from_db(fields=["status"])
    return Answer(201, {"document": schemas.document_out(line), "dossier_status": dossier.status})
