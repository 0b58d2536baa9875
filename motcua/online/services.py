"""The one write path of online submission: start a draft, answer its pages, submit it, send a supplement.

A draft holds the citizen's answers until they submit; submission goes through the dossier
app's `dossier_submit` (status 1, no code, no clock — rule 4) in the same transaction that
links every uploaded file to its checklist line's scan. Files are linked, not copied: the
stored object is written once and is never deleted while a row or a dossier points at it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.core.models import Center
from motcua.dossiers.models import Dossier, DossierDocument, SupplementRequest
from motcua.dossiers.services import (
    Applicant,
    Intake,
    ProvidedDocument,
    dossier_add_supplement_document,
    dossier_submit,
)
from motcua.dossiers.services.intake import current_version
from motcua.identity.models import CitizenProfile

from .errors import OnlineError
from .models import Attachment, Draft
from .plan import NATIONAL_DB, NOT_APPLICABLE, UPLOAD, DocumentPage, document_pages
from .uploads import CheckedFile, check_upload, clean_original_name

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


def citizen_profile(user: Any) -> CitizenProfile:
    """The user's citizen profile; staff accounts and strangers are refused (ADR 0009 §3)."""
    profile = getattr(user, "citizen", None) if getattr(user, "is_authenticated", False) else None
    if profile is None or user.is_staff:
        raise OnlineError("online.not_citizen", _("Chức năng này dành cho tài khoản công dân."))
    return profile


def offered_online(procedure: Procedure) -> bool:
    return procedure.is_active and procedure.online_level in ONLINE_LEVELS


def online_centers(procedure: Procedure) -> list[Center]:
    """Where the dossier may be received: the procedure's centers, or any center when location-independent."""
    snapshot = current_version(procedure).snapshot
    centers = Center.objects.filter(is_active=True)
    if not snapshot.get("location_independent"):
        centers = centers.filter(code__in=snapshot.get("centers", []))
    return list(centers.order_by("ordering", "name"))


def draft_pages(draft: Draft) -> list[DocumentPage]:
    version = draft.procedure.versions.get(number=draft.version_number)
    return document_pages(version.snapshot)


def _touch(draft: Draft, now: datetime | None) -> None:
    draft.updated_at = now or timezone.now()
    draft.save(update_fields=["answers", "updated_at", "version_number"])


def _ensure_open(draft: Draft) -> None:
    if draft.status != Draft.Status.DRAFT:
        raise OnlineError("draft.submitted", _("Hồ sơ này đã được gửi, không sửa được nữa."))


@transaction.atomic
def draft_start(*, citizen: Any, procedure: Procedure, center: Center, now: datetime | None = None) -> Draft:
    """A new draft at `center`, its applicant page pre-filled from the citizen's profile."""
    profile = citizen_profile(citizen)
    if not offered_online(procedure):
        raise OnlineError("draft.not_online", _("Thủ tục này không nộp trực tuyến được; vui lòng nộp tại nơi tiếp nhận."))
    if center not in online_centers(procedure):
        raise OnlineError("draft.wrong_center", _("Vui lòng chọn một nơi tiếp nhận trong danh sách."))
    now = now or timezone.now()
    applicant = {"name": profile.full_name, "national_id": profile.national_id, "phone": profile.phone,
                 "email": profile.email or citizen.email, "address": profile.address}  # fmt: skip
    return Draft.objects.create(
        citizen=citizen, procedure=procedure, version_number=current_version(procedure).number, center=center,
        answers={"applicant": applicant, "documents": {}}, created_at=now, updated_at=now,
    )  # fmt: skip


@transaction.atomic
def draft_refresh_version(draft: Draft, *, now: datetime | None = None) -> bool:
    """If the procedure changed since the draft began, start its checklist again (True).

    The files stay in the citizen's store, so each one can be picked again in a click.
    """
    number = current_version(draft.procedure).number
    if draft.status != Draft.Status.DRAFT or number == draft.version_number:
        return False
    draft.attachments.update(draft=None)
    draft.answers = {**draft.answers, "documents": {}}
    draft.version_number = number
    _touch(draft, now)
    return True


