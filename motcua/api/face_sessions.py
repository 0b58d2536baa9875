"""/api/v1/identity/face-sessions…: the kiosk's face check for a native kiosk app (ADR 0009 §5).

A kiosk app (device kind `kiosk`, `Authorization: Device <token>`) runs the same check as the
kiosk's web screens, step by step; the state between steps is a face session in the cache
(`identity.services.face_sessions`), bound to the kiosk that opened it. Frames are base64 JPEG
or PNG in the JSON body, decoded in memory and dropped after the check.
"""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja import Status as Answer

from motcua.devices.models import Device
from motcua.identity.services import face_checks, face_sessions
from motcua.identity.services.card_reads import KIOSK_LABEL
from motcua.identity.services.face_checks import CONSENT_VERSION, FaceCheckRefused
from motcua.identity.services.face_sessions import FaceSession
from motcua.identity.wording import CHALLENGE_TEXT, OUTCOMES, may_retry

from .errors import ApiError, not_found
from .queue import DeviceToken, _nobody

logger = logging.getLogger(__name__)
router = Router(tags=["identity"])
# Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with an exception; saying so
# first, in the API's words, keeps that from becoming a 500. A dozen 640×480 JPEGs are ~800 KB.
BODY_MAX_BYTES = 2_400_000
FRAME_MAX_BYTES = 400_000
SessionRef = Annotated[str, Path(max_length=40, pattern=r"^[-A-Za-z0-9_]+$")]
_LIMIT_CODES = frozenset({"kiosk_limit", "id_limit"})


class Kiosk(DeviceToken):
    """A kiosk's token; other devices (boards, card readers) may not run face checks."""

    openapi_description = "Kiosk: `Authorization: Device <mã>` (thiết bị loại kiosk)."

    def __call__(self, request: HttpRequest) -> Device | None:
        device = super().__call__(request)
        if device is None:
            return None
        if device.kind != Device.Kind.KIOSK:
            raise ApiError(403, "forbidden", _("Chỉ kiosk được xác thực khuôn mặt."))
        if int(request.META.get("CONTENT_LENGTH") or 0) > BODY_MAX_BYTES:
            raise ApiError(413, "payload_too_large", _("Ảnh gửi lên quá lớn."))
        return device


KIOSK = [Kiosk(), _nobody]


class OpenIn(Schema):
    kiosk_ref: str = Field("", max_length=20, description="Nhãn của kiosk (như `kiosk_ref` của đầu đọc thẻ); "
                                                          "bỏ trống nếu trung tâm ghép mọi đầu đọc với mọi kiosk")  # fmt: skip


class SessionOut(Schema):
    session: str
    challenge: str = Field(description="blink / turn_left / turn_right")
    challenge_text: str
    consent_version: str
    expires_in: int


class CardOut(Schema):
    ready: bool = Field(description="Đã nhận dữ liệu thẻ của phiên này")


class CheckIn(Schema):
    frames_jpeg_base64: list[str] = Field(
        min_length=1, max_length=face_checks.MAX_FRAMES, description="Các khung hình camera (JPEG hoặc PNG, base64), "
        "chụp trong khi công dân làm theo thử thách; nên 10–15 khung 640×480",
    )  # fmt: skip


class CheckOut(Schema):
    result: str = Field(description="match / no_match / no_face / several_faces / poor_image / not_live / "
                                    "no_reference / refused")  # fmt: skip
    title: str
    message: str
    retry: bool = Field(description="Có thể thử lại (với thử thách mới); sai: mời công dân đến quầy")
    check_id: int | None
    identity_ref: str = Field(description="Khi khớp: mã dùng một lần để gắn danh tính vào số thứ tự")
    identity_expires_in: int
    next_challenge: str
    next_challenge_text: str


def _session(request: HttpRequest, ref: str) -> FaceSession:
    session = face_sessions.face_session_get(ref, kiosk=request.auth)  # type: ignore[attr-defined]
    if session is None:
        raise not_found(_("Phiên xác thực không tồn tại hoặc đã hết hạn; vui lòng bắt đầu lại."))
    return session


@router.post("", response={201: SessionOut}, auth=KIOSK, summary="Mở phiên xác thực khuôn mặt (đã đồng ý)",
             description="Gọi khi công dân bấm Đồng ý trên màn hình xin phép: ghi nhận sự đồng ý, chọn thử thách "
                         "(chớp mắt hoặc quay đầu). Phiên sống 5 phút.")  # fmt: skip
