"""The feedback API (/api/v1/feedback/…): ratings from kiosks and counter tablets (issue 6).

Who may call what:
* a kiosk or a counter display (`Authorization: Device <token>`) of the ticket's center rates a
  ticket served there and asks which ticket a counter's tablet should offer for rating; any other
  kind of device, or a device of another center, is refused with 403;
* the scheme in force is public (a form needs its indicators and questions).

A service's refusal (not served, too late, already rated…) is a 409 with its code and message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja import Status as Answer

from motcua.core.calendar import to_local
from motcua.devices.models import Device
from motcua.feedback import services
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import AssessmentScheme, TicketRating
from motcua.feedback.schemes import scheme_current
from motcua.queueing.models import Counter, Ticket

from . import feedback_schemas as schemas
from .errors import ApiError, not_found
from .queue import DeviceToken

router = Router(tags=["feedback"])

# A kiosk rates on the hall's screen, a counter display on the tablet at the desk.
_CHANNELS = {Device.Kind.KIOSK: TicketRating.Channel.KIOSK, Device.Kind.COUNTER_DISPLAY: TicketRating.Channel.TABLET}
MAX_ID = 2**63 - 1


def _nobody(request: HttpRequest) -> None:
    raise ApiError(401, "unauthorized", _("Cần gửi mã thiết bị: `Authorization: Device <mã>`."))


DEVICE: list[Callable[..., Any]] = [DeviceToken(), _nobody]


def refused(error: FeedbackRefused) -> ApiError:
    return ApiError(409, error.code, str(error.message))


def _rating_kind(request: HttpRequest) -> Device:
    device: Device = request.auth  # type: ignore[attr-defined]
    if device.kind not in _CHANNELS:
        raise ApiError(403, "forbidden", _("Chỉ kiosk hoặc màn hình tại quầy được gửi đánh giá."))
    return device


def _rating_device(request: HttpRequest, center_id: int) -> Device:
    device = _rating_kind(request)
    if device.center_id != center_id:
        raise ApiError(403, "forbidden", _("Thiết bị này thuộc trung tâm khác."))
    return device


def _ticket_to_rate(request: HttpRequest, ref: int | str) -> Ticket:
    device = _rating_kind(request)
    if isinstance(ref, int):
        ticket = Ticket.objects.filter(pk=ref).first()
    else:
        ticket = services.ticket_find_for_rating(device.center, ref, timezone.now())
    if ticket is None:
        raise not_found(_("Không tìm thấy số thứ tự này."))
    return ticket


@router.post("/ticket-ratings", response={201: schemas.TicketRatingOut}, auth=DEVICE,
             summary="Đánh giá lượt phục vụ",
             description="Kiosk hoặc màn hình tại quầy của trung tâm gửi đánh giá của công dân cho một số đã phục "
                         "vụ xong (trong thời gian cho phép sau khi kết thúc). `ticket`: id, hoặc mã của số hôm nay. "
                         "Mỗi số chỉ đánh giá một lần; từ chối: 409 `not_served`, `too_late`, `already_rated`.")  # fmt: skip
def ticket_rating_give(request: HttpRequest, body: schemas.TicketRatingIn) -> Answer[dict[str, Any]]:
    ticket = _ticket_to_rate(request, body.ticket)
    device = _rating_device(request, ticket.center_id)
    try:
        rating = services.ticket_rating_give(ticket=ticket, answer=body.answer, comment=body.comment,
                                             channel=_CHANNELS[Device.Kind(device.kind)], device=device)  # fmt: skip
    except FeedbackRefused as error:
        raise refused(error) from error
    rating.ticket = Ticket.objects.select_related("counter").get(pk=ticket.pk)
    return Answer(201, schemas.rating_out(rating))


@router.get("/counters/{counter_id}/pending-rating", response={200: schemas.PendingRatingOut, 204: None},
            auth=DEVICE, summary="Số đang chờ đánh giá tại quầy",
            description="Cho màn hình tại quầy: số quầy vừa phục vụ xong và chưa được đánh giá (trong thời gian cho "
                        "phép); 204 khi không có.")  # fmt: skip
def pending_rating(request: HttpRequest, counter_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    _rating_kind(request)
    counter = Counter.objects.select_related("center").filter(pk=counter_id).first()
    if counter is None:
        raise not_found(_("Không tìm thấy quầy này."))
    _rating_device(request, counter.center_id)
    now = timezone.now()
    ticket = services.ticket_for_rating(center=counter.center, counter=counter, now=now)
    if ticket is None:
        return HttpResponse(status=204)
    ticket.counter = counter
    rate_until = (ticket.finished_at or now) + services.rating_window()
    return {"ticket": schemas.ticket_ref(ticket), "rate_until": rate_until}


@router.get("/schemes/current", response=schemas.SchemeOut, auth=None, summary="Bộ tiêu chí đánh giá đang áp dụng",
            description="Các chỉ số, câu hỏi, câu trả lời và khoảng xếp loại của bộ tiêu chí áp dụng hôm nay (công khai).")  # fmt: skip
def scheme_in_force(request: HttpRequest) -> dict[str, Any]:
    try:
        scheme = scheme_current(to_local(timezone.now()).date())
    except AssessmentScheme.DoesNotExist as missing:
        raise not_found(_("Chưa có bộ tiêu chí đánh giá áp dụng.")) from missing
    return schemas.scheme_out(scheme)