@transaction.atomic
def draft_save_applicant(*, draft: Draft, applicant: dict[str, str], return_method: str,
                         now: datetime | None = None) -> Draft:  # fmt: skip
    """The applicant page, already cleaned by its form."""
    _ensure_open(draft)
    if return_method not in Dossier.ReturnMethod.values:
        raise OnlineError("draft.return_method", _("Vui lòng chọn cách nhận kết quả."))
    draft.answers = {**draft.answers, "applicant": dict(applicant), "return_method": return_method}
    _touch(draft, now)
    return draft


def _page(draft: Draft, index: int) -> DocumentPage:
    pages = draft_pages(draft)
    if not 0 <= index < len(pages):
        raise OnlineError("draft.no_document", _("Không có giấy tờ này trong thủ tục."))
    return pages[index]


def _set_answer(draft: Draft, index: int, answer: str, now: datetime | None) -> None:
    draft.answers = {**draft.answers, "documents": {**draft.answers.get("documents", {}), str(index): answer}}
    _touch(draft, now)


def _file_in_use(name: str, *, besides: int) -> bool:
    return (
        Attachment.objects.filter(file=name).exclude(pk=besides).exists()
        or DossierDocument.objects.filter(scan=name).exists()
    )


def _drop_attachment(draft: Draft, index: int) -> None:
    """The line's previous file goes (a replaced upload is a mistake, not a document to keep)."""
    for old in draft.attachments.filter(document_index=index):
        name = old.file.name
        old.delete()
        if name and not _file_in_use(name, besides=old.pk or 0):
            old.file.storage.delete(name)


def _store(*, citizen: Any, draft: Draft | None, index: int, name: str, stream: IO[bytes], original: str,
           checked: CheckedFile, now: datetime) -> Attachment:  # fmt: skip
    attachment = Attachment(
        citizen=citizen, draft=draft, document_index=index, document_name=name, original_name=clean_original_name(original),
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_at=now,
    )  # fmt: skip
    stream.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{checked.extension}", File(stream), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def draft_upload(*, draft: Draft, index: int, stream: IO[bytes], original_name: str,
                 now: datetime | None = None) -> Attachment:  # fmt: skip
    """A new file for checklist line `index`, checked by its content (OnlineError if refused)."""
    _ensure_open(draft)
    page = _page(draft, index)
    checked = check_upload(stream)
    now = now or timezone.now()
    _drop_attachment(draft, index)
    attachment = _store(citizen=draft.citizen, draft=draft, index=index, name=page.name, stream=stream,
                        original=original_name, checked=checked, now=now)  # fmt: skip
    _set_answer(draft, index, UPLOAD, now)
    return attachment


@transaction.atomic
def draft_reuse(*, draft: Draft, index: int, source: Attachment, now: datetime | None = None) -> Attachment:
    """An earlier file of the same citizen for line `index`: the same stored object, a new row."""
    _ensure_open(draft)
    page = _page(draft, index)
    if source.citizen_id != draft.citizen_id:
        raise OnlineError("draft.not_yours", _("Không tìm thấy tệp này trong kho giấy tờ của bạn."))
    now = now or timezone.now()
    if source.draft_id == draft.pk and source.document_index == index:
        return source
    _drop_attachment(draft, index)
    attachment = Attachment.objects.create(
        citizen=draft.citizen, draft=draft, document_index=index, document_name=page.name, file=source.file.name,
        original_name=source.original_name, content_type=source.content_type, size=source.size, sha256=source.sha256,
        uploaded_at=now, reused_from=source.reused_from or source,
    )  # fmt: skip
    _set_answer(draft, index, UPLOAD, now)
    return attachment


@transaction.atomic
def draft_answer(*, draft: Draft, index: int, answer: str, now: datetime | None = None) -> Draft:
    """No file for line `index`: it is in a national database, or does not apply to this case."""
    _ensure_open(draft)
    page = _page(draft, index)
    if answer not in (NATIONAL_DB, NOT_APPLICABLE) or not page.allows(answer):
        raise OnlineError("draft.file_required", _("Giấy tờ này cần được tải lên."))
    _drop_attachment(draft, index)
    _set_answer(draft, index, answer, now)
    return draft


def draft_missing(draft: Draft) -> list[DocumentPage]:
    """The checklist lines still unanswered (an upload answer needs its file)."""
    answers = draft.answers.get("documents", {})
    with_file = set(draft.attachments.values_list("document_index", flat=True))
    return [
        page for page in draft_pages(draft)
        if not page.allows(answers.get(str(page.index), "")) or (answers.get(str(page.index)) == UPLOAD
                                                                  and page.index not in with_file)
    ]  # fmt: skip


