"""The public, read-only API at /api/v1/ (OpenAPI docs at /api/v1/docs).

Endpoints only parse, call a selector or the calendar, and shape the answer (schemas.py).
Errors all come out as `{"error": {"code", "message"}}` (errors.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.renderers import JSONRenderer

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_get, procedure_search_summaries
from motcua.core.calendar import CalendarError, calendar_for_center, procedure_due_at
from motcua.core.models import Center, Floor
from motcua.core.selectors import center_get, center_list_active

from . import schemas
from .errors import ApiError, install_error_handlers, not_found
from .queue import router as queue_router

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Utf8Renderer(JSONRenderer):
    """Vietnamese stays readable in the raw JSON (`Chứng thực`, not `Ch\\u1ee9ng`)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Renderer(),
    title="MotCua API",
    version="1",
    description="Danh mục thủ tục hành chính, trung tâm tiếp nhận và lịch làm việc (chỉ đọc, công khai); "
    "xếp hàng: cấp số (kiosk, cán bộ), theo dõi số, thao tác tại quầy, bảng điện tử.",
    urls_namespace="api-v1",
)
install_error_handlers(api)
api.add_router("/queue", queue_router)
api.add_router("", "motcua.api.dossiers.router")  # /dossiers…, /public/dossiers/{code}
api.add_router("/identity", "motcua.api.identity.router")  # /identity/card-reads, consents, face-checks (devices)
api.add_router("/citizen", "motcua.api.citizen.router")  # the portal for a mobile app (citizen tokens)
api.add_router("/citizen", "motcua.api.citizen_feedback.router")  # …and its dossier assessments
api.add_router("/feedback", "motcua.api.feedback.router")  # ratings from kiosks and counter tablets


def _procedure_or_404(code: str) -> Procedure:
    procedure = procedure_get(code=code)
    if procedure is None:
        raise not_found(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code})
    return procedure


def _center_or_404(code: str) -> Center:
    center = center_get(code=code)
    if center is None:
        raise not_found(_("Không tìm thấy trung tâm có mã %(code)s.") % {"code": code})
    return center


@api.get("/procedures", response=schemas.ProcedurePage, tags=["procedures"], summary="Tra cứu thủ tục")
def procedure_list(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=200, description="Từ khóa, có dấu hoặc không dấu, hoặc mã thủ tục")] = "",
    agency: Annotated[str | None, Query(max_length=40, description="Mã cơ quan")] = None,
    sector: Annotated[str | None, Query(max_length=60, description="Mã lĩnh vực")] = None,
    center: Annotated[str | None, Query(max_length=40, description="Mã trung tâm tiếp nhận")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HttpResponse:
    count, items = procedure_search_summaries(
        query=q, agency=agency, sector=sector, center=center, limit=limit, offset=offset
    )
    # The items are built to the ProcedureSummary shape once per index (tests compare them with
    # `schemas.procedure_summary`); validating them again on every request would cost more than
    # the search itself, so the page is rendered directly. `response=` still documents it.
    return api.create_response(request, {"count": count, "items": items}, status=200)


@api.get("/procedures/{code}", response=schemas.ProcedureDetail, tags=["procedures"], summary="Chi tiết thủ tục")
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return schemas.procedure_detail(_procedure_or_404(code))


@api.get("/procedures/{code}/appointment", response=schemas.Appointment, tags=["procedures"],
         summary="Ngày hẹn trả kết quả")  # fmt: skip
def procedure_appointment(
    request: HttpRequest,
    code: str,
    center: Annotated[str | None, Query(max_length=40, description="Mã trung tâm; bỏ trống: lịch chung của tỉnh")] = None,
    accepted_at: Annotated[datetime | None, Query(description="Thời điểm tiếp nhận, ISO 8601; không có múi giờ: giờ Việt Nam")] = None,
) -> dict[str, Any]:
    procedure = _procedure_or_404(code)
    place = _center_or_404(center) if center else None
    accepted = _local(accepted_at or timezone.now())
    try:
        due = procedure_due_at(procedure=procedure, center=place, accepted_at=accepted)
    except CalendarError as error:
        raise ApiError(400, "calendar_error", _("Không tính được ngày hẹn trả: %(reason)s") % {"reason": error}) from error
    return {"accepted_at": accepted, "due_at": _local(due) if due else None}


def _local(moment: datetime) -> datetime:
    """Naive times are Vietnamese office time; answers carry the +07:00 offset."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(LOCAL_TZ).replace(microsecond=0)


@api.get("/centers", response=list[schemas.CenterOut], tags=["centers"], summary="Các trung tâm tiếp nhận")
def center_list(request: HttpRequest) -> list[dict[str, Any]]:
    centers = center_list_active().prefetch_related(Prefetch("floors", queryset=Floor.objects.order_by("ordering")))
    return [schemas.center_out(center) for center in centers]


@api.get("/centers/{code}/calendar/{year}", response=schemas.CenterCalendar, tags=["centers"],
         summary="Ngày nghỉ và ngày làm bù trong năm")  # fmt: skip
def center_calendar(request: HttpRequest, code: str, year: Annotated[int, Path(ge=2000, le=2100)]) -> dict[str, Any]:
    calendar = calendar_for_center(_center_or_404(code))
    return {
        "center": code, "year": year,
        "days_off": [schemas.calendar_day_out(entry) for entry in calendar.days_off(year)],
        "make_up_days": [schemas.calendar_day_out(entry) for entry in calendar.make_up_days(year)],
    }  # fmt: skip


def api_index(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/: where the documentation is (ninja's own root page is HTML)."""
    return JsonResponse(
        {"name": "MotCua API", "version": "1", "docs": request.build_absolute_uri("docs"),
         "openapi": request.build_absolute_uri("openapi.json")},
        json_dumps_params={"ensure_ascii": False},
    )  # fmt: skip
