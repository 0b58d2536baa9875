"""Public dossier tracking (issue 4, rules 13, 14, 20): status by code, personal details only with the ID number.

Anyone holding the code (the QR on the receipt) sees the status, the agency, the due time and a
timeline of whitelisted events — never a name, a number, an officer or a reason. The applicant's
details and the electronic result need the applicant's ID number as well: each check is
rate-limited per address and audited (without the number typed), and a match leaves a proof in
the session, for that dossier only and for 15 minutes, which the result download asks for.

The kiosk's "Tra cứu hồ sơ" screens (`kiosk/dossier_views.py`) use the same functions.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.backends import client_ip
from motcua.core.calendar import to_local
from motcua.core.services import audit_log_write
from motcua.core.text import format_vnd
from motcua.dossiers.models import Dossier, DossierResult
from motcua.dossiers.selectors import TimelineEntry, dossier_timeline

Status = Dossier.Status
AUDIT_ACTION = "dossiers.dossier.public_lookup"
READ_ACTION = "dossiers.dossier.personal_data_viewed"
PROOF_SESSION_KEY = "dossier_lookup_proofs"
PROOF_LIFETIME = timedelta(minutes=15)
CODE_FIELD = "ma"
ID_FIELD = "so_dinh_danh"
_WINDOW_SECONDS = 3600
_MAX_CODE = 80
_MAX_ID = 20

# --- the code, as typed, tapped or scanned -----------------------------------------------------

# A QR scanner types the whole address (`https://…/tra-cuu/<code>/`); people type the code.
_CODE_IN_URL = re.compile(r"/tra-cuu(?:-ho-so)?/([^/?#\s]+)", re.IGNORECASE)


def normalise_code(raw: str) -> str:
    """`  https://x/tra-cuu/000.17.22.h56-260310-0001/ ` → `000.17.22.H56-260310-0001`."""
    text = (raw or "").strip()
    found = _CODE_IN_URL.search(text)
    if found:
        text = found.group(1)
    return re.sub(r"\s+", "", text).strip("/").upper()[:_MAX_CODE]


def dossier_by_code(raw: str) -> Dossier | None:
    """The dossier with this code, case-insensitively, or None (codes are minted upper-case;
    the as-typed form is tried too so a unit ID with small letters is still found by index)."""
    code = normalise_code(raw)
    if not code:
        return None
    candidates = {code, code.lower(), re.sub(r"\s+", "", (raw or "").strip())}
    return (
        Dossier.objects.select_related("procedure_version", "receiving_center", "competent_agency", "current_agency")
        .filter(code__in=candidates)
        .first()
    )


# --- what anyone may see ----------------------------------------------------------------------

# One sentence per status; %(agency)s is the agency holding it, %(center)s the receiving center.
_EXPLANATIONS = {
    Status.SUBMITTED: gettext_lazy("Hồ sơ đã được gửi và đang chờ %(center)s kiểm tra, tiếp nhận."),
    Status.ACCEPTED: gettext_lazy("Hồ sơ đã được tiếp nhận và đang được chuyển đến %(agency)s để giải quyết."),
    Status.REFUSED: gettext_lazy(
        "Hồ sơ không được tiếp nhận; lý do đã được ghi trong phiếu từ chối giao cho người nộp."
    ),
    Status.PROCESSING: gettext_lazy("Hồ sơ đang được %(agency)s xử lý."),
    Status.SUPPLEMENT_REQUESTED: gettext_lazy(
        "Hồ sơ cần bổ sung giấy tờ theo thông báo đã gửi người nộp; thời hạn giải quyết tạm dừng cho đến khi "
        "nhận đủ giấy tờ bổ sung."
    ),
    Status.AWAITING_PAYMENT: gettext_lazy(
        "Hồ sơ đang chờ người nộp thực hiện nghĩa vụ tài chính (phí, lệ phí, thuế) theo thông báo."
    ),
    Status.WITHDRAWN: gettext_lazy("Hồ sơ đã được rút theo yêu cầu của người nộp."),
    Status.STOPPED: gettext_lazy("Việc giải quyết hồ sơ đã dừng; thông báo dừng giải quyết đã được gửi người nộp."),
    Status.RESULT_READY: gettext_lazy("Hồ sơ đã có kết quả; mời quý khách nhận kết quả tại %(center)s."),
    Status.RETURNED: gettext_lazy("Kết quả giải quyết đã được trả cho người nộp."),
}
_RESULT_READY_BY_POST = gettext_lazy("Hồ sơ đã có kết quả; kết quả sẽ được gửi đến quý khách qua bưu chính.")
_RESULT_READY_ONLINE = gettext_lazy("Hồ sơ đã có kết quả; quý khách có thể nhận kết quả điện tử trực tuyến.")

# The colour of the status card.
_TONES = {
    Status.SUBMITTED: "info", Status.ACCEPTED: "info", Status.PROCESSING: "info",
    Status.SUPPLEMENT_REQUESTED: "warn", Status.AWAITING_PAYMENT: "warn",
    Status.RESULT_READY: "done", Status.RETURNED: "done",
    Status.REFUSED: "stopped", Status.WITHDRAWN: "stopped", Status.STOPPED: "stopped",
}  # fmt: skip


@dataclass(frozen=True)
class ProgressStep:
    label: str
    state: str  # done / current / todo


_PROGRESS_LABELS = (
    gettext_lazy("Tiếp nhận"),
    gettext_lazy("Giải quyết"),
    gettext_lazy("Có kết quả"),
    gettext_lazy("Trả kết quả"),
)
# How many of the four steps a status has completed (refused, withdrawn, stopped: no bar).
_STEPS_DONE = {
    Status.SUBMITTED: 0, Status.ACCEPTED: 1, Status.PROCESSING: 1, Status.SUPPLEMENT_REQUESTED: 1,
    Status.AWAITING_PAYMENT: 1, Status.RESULT_READY: 3, Status.RETURNED: 4,
}  # fmt: skip


def progress_steps(status: int) -> list[ProgressStep]:
    done = _STEPS_DONE.get(Status(status))
    if done is None:
        return []
    states = ["done" if i < done else "current" if i == done else "todo" for i in range(len(_PROGRESS_LABELS))]
    return [ProgressStep(str(label), state) for label, state in zip(_PROGRESS_LABELS, states, strict=True)]


@dataclass(frozen=True)
class PublicStatus:
    code: str
    status: int
    label: str
    explanation: str
    tone: str
    procedure_code: str
    procedure_name: str
    agency: str
    center: str
    center_address: str
    received_at: str
    due_at: str
    due_moved: bool  # an apology set a new appointment
    paused: bool
    deadline_tone: str  # ok / warn / late / "" (no deadline to speak of)
    deadline_text: str
    timeline: list[TimelineEntry]  # the selector's whitelist: label, time, agency — no actor or reason
    progress: list[ProgressStep]


def when(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh (the brief's format for the public page)."""
    return f"{to_local(value):%d/%m/%Y %H:%M}" if value else ""


