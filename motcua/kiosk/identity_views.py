"""Xác thực bằng khuôn mặt at the Smart Kiosk (issue 5, ADR 0009).

Consent → "place your ID card on the reader" (the kiosk polls for the reader's read) → camera:
the browser captures a dozen frames and posts them → the outcome, with "Thử lại" or "Làm tại
quầy". A match leaves the verified identity (text only) in the kiosk session; the next ticket
issued there carries it (`attach_verified_identity`, called by the queue flow) and the session
forgets it. Cancelling, going home from these screens or the idle timer forget everything too.

Pairing with a card reader: the reader names the kiosk in `kiosk_ref` and the kiosk's start URL
carries the same label (`?kiosk=K1`, remembered by the kiosk's session); a center with one
kiosk and one reader leaves both empty. Demo mode: an officer of the center puts a read in the
same slot from `demo/` (no hardware).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.backends import client_ip
from motcua.accounts.scoping import works_at_center
from motcua.core.models import Center
from motcua.identity.models import ConsentRecord, FaceCheck
from motcua.identity.services import card_reads, face_checks
from motcua.identity.services.card_reads import KIOSK_LABEL, CardReadError
from motcua.identity.services.face_checks import FaceCheckRefused, VerifiedIdentity
from motcua.identity.wording import CHALLENGE_TEXT, OUTCOMES, may_retry
from motcua.queueing.models import Ticket

from .views import center_or_404

logger = logging.getLogger(__name__)
FLOW = "kiosk_face"  # this citizen's way through the screens: refs, consent, challenge, outcome
VERIFIED = "kiosk_face_identity"  # after a match: who, for the next ticket (no photo)
LABEL = "kiosk_label"  # which card reader's reads this kiosk takes (its `kiosk_ref`)
FRAMES_MAX_BYTES = 6_000_000  # a dozen 640×480 JPEGs are some 600 KB
Result = FaceCheck.Result


# --- the kiosk session -----------------------------------------------------------------------


def _flow(request: HttpRequest) -> dict[str, Any]:
    flow = request.session.get(FLOW)
    return flow if isinstance(flow, dict) else {}


def _save(request: HttpRequest, flow: dict[str, Any]) -> None:
    request.session[FLOW] = flow


def identity_forget(request: HttpRequest) -> None:
    """Everything about the citizen at the kiosk: the read (with its photo), the flow, the match."""
    card_reads.card_read_forget(_flow(request).get("ref", ""))
    for key in (FLOW, VERIFIED):
        request.session.pop(key, None)


def _consent(request: HttpRequest) -> ConsentRecord | None:
    return face_checks.consent_of(_flow(request).get("consent"))


def _kiosk_key(center: Center, request: HttpRequest) -> str:
    return f"{center.pk}:{request.session.get(LABEL, '')}"


def _verified_store(request: HttpRequest, identity: VerifiedIdentity) -> None:
    request.session[VERIFIED] = {
        "national_id": identity.national_id, "full_name": identity.full_name,
        "birth_date": identity.birth_date.isoformat() if identity.birth_date else "", "address": identity.address,
        "face_check_id": identity.face_check_id, "verified_at": identity.verified_at.isoformat(),
    }  # fmt: skip


def _verified(request: HttpRequest) -> VerifiedIdentity | None:
    data = request.session.get(VERIFIED)
    if not isinstance(data, dict):
        return None
    try:
        return VerifiedIdentity(
            national_id=data["national_id"], full_name=data["full_name"], address=data["address"],
            birth_date=date.fromisoformat(data["birth_date"]) if data["birth_date"] else None,
            face_check_id=int(data["face_check_id"]), verified_at=datetime.fromisoformat(data["verified_at"]),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None


def attach_verified_identity(request: HttpRequest, *, ticket: Ticket, now: datetime) -> None:
    """Called by the queue flow right after issuing: the ticket takes the match, the session forgets it.

    The ticket has committed; a failure here must not turn it into an error page.
    """
    identity = _verified(request)
    identity_forget(request)
    if identity is None or not face_checks.identity_fresh(identity, now):
        return
    try:
        face_checks.ticket_identity_attach(ticket=ticket, identity=identity, now=now)
    except Exception:  # noqa: BLE001 - the number is taken; the counter can still check papers
        logger.exception("identity could not be attached to ticket %s", ticket.pk)


def _common(center: Center, **extra: Any) -> dict[str, Any]:
    return {"center": center, "cancel_url": reverse("kiosk:identity_cancel", args=[center.code]), **extra}


# --- 1: consent ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def identity_consent(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    if request.method == "POST":
        session_ref = secrets.token_urlsafe(18)
        consent = face_checks.consent_give(center=center, session_ref=session_ref)
        _save(request, {"ref": session_ref, "consent": consent.pk, "since": consent.given_at.timestamp()})
        return redirect("kiosk:identity_card", center.code)
    identity_forget(request)  # a new citizen starts here
    if KIOSK_LABEL.match(label := request.GET.get("kiosk", "")) and "kiosk" in request.GET:
        request.session[LABEL] = label
    return render(request, "kiosk/identity_consent.html", _common(center))


def _consented(request: HttpRequest) -> bool:
    return bool(_flow(request).get("consent"))


# --- 2: the ID card --------------------------------------------------------------------------


@require_safe
def identity_card(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    if not _consented(request):
        return redirect("kiosk:identity_consent", center.code)
    return render(request, "kiosk/identity_card.html", _common(center))


@require_POST
def identity_card_claim(request: HttpRequest, center_code: str) -> JsonResponse:
    """Polled by the card screen: has the reader (or the demo console) sent this kiosk a card?"""
    center = center_or_404(center_code)
    flow = _flow(request)
    if not flow.get("consent"):
        return _json_error(409, "consent_required", _("Cần quý khách đồng ý trước."))
    camera = reverse("kiosk:identity_camera", args=[center.code])
    if card_reads.card_read_for_session(flow["ref"]) is not None:
        return JsonResponse({"ready": True, "next": camera})
    since = datetime.fromtimestamp(float(flow.get("since", 0)), tz=UTC)
    read = card_reads.card_read_claim(
        center=center, kiosk_label=request.session.get(LABEL, ""), session_ref=flow["ref"], since=since
    )
    return JsonResponse({"ready": read is not None, "next": camera if read else ""})


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


# --- 3: the camera ---------------------------------------------------------------------------


class _InMemory(MemoryFileUploadHandler):
    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True  # whatever FILE_UPLOAD_MAX_MEMORY_SIZE says


def images_in_memory(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Posted images (camera frames, a demo photo) never touch the disk: memory handlers only and
    a bounded body. The handlers must be set before anything reads the body, so the CSRF check
    (which reads it) runs after them, inside."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            if int(request.META.get("CONTENT_LENGTH") or 0) > FRAMES_MAX_BYTES:
                return _json_error(413, "payload_too_large", _("Ảnh gửi lên quá lớn."))
            request.upload_handlers = [_InMemory(request)]
        return protected(request, *args, **kwargs)

    return wrapper


@images_in_memory
@require_http_methods(["GET", "HEAD", "POST"])
def identity_camera(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    flow = _flow(request)
    read = card_reads.card_read_for_session(flow.get("ref", "")) if flow.get("consent") else None
    if request.method == "POST":
        return _check(request, center, flow, read)
    if read is None:
        return redirect("kiosk:identity_card" if _consented(request) else "kiosk:identity_consent", center.code)
    flow["challenge"] = secrets.choice(face_checks.challenges())
    _save(request, flow)
    return render(request, "kiosk/identity_camera.html", _common(
        center, challenge=flow["challenge"], challenge_text=CHALLENGE_TEXT.get(flow["challenge"], ""),
    ))  # fmt: skip


def _frames(request: HttpRequest) -> list[bytes]:
    return [upload.read() for upload in request.FILES.getlist("frames")[: face_checks.MAX_FRAMES]]


def _check(request: HttpRequest, center: Center, flow: dict[str, Any], read: Any) -> JsonResponse:
    outcome_url = reverse("kiosk:identity_outcome", args=[center.code])
    if read is None or not flow.get("challenge"):
        return _json_error(409, "no_card_read", _("Chưa có dữ liệu thẻ căn cước; vui lòng đặt lại thẻ."))
    frames = _frames(request)
    if not frames:
        return _json_error(422, "no_frames", _("Không nhận được ảnh từ camera."))
    try:
        outcome = face_checks.face_check_run(
            center=center, consent=_consent(request), read=read, frames=frames, challenge=flow["challenge"],
            kiosk_key=_kiosk_key(center, request),
        )  # fmt: skip
    except FaceCheckRefused as refusal:
        return _refused(request, flow, refusal.message, outcome_url)
    except Exception:  # noqa: BLE001 - the engine failing must not leave the citizen on an error page
        logger.exception("face check failed at center %s", center.pk)
        return _refused(
            request, flow, _("Kiosk chưa xác thực được lúc này. Vui lòng làm thủ tục tại quầy."), outcome_url
        )
    flow.update(result=outcome.check.result, message=outcome.message, challenge="")
    _save(request, flow)
    if outcome.identity is not None:
        card_reads.card_read_forget(flow["ref"])  # the photo has done its job
        _verified_store(request, outcome.identity)
    return JsonResponse({"result": outcome.check.result, "next": outcome_url})


def _refused(request: HttpRequest, flow: dict[str, Any], message: str, outcome_url: str) -> JsonResponse:
    flow.update(result="refused", message=message)
    _save(request, flow)
    return JsonResponse({"result": "refused", "next": outcome_url})


# --- 4: the outcome --------------------------------------------------------------------------


@require_safe
def identity_outcome(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    flow = _flow(request)
    result = flow.get("result", "")
    if result not in OUTCOMES:
        return redirect("kiosk:identity_consent", center.code)
    title, default = OUTCOMES[result]
    verified = _verified(request) if result == Result.MATCH else None
    return render(request, "kiosk/identity_outcome.html", _common(
        center, result=result, title=title, message=flow.get("message") or default, verified=verified,
        retry=may_retry(result),
    ))  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def identity_cancel(request: HttpRequest, center_code: str) -> HttpResponse:
    """Forget the citizen; `?tiep=lay-so` goes on to take a number without identity, else home."""
    center = center_or_404(center_code)
    identity_forget(request)
    if request.GET.get("tiep") == "lay-so":
        return redirect("kiosk:queue_start", center.code)
    return redirect("kiosk:home", center.code)


# --- demo: an officer enrols a reference photo -------------------------------------------------


@images_in_memory
@login_required(login_url=reverse_lazy("console:login"))
@require_http_methods(["GET", "HEAD", "POST"])
def identity_demo(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    if not works_at_center(request.user, center.pk) or not card_reads.demo_enrolment_on():
        raise Http404(center_code)  # another center's officer learns nothing; production has no demo
    if request.method == "POST":
        return _demo_store(request, center)
    return render(request, "kiosk/identity_demo.html", {"center": center, "values": {}, "done": request.GET.get("ok")})


def _demo_birth_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a date, no time zone
    except ValueError:
        return None


def _demo_store(request: HttpRequest, center: Center) -> HttpResponse:
    values = {
        key: request.POST.get(key, "") for key in ("national_id", "full_name", "birth_date", "sex", "address", "kiosk")
    }
    upload = request.FILES.get("photo")
    birth_date = _demo_birth_date(values["birth_date"])
    error = ""
    if birth_date is None:
        error = _("Ngày sinh ghi theo dạng ngày/tháng/năm, ví dụ 05/09/1990.")
    elif upload is None:
        error = _("Vui lòng chọn ảnh chân dung (JPEG hoặc PNG).")
    else:
        try:
            card_reads.card_read_enrol_demo(
                center=center, officer=request.user, ip=client_ip(request), national_id=values["national_id"],
                full_name=values["full_name"], birth_date=birth_date, sex=values["sex"], address=values["address"],
                photo=upload.read(), kiosk_label=values["kiosk"].strip(),
            )  # fmt: skip
        except CardReadError as refusal:
            error = refusal.message
    if error:
        return render(
            request, "kiosk/identity_demo.html", {"center": center, "values": values, "error": error}, status=422
        )
    return redirect(reverse("kiosk:identity_demo", args=[center.code]) + "?ok=1")
