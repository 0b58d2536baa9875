"""Reading dossiers, always through the caller's scope (access.visible_q), with personal-data reads audited.

Lists are one query each, ordered by what is due first, with the rows screens show joined in;
the filters follow the model's indexes ((current_agency, status), (assigned_to, status),
(competent_agency, status, due_at), (receiving_center, accepted_at), (status, due_at)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.scoping import scope_for_user
from motcua.core.calendar import LOCAL_TZ, calendar_for_center, to_local
from motcua.core.models import Center
from motcua.core.services import audit_log_write

from . import access
from .errors import DossierError, DossierPermissionDenied
from .models import Dossier, DossierEvent

Status = Dossier.Status

# Work list names (agency screens and API): unassigned, mine, due_soon, overdue, supplement, returned.
WORK_LISTS = ("unassigned", "mine", "due_soon", "overdue", "supplement", "returned")
# Reception desk lists of one center.
RECEPTION_LISTS = ("today", "online_waiting", "supplement", "to_return")

# How long a returned dossier stays on the agency's "returned" list.
RETURNED_RECENT_DAYS = 30

# The joins every list screen shows (procedure name, places, who holds it); not the version's
# snapshot, which is large.
_LIST_RELATED = ("procedure", "receiving_center", "competent_agency", "current_agency", "assigned_to")
_DUE_FIRST = (F("due_at").asc(nulls_last=True), "accepted_at", "id")


def _base(user: Any) -> QuerySet[Dossier]:
    return Dossier.objects.filter(access.visible_q(user)).select_related(*_LIST_RELATED)


def dossier_list_for_user(*, user: Any) -> QuerySet[Dossier]:
    """Every dossier the user may see."""
    return _base(user)


def _unknown_list(name: str) -> DossierError:
    return DossierError("dossier.unknown_list", _("Không có danh sách hồ sơ “%(name)s”.") % {"name": name})


def _agency_scope(user: Any) -> tuple[bool, frozenset[int]]:
    scope = scope_for_user(user)
    return scope.province_wide, scope.agency_ids_for(*access.AGENCY_ROLES)


def _at_agencies(field: str, everywhere: bool, agencies: frozenset[int]) -> Q:
    return Q() if everywhere else Q(**{f"{field}__in": agencies})


def _running() -> Q:
    from .deadlines import running_statuses

    return Q(status__in=running_statuses())


def due_soon_horizon(now: datetime) -> datetime:
    """Due by this moment = within the at-risk window (province calendar: the list is a preview,
    the job's `at_risk_at` flag is exact per center)."""
    from .deadlines import at_risk_window

    calendar = calendar_for_center(None)
    return calendar.next_session_start(calendar.add_working_time(now, at_risk_window()))


def _work_filter(name: str, user: Any, now: datetime, everywhere: bool, agencies: frozenset[int]) -> Q:
    held = _at_agencies("current_agency_id", everywhere, agencies)
    held |= _at_agencies("competent_agency_id", everywhere, agencies)
    if name == "unassigned":
        return _at_agencies("current_agency_id", everywhere, agencies) & Q(status=Status.PROCESSING, assigned_to=None)
    if name == "mine":
        return Q(assigned_to=user, status__in=(Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT))
    if name == "due_soon":
        soon = Q(at_risk_at__isnull=False) | Q(due_at__lte=due_soon_horizon(now))
        return held & soon & _running() & Q(due_at__gt=now, overdue_at__isnull=True)
    if name == "overdue":
        return held & _running() & (Q(overdue_at__isnull=False) | Q(due_at__lte=now))
    if name == "supplement":
        return held & Q(status=Status.SUPPLEMENT_REQUESTED)
    if name == "returned":
        recent = Q(status=Status.RESULT_READY) | Q(status=Status.RETURNED,
                                                  returned_at__gte=now - timedelta(days=RETURNED_RECENT_DAYS))  # fmt: skip
        # 9 and 10 are the two highest codes: the range lets the index start at the right place.
        return _at_agencies("competent_agency_id", everywhere, agencies) & Q(status__gte=Status.RESULT_READY) & recent
    raise _unknown_list(name)


def dossier_work_list(*, user: Any, name: str, now: Any = None) -> QuerySet[Dossier]:
    """One of WORK_LISTS for an agency officer or leader (their agencies only)."""
    now = now or timezone.now()
    everywhere, agencies = _agency_scope(user)
    queryset = _base(user).filter(_work_filter(name, user, now, everywhere, agencies))
    if name == "returned":
        # Waiting to be collected first, then handed over; the index reads in this order.
        return queryset.order_by("status", "-result_ready_at", "-id")
    return queryset.order_by(*_DUE_FIRST)


def _local_day(now: datetime) -> tuple[datetime, datetime]:
    day = to_local(now).date()
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def _reception_filter(name: str, now: datetime) -> tuple[Q, tuple[Any, ...]]:
    if name == "today":
        start, end = _local_day(now)
        handled = (Q(accepted_at__gte=start, accepted_at__lt=end) | Q(status=Status.REFUSED, closed_at__gte=start,
                   closed_at__lt=end) | Q(channel=Dossier.Channel.COUNTER, submitted_at__gte=start, submitted_at__lt=end))  # fmt: skip
        return handled, ("-submitted_at", "-id")
    if name == "online_waiting":
        return Q(status=Status.SUBMITTED, channel=Dossier.Channel.ONLINE), ("submitted_at", "id")
    if name == "supplement":
        return Q(status=Status.SUPPLEMENT_REQUESTED), ("paused_since", "id")
    if name == "to_return":
        return Q(status=Status.RESULT_READY), ("result_ready_at", "id")
    raise _unknown_list(name)


def dossier_reception_list(user: Any, center: Center, name: str, *, now: datetime | None = None) -> QuerySet[Dossier]:
    """One of RECEPTION_LISTS for the one-stop desk of `center` (its reception staff only):
    today's dossiers, online ones waiting to be received, those waiting for a supplement, results to hand back."""
    access.ensure_receive_at(user, center.pk)
    condition, ordering = _reception_filter(name, now or timezone.now())
    return Dossier.objects.filter(condition, receiving_center=center).select_related(*_LIST_RELATED).order_by(*ordering)


def dossier_get_for_user(*, user: Any, code: str | None = None, pk: int | None = None, ip: str | None = None,
                         audit: bool = True) -> Dossier:  # fmt: skip
    """One dossier in the user's scope (DossierPermissionDenied otherwise, Dossier.DoesNotExist if
    absent); writes an AuditLog row `dossiers.dossier.personal_data_viewed` when `audit`."""
    if (code is None) == (pk is None):
        raise ValueError("give exactly one of code and pk")
    queryset = Dossier.objects.select_related("procedure_version", "received_by", *_LIST_RELATED)
    dossier = queryset.get(code=code) if pk is None else queryset.get(pk=pk)
    if not access.can_see(user, dossier):
        raise DossierPermissionDenied("dossier.forbidden", _("Bạn không có quyền xem hồ sơ này."))
    if audit:
        audit_log_write(actor=user, action="dossiers.dossier.personal_data_viewed", obj=dossier,
                        center=dossier.receiving_center, ip=ip, data={"code": dossier.code or ""})  # fmt: skip
    return dossier


# --- the public timeline ------------------------------------------------------------------------

# The history rows a citizen may see, in plain words. Anything not listed (assignment, fees,
# scans, flags, approvals inside the agency) stays internal; no actor, reason or data is shown,
# since reasons and data may carry personal details.
PUBLIC_ACTIONS: dict[str, Promise] = {
    "dossier.submitted": gettext_lazy("Đã nộp hồ sơ"),
    "dossier.reception_supplement_requested": gettext_lazy("Được hướng dẫn bổ sung hồ sơ"),
    "dossier.accepted": gettext_lazy("Đã tiếp nhận hồ sơ"),
    "dossier.refused": gettext_lazy("Từ chối tiếp nhận hồ sơ"),
    "dossier.forwarded": gettext_lazy("Đã chuyển hồ sơ đến cơ quan giải quyết"),
    "dossier.handed_over": gettext_lazy("Chuyển sang bước xử lý tiếp theo"),
    "dossier.supplement_requested": gettext_lazy("Yêu cầu bổ sung giấy tờ"),
    "dossier.supplement_received": gettext_lazy("Đã nhận giấy tờ bổ sung"),
    "dossier.supplement_expired": gettext_lazy("Hết hạn bổ sung giấy tờ"),
    "dossier.payment_requested": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "dossier.payment_recorded": gettext_lazy("Đã thực hiện nghĩa vụ tài chính"),
    "dossier.apology_issued": gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
    "dossier.result_ready": gettext_lazy("Đã có kết quả giải quyết"),
    "dossier.returned": gettext_lazy("Đã trả kết quả"),
    "dossier.postal_status_changed": gettext_lazy("Cập nhật tình trạng bưu gửi"),
    "dossier.withdrawn": gettext_lazy("Rút hồ sơ theo đề nghị của người nộp"),
    "dossier.stopped": gettext_lazy("Dừng giải quyết hồ sơ"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    label: str
    status: int
    status_label: str
    agency: str


def dossier_timeline(dossier: Dossier) -> list[TimelineEntry]:
    """The public history of `dossier`: whitelisted actions, plain labels, no personal data."""
    events = DossierEvent.objects.filter(dossier=dossier, action__in=PUBLIC_ACTIONS).select_related("agency")
    return [
        TimelineEntry(
            at=event.at,
            action=event.action,
            label=str(PUBLIC_ACTIONS[event.action]),
            status=event.to_status,
            status_label=str(Status(event.to_status).label),
            agency=event.agency.name if event.agency else "",
        )
        for event in events.order_by("at", "id")
    ]