def _agency_name(dossier: Dossier) -> str:
    agency = dossier.current_agency or dossier.competent_agency
    return agency.name if agency else ""


def _explanation(dossier: Dossier) -> str:
    words: Any = _EXPLANATIONS[Status(dossier.status)]
    if dossier.status == Status.RESULT_READY and dossier.return_method == Dossier.ReturnMethod.POST:
        words = _RESULT_READY_BY_POST
    elif dossier.status == Status.RESULT_READY and dossier.return_method == Dossier.ReturnMethod.ONLINE:
        words = _RESULT_READY_ONLINE
    return str(words) % {"agency": _agency_name(dossier), "center": dossier.receiving_center.name}


def _deadline(dossier: Dossier, now: datetime) -> tuple[str, str]:
    """(tone, sentence) about time: paused, on time, late — against the original due time (rule 8)."""
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        return "warn", _("Tạm dừng tính thời hạn trong thời gian chờ bổ sung giấy tờ.")
    if dossier.due_at is None or dossier.status in (Status.SUBMITTED, Status.REFUSED):
        return "", ""
    if dossier.is_late is not None:
        return ("late", _("Có kết quả sau thời hạn hẹn trả.")) if dossier.is_late else ("ok", _("Có kết quả đúng hạn."))
    if dossier.is_final:
        return "", ""
    if now > dossier.due_at or dossier.overdue_at:
        return "late", _("Đã quá thời hạn hẹn trả kết quả.")
    return "ok", _("Trong thời hạn giải quyết.")


