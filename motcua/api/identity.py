"""The identity API (ADR 0009 §2, §5): card readers and kiosk apps, with device tokens.

* `POST /identity/card-reads` — a card reader of the center posts what it read from an ID card's
  chip. The read is checked (ID number against the birth date, photo by content, sizes), kept
  five minutes in the cache only, and answered with a one-time `ref`; the kiosk next to the
  reader picks it up.
* `/identity/face-sessions…` — a native kiosk app runs the face check the kiosk's web screens
  run: open (consent given) → card (claim the reader's read) → checks (frames) → on a match an
  `identity_ref` that `POST /queue/tickets` takes to give the ticket its identity.

docs/device-api.md documents both. Errors: `{"error": {"code", "message"}}`, never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Answer

from motcua.devices.models import Device
from motcua.identity.services.card_reads import READ_SECONDS, CardReadError, card_read_store, photo_max_bytes

from .errors import ApiError
from .face_sessions import router as face_session_router
from .queue import DeviceToken, _nobody

router = Router(tags=["identity"])
router.add_router("/face-sessions", face_session_router)


class CardReader(DeviceToken):
    """A card reader's token; an oversized body is refused here, before it is read and parsed."""

    openapi_description = "Đầu đọc thẻ căn cước: `Authorization: Device <mã>` (thiết bị loại card_reader)."

    def __call__(self, request: HttpRequest) -> Device | None:
        device = super().__call__(request)
        if device is None:
            return None
        if device.kind != Device.Kind.CARD_READER:
            raise ApiError(403, "forbidden", _("Chỉ đầu đọc thẻ căn cước được gửi dữ liệu thẻ."))
        limit = photo_max_bytes() * 4 // 3 + 16_000
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise ApiError(413, "payload_too_large", _("Dữ liệu gửi lên quá lớn."))
        return device


class CardReadIn(Schema):
    national_id: str = Field(max_length=20, description="Số định danh cá nhân, 12 chữ số")
    full_name: str = Field(max_length=150, description="Họ và tên như in trên thẻ")
    birth_date: date = Field(description="Ngày sinh, YYYY-MM-DD")
    sex: str = Field("", max_length=10, description="Nam / Nữ (hoặc M / F)")
    address: str = Field("", max_length=255, description="Nơi thường trú như in trên thẻ")
    photo_jpeg_base64: str = Field(description="Ảnh chân dung trong chip, JPEG (hoặc PNG), base64")
    kiosk_ref: str = Field(
        "", max_length=20, description="Mã kiosk đặt cạnh đầu đọc; bỏ trống: mọi kiosk của trung tâm"
    )


class CardReadOut(Schema):
    ref: str
    expires_in: int


@router.post("/card-reads", response={201: CardReadOut}, auth=[CardReader(), _nobody], summary="Gửi dữ liệu thẻ căn cước",
             description="Đầu đọc thẻ gửi thông tin và ảnh chân dung đọc từ chip. Dữ liệu chỉ giữ trong bộ nhớ đệm "
                         "5 phút cho kiosk bên cạnh nhận, không ghi vào cơ sở dữ liệu hay ổ đĩa.")  # fmt: skip
def card_read_post(request: HttpRequest, body: CardReadIn) -> Answer[dict[str, Any]]:
    device: Device = request.auth  # type: ignore[attr-defined]
    try:
        read = card_read_store(
            center=device.center, device=device, national_id=body.national_id, full_name=body.full_name,
            birth_date=body.birth_date, sex=body.sex, address=body.address,
            photo=body.photo_jpeg_base64, kiosk_label=body.kiosk_ref,
        )  # fmt: skip
    except CardReadError as error:
        raise ApiError(error.status, error.code, error.message) from error
    return Answer(201, {"ref": read.ref, "expires_in": READ_SECONDS})