def face_session_open(request: HttpRequest, body: OpenIn) -> Answer[dict[str, Any]]:
    if not KIOSK_LABEL.match(body.kiosk_ref):
        raise ApiError(422, "invalid_kiosk_ref", _("Mã kiosk chỉ gồm chữ, số, gạch ngang, tối đa 20 ký tự."))
    session = face_sessions.face_session_open(kiosk=request.auth, kiosk_label=body.kiosk_ref)  # type: ignore[attr-defined]
    return Answer(201, {
        "session": session.ref, "challenge": session.challenge, "challenge_text": str(CHALLENGE_TEXT[session.challenge]),
        "consent_version": CONSENT_VERSION, "expires_in": face_sessions.SESSION_SECONDS,
    })  # fmt: skip


@router.post("/{session}/card", response=CardOut, auth=KIOSK, summary="Nhận dữ liệu thẻ của phiên",
             description="Hỏi (mỗi giây) đến khi đầu đọc cạnh kiosk đã gửi thẻ đặt sau khi phiên mở.")  # fmt: skip
def face_session_card(request: HttpRequest, session: SessionRef) -> dict[str, Any]:
    return {"ready": face_sessions.face_session_card(_session(request, session)) is not None}


def _frames(encoded: list[str]) -> list[bytes]:
    try:
        frames = [base64.b64decode(text, validate=True) for text in encoded]
    except (binascii.Error, ValueError) as error:
        raise ApiError(422, "invalid_frames", _("Khung hình không phải dữ liệu base64 hợp lệ.")) from error
    if any(len(frame) > FRAME_MAX_BYTES for frame in frames):
        raise ApiError(413, "payload_too_large", _("Mỗi khung hình tối đa 400 KB."))
    return frames


def _answer(
    result: str, message: str, *, check_id: int | None, identity_ref: str, next_challenge: str
) -> dict[str, Any]:
    title, default = OUTCOMES[result]
    return {
        "result": result, "title": str(title), "message": message or str(default), "retry": may_retry(result),
        "check_id": check_id, "identity_ref": identity_ref,
        "identity_expires_in": face_checks.setting("FACE_IDENTITY_KEEP_SECONDS", 300) if identity_ref else 0,
        "next_challenge": next_challenge, "next_challenge_text": str(CHALLENGE_TEXT.get(next_challenge, "")),
    }  # fmt: skip


@router.post("/{session}/checks", response=CheckOut, auth=KIOSK, summary="Đối chiếu khuôn mặt với ảnh trên thẻ",
             description="Khung hình chỉ xử lý trong bộ nhớ; chỉ lưu kết quả, khoảng cách, thời điểm và kiosk. "
                         "Quá số lượt cho phép: 429.")  # fmt: skip
def face_session_check(request: HttpRequest, session: SessionRef, body: CheckIn) -> dict[str, Any]:
    current = _session(request, session)
    read = face_sessions.face_session_card(current)
    if read is None:
        raise ApiError(409, "no_card_read", _("Chưa có dữ liệu thẻ căn cước; vui lòng đặt lại thẻ."))
    frames = _frames(body.frames_jpeg_base64)
    try:
        checked = face_sessions.face_session_check(current, read=read, frames=frames)
    except FaceCheckRefused as refusal:
        status = 429 if refusal.code in _LIMIT_CODES else 409
        raise ApiError(status, refusal.code, refusal.message) from refusal
    except Exception as error:  # noqa: BLE001 - the engine failing is a 503 for the kiosk, not a 500
        logger.exception("face check failed for kiosk %s", current.device_id)
        raise ApiError(
            503, "face_check_unavailable", _("Chưa xác thực được lúc này. Vui lòng làm thủ tục tại quầy.")
        ) from error
    check = checked.outcome.check
    return _answer(check.result, checked.outcome.message, check_id=check.pk, identity_ref=checked.identity_ref,
                   next_challenge=checked.next_challenge)  # fmt: skip


@router.delete("/{session}", response={204: None}, auth=KIOSK, summary="Hủy phiên (quên dữ liệu thẻ)")
def face_session_close(request: HttpRequest, session: SessionRef) -> Answer[None]:
    found = face_sessions.face_session_get(session, kiosk=request.auth)  # type: ignore[attr-defined]
    if found is not None:
        face_sessions.face_session_close(found)
    return Answer(204, None)