def _intake(draft: Draft) -> Intake:
    data = draft.answers.get("applicant", {})
    answers = draft.answers.get("documents", {})
    scans = {a.document_index: a.file.name or "" for a in draft.attachments.all()}  # linked, not copied
    provided = tuple(
        ProvidedDocument(index=int(index), provided=True, scan=scans.get(int(index), ""))
        for index, answer in answers.items() if answer != NOT_APPLICABLE
    )  # fmt: skip
    return Intake(
        procedure=draft.procedure, channel=Dossier.Channel.ONLINE, documents=provided,
        return_method=draft.answers.get("return_method") or Dossier.ReturnMethod.COUNTER,
        applicant=Applicant(name=data.get("name", ""), national_id=data.get("national_id", ""),
                            phone=data.get("phone", ""), email=data.get("email", ""), address=data.get("address", "")),
    )  # fmt: skip


_VERSION_CHANGED = "draft.version_changed"


def draft_submit(*, draft: Draft, ip: str | None = None, now: datetime | None = None) -> Dossier:
    """Submit: a status-1 online dossier at the chosen center, each file on its checklist line.

    A procedure changed since the draft began restarts its checklist first (committed, so the
    citizen finds the pages to answer again) and the submission is refused with that reason.
    """
    now = now or timezone.now()
    if draft_refresh_version(draft, now=now):
        raise OnlineError(_VERSION_CHANGED, _version_changed_message())
    return _submit(draft, ip=ip, now=now)


def _version_changed_message() -> str:
    return _("Thủ tục vừa được cập nhật thành phần hồ sơ. Vui lòng kiểm tra lại các giấy tờ trước khi gửi.")


@transaction.atomic
def _submit(draft: Draft, *, ip: str | None, now: datetime) -> Dossier:
    draft = Draft.objects.select_for_update().select_related("procedure", "center", "citizen").get(pk=draft.pk)
    _ensure_open(draft)
    if current_version(draft.procedure).number != draft.version_number:  # changed a moment ago
        raise OnlineError(_VERSION_CHANGED, _version_changed_message())
    if draft_missing(draft):
        raise OnlineError("draft.incomplete", _("Hồ sơ còn thiếu giấy tờ. Vui lòng bổ sung các mục được đánh dấu."))
    dossier = dossier_submit(intake=_intake(draft), center=draft.center, actor=draft.citizen, actor_kind="citizen",
                             ip=ip, now=now)  # fmt: skip
    draft.status, draft.dossier, draft.submitted_at, draft.updated_at = Draft.Status.SUBMITTED, dossier, now, now
    draft.save(update_fields=["status", "dossier", "submitted_at", "updated_at"])
    return dossier


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != Dossier.Status.SUPPLEMENT_REQUESTED:
        return None
    return dossier.supplements.filter(received_at__isnull=True, expired_at__isnull=True).order_by("-requested_at").first()


def supplement_items(request: SupplementRequest) -> list[str]:
    names = [str(item.get("document") or item.get("name") or item.get("note") or "") for item in request.items or []]
    return [name for name in names if name.strip()] or [_("Giấy tờ bổ sung")]


@transaction.atomic
def supplement_upload(*, citizen: Any, dossier: Dossier, item: int, stream: IO[bytes], original_name: str,
                      ip: str | None = None, now: datetime | None = None) -> DossierDocument:  # fmt: skip
    """A requested document sent online: a new line on the dossier, tied to the open request.

    The status stays 5: receiving the supplement (5 → 4, the clock restarting) is the officer's
    act (`dossier_receive_supplement`), once they have looked at what came in.
    """
    request = open_supplement(dossier)
    if request is None:
        raise OnlineError("supplement.none", _("Hồ sơ này hiện không có yêu cầu bổ sung giấy tờ."))
    names = supplement_items(request)
    if not 0 <= item < len(names):
        raise OnlineError("supplement.no_item", _("Không có giấy tờ này trong yêu cầu bổ sung."))
    checked = check_upload(stream)
    now = now or timezone.now()
    attachment = _store(citizen=citizen, draft=None, index=-1, name=names[item], stream=stream, original=original_name,
                        checked=checked, now=now)  # fmt: skip
    return dossier_add_supplement_document(dossier=dossier, request=request, name=names[item],
                                           scan=attachment.file.name or "", actor=citizen, ip=ip, now=now)  # fmt: skip
