"""Online submission pages (/nop-ho-so/…): start, applicant, one page per document, check, submit.

Views parse, check ownership (selectors filter by the citizen, so another citizen's id is a
404), call one service, and render. A refused file comes back on the same page with the
reason; the draft keeps everything answered before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_get
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier

from . import selectors, services
from .access import citizen_required, ip_of, not_found
from .errors import OnlineError
from .forms import ApplicantForm, CenterForm, UploadForm
from .models import Attachment, Draft
from .plan import NATIONAL_DB, NOT_APPLICABLE, UPLOAD, DocumentPage
from .uploads import max_mb

CHOICE = "cach"
REUSE_PREFIX = "dung-lai-"
KEEP = "giu"


def _draft_or_none(request: HttpRequest, pk: int) -> Draft | None:
    try:
        draft = selectors.draft_for_citizen(request.user, pk)
    except Draft.DoesNotExist:
        return None
    if services.draft_refresh_version(draft):
        messages.warning(request, _("Thủ tục vừa được cập nhật thành phần hồ sơ; vui lòng chọn lại các giấy tờ."))
    return draft


def _steps(draft: Draft) -> list[DocumentPage]:
    return services.draft_pages(draft)


def _frame(draft: Draft, step: int, **extra: Any) -> dict[str, Any]:
    """What every page of a draft shows: the procedure, the center, 'step n of m'."""
    total = len(_steps(draft)) + 2  # applicant + documents + check
    return {"draft": draft, "procedure": draft.procedure, "step": step, "total": total, "max_mb": max_mb()} | extra


# --- start ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponseBase:
    procedure = procedure_get(code=code)
    if procedure is None:
        return not_found(request, _("Không tìm thấy thủ tục này."))
    if not services.offered_online(procedure):
        return render(request, "online/not_online.html", {"procedure": procedure})
    return _start_for_citizen(request, procedure)


@citizen_required
def _start_for_citizen(request: HttpRequest, procedure: Procedure) -> HttpResponseBase:
    centers = services.online_centers(procedure)
    initial = {"center": centers[0].code} if len(centers) == 1 else {}
    form = CenterForm(request.POST or None, centers=centers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_start(citizen=request.user, procedure=procedure, center=form.cleaned_data["center"])
        except (OnlineError, DossierError) as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("portal:online_applicant", pk=draft.pk)
    drafts = selectors.drafts_for_citizen(request.user).filter(procedure=procedure)
    return render(request, "online/start.html", {"procedure": procedure, "form": form, "drafts": drafts})


# --- applicant --------------------------------------------------------------------------------


def _after(draft: Draft, request: HttpRequest, default: str) -> HttpResponse:
    """Back to the check page when the citizen came from a 'change' link, else onwards."""
    if request.POST.get("thoat"):
        messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thiện bất cứ lúc nào."))
        return redirect("portal:online_drafts")
    if request.GET.get("sua") == "1":
        return redirect("portal:online_review", pk=draft.pk)
    return redirect(default)


def _document_url(draft: Draft, number: int) -> str:
    if number > len(_steps(draft)):
        return reverse("portal:online_review", kwargs={"pk": draft.pk})
    return reverse("portal:online_document", kwargs={"pk": draft.pk, "number": number})


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def applicant(request: HttpRequest, pk: int) -> HttpResponseBase:
    draft = _draft_or_none(request, pk)
    if draft is None:
        return not_found(request)
    initial = draft.answers.get("applicant", {}) | {"return_method": draft.answers.get("return_method", "")}
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.draft_save_applicant(draft=draft, applicant=form.applicant(),
                                      return_method=form.cleaned_data["return_method"])  # fmt: skip
        return _after(draft, request, _document_url(draft, 1))
    return render(request, "online/applicant.html", _frame(draft, 1, form=form))


# --- one page per document --------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""
    attachment: Attachment | None = None


def _options(page: DocumentPage, current: Attachment | None, earlier: list[Attachment]) -> list[Option]:
    options = []
    if page.replaced_by:
        options.append(Option(NATIONAL_DB, _("Không cần nộp — có trong CSDL quốc gia"),
                              _("Cơ quan giải quyết tự khai thác thông tin từ %(db)s.") % {"db": page.database}))  # fmt: skip
    if current is not None:
        options.append(Option(KEEP, _("Giữ tệp đã tải lên"), attachment=current))
    options.append(Option(UPLOAD, _("Tải tệp lên"), _("PDF, JPEG hoặc PNG, tối đa %(mb)d MB.") % {"mb": max_mb()}))
    options += [Option(f"{REUSE_PREFIX}{a.pk}", _("Dùng lại tệp đã nộp trước"), attachment=a) for a in earlier]
    if page.conditional:
        options.append(Option(NOT_APPLICABLE, _("Tôi không thuộc trường hợp này"), _("Không cần nộp giấy tờ này.")))
    return options


def _default_choice(draft: Draft, page: DocumentPage, current: Attachment | None) -> str:
    answer = draft.answers.get("documents", {}).get(str(page.index), "")
    if current is not None:
        return KEEP
    if answer in (NATIONAL_DB, NOT_APPLICABLE):
        return answer
    return NATIONAL_DB if page.replaced_by else UPLOAD


def _apply_choice(request: HttpRequest, draft: Draft, page: DocumentPage, form: UploadForm) -> None:
    """Carry out the page's answer (OnlineError when it cannot be)."""
    choice = request.POST.get(CHOICE, "")
    upload = form.cleaned_data.get("file")
    if upload is not None and choice in (UPLOAD, KEEP, ""):
        services.draft_upload(draft=draft, index=page.index, stream=upload, original_name=upload.name or "")
    elif choice.startswith(REUSE_PREFIX) and choice[len(REUSE_PREFIX):].isdigit():
        try:
            source = selectors.attachment_for_citizen(request.user, int(choice[len(REUSE_PREFIX):]))
        except Attachment.DoesNotExist as missing:
            raise OnlineError("draft.not_yours", _("Không tìm thấy tệp này trong kho giấy tờ của bạn.")) from missing
        services.draft_reuse(draft=draft, index=page.index, source=source)
    elif choice in (NATIONAL_DB, NOT_APPLICABLE):
        services.draft_answer(draft=draft, index=page.index, answer=choice)
    elif choice == KEEP and draft.attachments.filter(document_index=page.index).exists():
        return
    else:
        raise OnlineError("upload.missing", _("Vui lòng chọn tệp giấy tờ để tải lên."))


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def document(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    draft = _draft_or_none(request, pk)
    pages = _steps(draft) if draft is not None else []
    if draft is None or not 1 <= number <= len(pages):
        return not_found(request)
    page = pages[number - 1]
    form = UploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            _apply_choice(request, draft, page, form)
        except OnlineError as refused:
            error = str(refused.message)
        else:
            return _after(draft, request, _document_url(draft, number + 1))
    elif request.method == "POST":
        error = " ".join(str(e) for e in form.errors.get("file", []))
    return _document_page(request, draft, page, error=error)


def _document_page(request: HttpRequest, draft: Draft, page: DocumentPage, *, error: str) -> HttpResponse:
    current = draft.attachments.filter(document_index=page.index).first()
    earlier = selectors.reusable_attachments(request.user, draft=draft)
    options = _options(page, current, earlier)
    chosen = request.POST.get(CHOICE) if request.method == "POST" and error else None
    back = _document_url(draft, page.number - 1) if page.number > 1 else reverse("portal:online_applicant", args=[draft.pk])
    return render(request, "online/document.html", _frame(
        draft, page.number + 1, page=page, options=options, choice=chosen or _default_choice(draft, page, current),
        error=error, choice_field=CHOICE, current=current, back_url=back,
    ), status=422 if error else 200)  # fmt: skip


@citizen_required
@require_safe
def attachment_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The citizen's own file, to check it (always a download: nothing uploaded renders in the page)."""
    try:
        attachment = selectors.attachment_for_citizen(request.user, pk)
    except Attachment.DoesNotExist:
        return not_found(request)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)  # fmt: skip


