"""Ending a dossier: return of the result (counter or post), withdrawal and stop (ADR 0008 §2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, notify, payloads
from ..errors import DossierError, DossierTransitionError
from ..models import Dossier, DossierResult, DossierReturn, DossierSlip
from ._common import Status, check, claim, conflict, fresh, record
from .processing import denied

# --- return of the result (rule 13) --------------------------------------------------------------


def _collector(name: str, national_id: str) -> tuple[str, str]:
    name, national_id = name.strip(), national_id.strip()
    if not name:
        raise DossierError("dossier.collector_name_required", _("Vui lòng nhập họ tên người nhận kết quả."))
    if len(name) > 255:
        raise DossierError("dossier.collector_name_invalid", _("Họ tên người nhận quá dài."))
    # Text, never a number (rule 17), but digits only and at most the 12 of a personal ID.
    if national_id and (not national_id.isdigit() or len(national_id) > 20):
        raise DossierError("dossier.national_id_invalid", _("Số định danh chỉ gồm chữ số."))
    return name, national_id


def _ensure_seated(counter: Any, officer: Any) -> None:
    """A return recorded for a counter is made by the officer signed in there."""
    if counter is not None and (counter.officer_id is None or counter.officer_id != getattr(officer, "pk", None)):
        raise DossierError(
            "dossier.counter_not_seated", _("Bạn chưa đăng nhập vào quầy số %(n)s.") % {"n": counter.number}
        )


@transaction.atomic
def dossier_return_at_counter(*, officer: Any, dossier: Dossier, collected_by_name: str,
                              collected_by_national_id: str = "", authorisation: str = "", counter: Any = None,
                              expected_version: int | None, ip: str | None = None,
                              now: datetime | None = None) -> Dossier:  # fmt: skip
    """9 → 10 at a counter: who received it, on which authorisation."""
    now = now or timezone.now()
    name, national_id = _collector(collected_by_name, collected_by_national_id)
    dossier = fresh(dossier)
    access.ensure_reception(officer, dossier)
    _ensure_seated(counter, officer)
    check(dossier, Status.RETURNED, expected_version=expected_version)
    claim(dossier, Status.RETURNED, returned_at=now, closed_at=now)
    DossierReturn.objects.create(
        dossier=dossier, method=Dossier.ReturnMethod.COUNTER, collected_by_name=name,
        collected_by_national_id=national_id, authorisation=authorisation.strip()[:255], counter=counter,
        officer=officer, returned_at=now,
    )  # fmt: skip
    # The history names the method only: who collected it (personal data) stays on DossierReturn.
    record(dossier, "dossier.returned", from_status=Status.RESULT_READY, actor=officer, at=now, counter=counter,
           ip=ip, data={"method": Dossier.ReturnMethod.COUNTER, "authorised": bool(authorisation.strip())})  # fmt: skip
    notify.dossier_notify(dossier, "returned")
    return dossier


@transaction.atomic
def dossier_return_by_post(*, officer: Any, dossier: Dossier, tracking_number: str, expected_version: int | None,
                           ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """9 → 10 handed to the post with its tracking number."""
    now = now or timezone.now()
    tracking = tracking_number.strip()
    if not tracking or len(tracking) > 40:
        raise DossierError("dossier.tracking_number_required", _("Vui lòng nhập số hiệu bưu gửi (tối đa 40 ký tự)."))
    dossier = fresh(dossier)
    access.ensure_reception(officer, dossier)
    check(dossier, Status.RETURNED, expected_version=expected_version)
    claim(dossier, Status.RETURNED, returned_at=now, closed_at=now)
    DossierReturn.objects.create(dossier=dossier, method=Dossier.ReturnMethod.POST, tracking_number=tracking,
                                 officer=officer, returned_at=now)  # fmt: skip
    record(dossier, "dossier.returned", from_status=Status.RESULT_READY, actor=officer, at=now, ip=ip,
           data={"method": Dossier.ReturnMethod.POST, "tracking_number": tracking})  # fmt: skip
    notify.dossier_notify(dossier, "returned")
    return dossier


@transaction.atomic
def dossier_postal_status(*, officer: Any, dossier: Dossier, status: str, delivered: bool = False,
                          expected_version: int | None = None, ip: str | None = None,
                          now: datetime | None = None) -> Dossier:  # fmt: skip
    """Record the post's status of a returned dossier (`dossier.postal_status_changed`, no status change)."""
    now = now or timezone.now()
    text = status.strip()
    if not text:
        raise DossierError("dossier.postal_status_required", _("Vui lòng nhập trạng thái bưu gửi."))
    dossier = fresh(dossier)
    access.ensure_reception(officer, dossier)
    if expected_version is not None and dossier.version != expected_version:
        raise conflict(dossier)
    handover = DossierReturn.objects.filter(dossier=dossier, method=Dossier.ReturnMethod.POST).first()
    if dossier.status != Status.RETURNED or handover is None:
        raise DossierTransitionError(
            "dossier.not_posted", _("Hồ sơ %(code)s chưa được gửi trả kết quả qua bưu chính.") % {"code": dossier}
        )
    claim(dossier, Status.RETURNED)  # no new status, but screens showing the old version must reload
    handover.postal_status = text[:120]
    if delivered and handover.delivered_at is None:
        handover.delivered_at = now
    handover.save(update_fields=["postal_status", "delivered_at"])
    record(dossier, "dossier.postal_status_changed", from_status=Status.RETURNED, actor=officer, at=now, ip=ip,
           data={"status": handover.postal_status, "delivered": delivered})  # fmt: skip
    return dossier