def public_status(dossier: Dossier, *, now: datetime) -> PublicStatus:
    snapshot = dossier.snapshot
    tone, text = _deadline(dossier, now)
    return PublicStatus(
        code=dossier.code or "", status=dossier.status, label=str(Status(dossier.status).label),
        explanation=_explanation(dossier), tone=_TONES[Status(dossier.status)],
        procedure_code=snapshot.get("code", ""), procedure_name=snapshot.get("name", dossier.procedure.name),
        agency=_agency_name(dossier), center=dossier.receiving_center.name,
        center_address=dossier.receiving_center.address, received_at=when(dossier.accepted_at or dossier.submitted_at),
        due_at=when(dossier.due_at), due_moved=bool(dossier.due_at and dossier.due_at != dossier.original_due_at),
        paused=dossier.status == Status.SUPPLEMENT_REQUESTED, deadline_tone=tone, deadline_text=text,
        timeline=dossier_timeline(dossier), progress=progress_steps(dossier.status),
    )  # fmt: skip


# --- personal details, after the applicant's ID number ------------------------------------------


class Check(enum.Enum):
    MATCHED = "matched"
    REFUSED = "refused"
    THROTTLED = "throttled"
    EMPTY = "empty"


def _limit_key(request: HttpRequest) -> str:
    # Hashed so no client address sits in the cache in clear.
    address = client_ip(request) or "-"
    return "motcua:dossier-lookup:" + hashlib.sha256(address.encode()).hexdigest()


def _limit() -> int:
    return int(settings.MOTCUA["DOSSIER_LOOKUP_PER_HOUR"])


def lookup_throttled(request: HttpRequest) -> bool:
    return int(cache.get(_limit_key(request), 0)) >= _limit()


def _count_failure(request: HttpRequest) -> None:
    """One wrong number from this address; the window runs an hour from the first one.

    Only wrong numbers count: a kiosk serves the whole hall from one address, and a citizen who
    gives the right number is not guessing.
    """
    key = _limit_key(request)
    if cache.add(key, 1, _WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, _WINDOW_SECONDS)


def _clean_id(value: str) -> str:
    return re.sub(r"[\s.\-]+", "", value or "").upper()


def id_matches(dossier: Dossier, typed: str) -> bool:
    expected = _clean_id(dossier.applicant_national_id)
    # compare_digest: the time taken says nothing about how many leading digits were right.
    return bool(expected) and hmac.compare_digest(expected.encode(), _clean_id(typed).encode())


def _audit(request: HttpRequest, dossier: Dossier, data: dict[str, Any]) -> None:
    # The typed number is never written anywhere: only whether it matched.
    audit_log_write(
        actor=request.user if request.user.is_authenticated else None, action=AUDIT_ACTION, obj=dossier,
        center=dossier.receiving_center, ip=client_ip(request), data=data,
    )  # fmt: skip


def _audit_read(request: HttpRequest, dossier: Dossier, *, via: str) -> None:
    """A later read of the details on the strength of the session's proof (rule 20)."""
    audit_log_write(
        actor=request.user if request.user.is_authenticated else None, action=READ_ACTION, obj=dossier,
        center=dossier.receiving_center, ip=client_ip(request), data={"via": via},
    )  # fmt: skip