# --- check and submit -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    page: DocumentPage
    answer: str
    attachment: Attachment | None
    missing: bool


def _review_lines(draft: Draft) -> list[ReviewLine]:
    answers = draft.answers.get("documents", {})
    files = {a.document_index: a for a in draft.attachments.all()}
    missing = {p.index for p in services.draft_missing(draft)}
    return [ReviewLine(p, answers.get(str(p.index), ""), files.get(p.index), p.index in missing) for p in _steps(draft)]


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponseBase:
    draft = _draft_or_none(request, pk)
    if draft is None:
        return not_found(request)
    error = ""
    if request.method == "POST":
        try:
            services.draft_submit(draft=draft, ip=ip_of(request))
        except (OnlineError, DossierError) as refused:
            error = str(refused.message)
        else:
            return redirect("portal:online_submitted", pk=draft.pk)
    lines = _review_lines(draft)
    return render(request, "online/review.html", _frame(
        draft, len(lines) + 2, lines=lines, error=error, applicant=draft.answers.get("applicant", {}),
        return_method=_return_label(draft), incomplete=any(line.missing for line in lines),
    ), status=422 if error else 200)  # fmt: skip


def _return_label(draft: Draft) -> str:
    value = draft.answers.get("return_method", "")
    return str(Dossier.ReturnMethod(value).label) if value in Dossier.ReturnMethod.values else ""


@citizen_required
@require_safe
def submitted(request: HttpRequest, pk: int) -> HttpResponseBase:
    try:
        draft = selectors.draft_for_citizen(request.user, pk, status=Draft.Status.SUBMITTED)
    except Draft.DoesNotExist:
        return not_found(request)
    return render(request, "online/submitted.html", {"draft": draft, "dossier": draft.dossier})


@citizen_required
@require_safe
def drafts(request: HttpRequest) -> HttpResponse:
    rows = [(draft, _resume_url(draft)) for draft in selectors.drafts_for_citizen(request.user)]
    return render(request, "online/drafts.html", {"rows": rows, "tab": "drafts"})


def _resume_url(draft: Draft) -> str:
    """The first page still to answer, or the check page."""
    if not draft.answers.get("return_method"):
        return reverse("portal:online_applicant", args=[draft.pk])
    missing = services.draft_missing(draft)
    return _document_url(draft, missing[0].number) if missing else reverse("portal:online_review", args=[draft.pk])
