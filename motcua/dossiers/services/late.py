"""Late handling (rule 8): the apology letter with a new appointment.

The letter moves `due_at` (what the citizen is told) and never `original_due_at` (what the
statistics compare the result time with), so an apologised dossier still counts late.
How early it must be sent and how many a dossier may get are unverified law ([K]), hence
settings: APOLOGY_LEAD_WORKING_DAYS, APOLOGY_LATE_POLICY ("warn" or "block"),
APOLOGY_MAX_PER_DOSSIER.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.calendar import calendar_for_center, to_local

from .. import access, notify, payloads
from ..errors import DossierError, DossierTransitionError
from ..models import ApologyLetter, Dossier, DossierSlip
from ._common import Status, claim, conflict, fresh, record

# The clock runs (4, 6) or is paused (5): the only statuses with a due time still to keep.
APOLOGY_STATUSES = frozenset({Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT})


def _when(value: datetime) -> str:
    return f"{to_local(value):%H:%M} ngày {to_local(value):%d/%m/%Y}"


def _ensure_open(dossier: Dossier, expected_version: int | None) -> None:
    if expected_version is not None and dossier.version != expected_version:
        raise conflict(dossier)
    if dossier.status not in APOLOGY_STATUSES:
        raise DossierTransitionError(
            "dossier.invalid_transition",
            _("Hồ sơ %(code)s đang ở trạng thái “%(current)s”, không thể xin lỗi và hẹn lại ngày trả kết quả.")
            % {"code": dossier, "current": Status(dossier.status).label},
        )


def _ensure_valid(dossier: Dossier, reason: str, new_due_at: datetime, now: datetime) -> None:
    if not reason.strip():
        raise DossierError("dossier.reason_required", _("Vui lòng ghi rõ lý do chậm trả kết quả."))
    if dossier.due_at is None:
        raise DossierError("dossier.no_due_time", _("Hồ sơ không có thời hạn giải quyết nên không cần hẹn lại."))
    if new_due_at.tzinfo is None or new_due_at <= dossier.due_at or new_due_at <= now:
        raise DossierError(
            "dossier.apology_due_not_later",
            _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(due)s) và sau thời điểm hiện tại.")
            % {"due": _when(dossier.due_at)},
        )
    limit = settings.MOTCUA["APOLOGY_MAX_PER_DOSSIER"]
    if dossier.apologies.count() >= limit:
        raise DossierError(
            "dossier.apology_limit",
            _("Hồ sơ đã có %(count)s văn bản xin lỗi, không thể hẹn lại thêm.") % {"count": limit},
        )


def is_late_notice(dossier: Dossier, now: datetime) -> bool:
    """Sent later than APOLOGY_LEAD_WORKING_DAYS working days before the due time.

    While the clock is paused (5, or 6 where paying pauses it) the remaining time is counted
    from the pause, not from now.
    """
    from ..deadlines import running_statuses  # the job's module imports the services

    assert dossier.due_at is not None
    paused = dossier.status not in running_statuses() and dossier.paused_since is not None
    start = dossier.paused_since if paused and dossier.paused_since else now
    if start >= dossier.due_at:
        return True
    lead = Decimal(settings.MOTCUA["APOLOGY_LEAD_WORKING_DAYS"]) * Decimal(settings.MOTCUA["WORKING_HOURS_PER_DAY"])
    remaining = calendar_for_center(dossier.receiving_center).working_time_between(start, dossier.due_at)
    return remaining < timedelta(hours=float(lead))


def _causing_agency(officer: Any, dossier: Dossier) -> Agency:
    """The agency whose leader apologises: the one holding the dossier if the officer leads it."""
    current = dossier.current_agency
    if current is not None and access.can_work_at_agency(officer, current.pk, leader=True):
        return current
    return dossier.competent_agency


def _ensure_timely(late: bool) -> None:
    if late and settings.MOTCUA["APOLOGY_LATE_POLICY"] == "block":
        raise DossierError(
            "dossier.apology_too_late",
            _("Văn bản xin lỗi phải được gửi chậm nhất %(days)s ngày làm việc trước ngày hẹn trả kết quả.")
            % {"days": settings.MOTCUA["APOLOGY_LEAD_WORKING_DAYS"]},
        )


@transaction.atomic
def dossier_issue_apology(*, officer: Any, dossier: Dossier, reason: str, new_due_at: datetime,
                          expected_version: int | None, ip: str | None = None,
                          now: datetime | None = None) -> ApologyLetter:  # fmt: skip
    """A leader of the competent or current agency apologises and sets a new appointment:
    `due_at` moves, `original_due_at` never does; at most APOLOGY_MAX_PER_DOSSIER; apology slip; notice."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    access.ensure_agency(officer, dossier, leader=True)
    _ensure_open(dossier, expected_version)
    _ensure_valid(dossier, reason, new_due_at, now)
    late = is_late_notice(dossier, now)
    _ensure_timely(late)
    previous, agency = dossier.due_at, _causing_agency(officer, dossier)
    assert previous is not None
    claim(dossier, dossier.status, due_at=new_due_at, at_risk_at=None, overdue_at=None)
    letter = ApologyLetter.objects.create(
        dossier=dossier, number=dossier.apologies.count() + 1, agency=agency, reason=reason.strip(),
        previous_due_at=previous, new_due_at=new_due_at, issued_at=now, issued_by=officer,
    )  # fmt: skip
    record(dossier, "dossier.apology_issued", from_status=dossier.status, actor=officer, at=now, agency=agency, ip=ip,
           reason=reason, data={"number": letter.number, "previous_due_at": previous.isoformat(),
                                "new_due_at": new_due_at.isoformat(), "late_notice": late})  # fmt: skip
    payloads.slip_create(dossier, DossierSlip.Kind.APOLOGY, actor=officer, now=now, extra={
        "reason": reason.strip(), "new_due_at": _when(new_due_at), "previous_due_at": _when(previous),
        "agency": agency.name, "number": letter.number,
    })  # fmt: skip
    notify.dossier_notify(dossier, "apology")
    return letter