def check_applicant(request: HttpRequest, dossier: Dossier, typed: str) -> Check:
    """One look-up attempt: throttled (no check made), matched or refused; audited either way."""
    if not _clean_id(typed):
        return Check.EMPTY
    if lookup_throttled(request):
        _audit(request, dossier, {"matched": False, "throttled": True})
        return Check.THROTTLED
    matched = id_matches(dossier, typed[: _MAX_ID * 2])
    if not matched:
        _count_failure(request)
    _audit(request, dossier, {"matched": matched})
    return Check.MATCHED if matched else Check.REFUSED


def check_message(outcome: Check) -> str:
    minutes = _WINDOW_SECONDS // 60
    return {
        Check.EMPTY: _("Vui lòng nhập số định danh cá nhân (số căn cước) hoặc mã số của người nộp hồ sơ."),
        Check.REFUSED: _("Số định danh không khớp với hồ sơ này. Vui lòng kiểm tra lại số trên giấy tờ của người nộp."),
        Check.THROTTLED: _(
            "Quý khách đã nhập sai quá nhiều lần. Vì an toàn thông tin, vui lòng thử lại sau %(minutes)d phút "
            "hoặc liên hệ quầy hướng dẫn."
        )
        % {"minutes": minutes},
        Check.MATCHED: "",
    }[outcome]


# The proof of a match lives in the session, keyed by the dossier, so it opens that one only.
def grant_proof(request: HttpRequest, dossier: Dossier, *, now: datetime) -> None:
    proofs = {k: v for k, v in request.session.get(PROOF_SESSION_KEY, {}).items() if v > now.timestamp()}
    proofs[str(dossier.pk)] = (now + PROOF_LIFETIME).timestamp()
    request.session[PROOF_SESSION_KEY] = proofs


def proof_until(request: HttpRequest, dossier: Dossier, *, now: datetime) -> datetime | None:
    """When this session's proof for `dossier` ends, or None if it has none (or it ended)."""
    until = request.session.get(PROOF_SESSION_KEY, {}).get(str(dossier.pk))
    if until is None or float(until) <= now.timestamp():
        return None
    return datetime.fromtimestamp(float(until), tz=UTC)


@dataclass(frozen=True)
class DocumentLine:
    name: str
    counts: str


@dataclass(frozen=True)
class FeeRow:
    name: str
    amount: str
    paid: bool


@dataclass(frozen=True)
class Details:
    applicant: str
    organisation: bool
    return_method: str
    documents: list[DocumentLine]
    fees: list[FeeRow]
    result_number: str
    result_kind: str
    downloadable: bool


def _counts(doc: Any) -> str:
    parts = [
        (doc.originals, _("bản chính")), (doc.certified_copies, _("bản sao chứng thực")),
        (doc.plain_copies, _("bản sao")),
    ]  # fmt: skip
    text = ", ".join(f"{n} {label}" for n, label in parts if n)
    if doc.show_only:
        return _("Xuất trình")
    if doc.replaced_by:
        return _("Khai thác từ cơ sở dữ liệu")
    return text or (_("Đã nộp") if doc.provided else _("Chưa nộp"))


def result_of(dossier: Dossier) -> DossierResult | None:
    try:
        return dossier.result
    except DossierResult.DoesNotExist:
        return None


def result_downloadable(dossier: Dossier) -> bool:
    """An electronic result exists and has been released (status 9 or 10)."""
    result = result_of(dossier)
    return (
        result is not None and result.kind in (DossierResult.Kind.ELECTRONIC, DossierResult.Kind.BOTH)
        and bool(result.file) and dossier.status in (Status.RESULT_READY, Status.RETURNED)
    )  # fmt: skip


def details_for(dossier: Dossier) -> Details:
    result = result_of(dossier)
    released = result is not None and dossier.status in (Status.RESULT_READY, Status.RETURNED)
    return Details(
        applicant=dossier.applicant_name,
        organisation=dossier.applicant_kind == Dossier.ApplicantKind.ORGANISATION,
        return_method=str(dossier.get_return_method_display()),
        documents=[DocumentLine(d.name, _counts(d)) for d in dossier.documents.all()],
        fees=[FeeRow(f.name, format_vnd(f.amount * f.quantity), f.paid) for f in dossier.fees.all()],
        result_number=result.document_number if result and released else "",
        result_kind=str(result.get_kind_display()) if result and released else "",
        downloadable=result_downloadable(dossier),
    )  # fmt: skip