# --- withdrawal and stop (118/2025 Art. 21, rule 10) ---------------------------------------------


def _end(dossier: Dossier, target: int, *, officer: Any, reason: str, expected_version: int | None,
         ip: str | None, now: datetime) -> Dossier:  # fmt: skip
    """7 or 8, only while no result is approved; the stop notice is issued either way."""
    check(dossier, target, expected_version=expected_version, reason=reason)
    if DossierResult.objects.filter(dossier=dossier).exists():
        raise DossierError(
            "dossier.result_exists", _("Hồ sơ đã có kết quả được phê duyệt nên không thể rút hoặc dừng xử lý.")
        )
    from_status = dossier.status
    kind = "withdrawn" if target == Status.WITHDRAWN else "stopped"
    claim(dossier, target, closed_at=now)
    record(dossier, f"dossier.{kind}", from_status=from_status, actor=officer, at=now, ip=ip, reason=reason)
    payloads.slip_create(dossier, DossierSlip.Kind.STOP, actor=officer, now=now,
                         extra={"reason": reason.strip(), "kind": kind})  # fmt: skip
    notify.dossier_notify(dossier, kind)
    return dossier


@transaction.atomic
def dossier_withdraw(*, officer: Any, dossier: Dossier, reason: str, expected_version: int | None,
                     ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """1/2/4/5/6 → 7 at the citizen's request, only before a result is approved; stop notice slip."""
    dossier = fresh(dossier)
    access.ensure_reception(officer, dossier)
    return _end(dossier, Status.WITHDRAWN, officer=officer, reason=reason, expected_version=expected_version,
                ip=ip, now=now or timezone.now())  # fmt: skip


@transaction.atomic
def dossier_stop(*, officer: Any, dossier: Dossier, reason: str, expected_version: int | None,
                 ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """1/2/4/5/6 → 8, only before a result is approved; stop notice slip."""
    dossier = fresh(dossier)
    # The one-stop on the citizen's request, or a leader of the agency deciding (ADR §2: to confirm).
    if not (access.can_receive_at(officer, dossier.receiving_center_id)
            or access.can_work_at_agency(officer, dossier.current_agency_id, leader=True)
            or access.can_work_at_agency(officer, dossier.competent_agency_id, leader=True)):  # fmt: skip
        raise denied()
    return _end(dossier, Status.STOPPED, officer=officer, reason=reason, expected_version=expected_version,
                ip=ip, now=now or timezone.now())  # fmt: skip