# --- views ------------------------------------------------------------------------------------


def _lookup_page(request: HttpRequest, *, typed: str = "", status: int = 200) -> HttpResponse:
    return render(request, "portal/dossier_lookup.html", {
        "typed": typed, "not_found": status == 404, "code_field": CODE_FIELD,
    }, status=status)  # fmt: skip


@require_safe
def lookup(request: HttpRequest) -> HttpResponse:
    """The search box; `?ma=` (a code or a scanned address) goes to the dossier's page."""
    typed = request.GET.get(CODE_FIELD, "")
    if not typed.strip():
        return _lookup_page(request)
    dossier = dossier_by_code(typed)
    if dossier is None:
        return _lookup_page(request, typed=typed.strip()[: _MAX_CODE * 2], status=404)
    return redirect("portal:dossier_track", code=dossier.code)


def _track_page(request: HttpRequest, dossier: Dossier, *, now: datetime, **extra: Any) -> HttpResponse:
    context = {
        "dossier": dossier, "state": public_status(dossier, now=now), "id_field": ID_FIELD,
        "details": None, "message": "", "typed_id": "", "code_field": CODE_FIELD,
    }  # fmt: skip
    status = extra.pop("status", 200)
    return render(request, "portal/dossier_track.html", context | extra, status=status)


def _with_details(request: HttpRequest, dossier: Dossier, *, now: datetime, until: datetime) -> HttpResponse:
    return _track_page(request, dossier, now=now, details=details_for(dossier), proof_until=when(until))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_by_code(code)
    if dossier is None:
        return _lookup_page(request, typed=code[:_MAX_CODE], status=404)
    if dossier.code != code:  # a lower-case or padded code: one address per dossier
        return redirect("portal:dossier_track", code=dossier.code)
    now = timezone.now()
    if request.method == "POST":
        return _verify(request, dossier, now=now)
    until = proof_until(request, dossier, now=now)
    if until is not None:
        _audit_read(request, dossier, via="public_lookup")
        return _with_details(request, dossier, now=now, until=until)
    return _track_page(request, dossier, now=now)


def _verify(request: HttpRequest, dossier: Dossier, *, now: datetime) -> HttpResponse:
    typed = request.POST.get(ID_FIELD, "")[: _MAX_ID * 2]
    outcome = check_applicant(request, dossier, typed)
    if outcome is Check.MATCHED:
        grant_proof(request, dossier, now=now)
        return _with_details(request, dossier, now=now, until=now + PROOF_LIFETIME)
    status = 429 if outcome is Check.THROTTLED else 200
    kept = "" if outcome is Check.THROTTLED else typed.strip()
    return _track_page(request, dossier, now=now, message=check_message(outcome), typed_id=kept, status=status)


@never_cache
@require_safe
def result_download(request: HttpRequest, code: str) -> HttpResponseBase:
    """The electronic result, as an attachment, to the session that proved the ID for this dossier."""
    dossier = dossier_by_code(code)
    if dossier is None or dossier.code != code:
        return _lookup_page(request, typed=code[:_MAX_CODE], status=404)
    now = timezone.now()
    until = proof_until(request, dossier, now=now)
    if until is None:
        message = _("Vui lòng nhập số định danh của người nộp hồ sơ để tải kết quả.")
        return _track_page(request, dossier, now=now, message=message, status=403)
    if not result_downloadable(dossier):
        return _with_details(request, dossier, now=now, until=until)
    result = dossier.result
    _audit_read(request, dossier, via="public_result_download")
    name = f"ket-qua-{dossier.code}{_suffix(result.file.name or '')}"
    return FileResponse(result.file.open("rb"), as_attachment=True, filename=name)


def _suffix(path: str) -> str:
    found = re.search(r"\.[A-Za-z0-9]{1,8}$", path)
    return found.group(0).lower() if found else ""
