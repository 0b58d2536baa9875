"""Work in the agencies (ADR 0008 §2, rows 2→4 … 6→9): forward, assign, hand over step by step,
supplement pause and resume, payment, result approval and readiness.

Every function: `@transaction.atomic`, fresh read, `access.ensure_*`, `_common.check` (version,
table, reason), `_common.claim`, `_common.record`, then side effects (slip, `notify`).
`expected_version` is the `Dossier.version` the officer's screen showed (None = don't check:
system callers only).
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.scoping import scope_for_user
from motcua.core.calendar import to_local

from .. import access, notify, payloads
from ..errors import DossierConflict, DossierError, DossierPermissionDenied, DossierTransitionError
from ..models import Dossier, DossierEvent, DossierFee, DossierResult, DossierSlip, DossierStep, SupplementRequest
from . import _steps
from ._common import Status, check, claim, conflict, fresh, record
from ._timing import outcome, resume_fields, supplement_deadline

# --- guards shared by the services here and in closing.py -------------------------------------


def guard(dossier: Dossier, target: int, *sources: int, expected_version: int | None, reason: str = "") -> None:
    """`_common.check`, narrowed to the statuses this service starts from.

    The table alone is not enough: 6 → 4 is allowed (payment recorded), so an assignment must
    still refuse a dossier in 6; and 6 → 6 (a result approved while a fee is pending) is no
    table row at all. So: same version as seen, the move allowed if it is one, and a source
    this service acts on.
    """
    if expected_version is not None and dossier.version != expected_version:
        raise conflict(dossier)
    if target != dossier.status:
        check(dossier, target, expected_version=None, reason=reason)
    if dossier.status not in sources:
        raise DossierTransitionError(
            "dossier.invalid_transition",
            _("Hồ sơ %(code)s đang ở trạng thái “%(current)s”, không thể thực hiện việc này.")
            % {"code": dossier, "current": Status(dossier.status).label},
        )


def denied() -> DossierPermissionDenied:
    return DossierPermissionDenied("dossier.forbidden", _("Bạn không có quyền thực hiện việc này với hồ sơ này."))


def ensure_current_agency(officer: Any, dossier: Dossier, *, leader: bool = False) -> None:
    """Work on the dossier belongs to the agency holding it now (its current step's agency)."""
    if not access.can_work_at_agency(officer, dossier.current_agency_id, leader=leader):
        raise denied()


def _same_person(a: Any, b: Any) -> bool:
    return getattr(a, "pk", None) is not None and getattr(a, "pk", None) == getattr(b, "pk", None)


def _person(user: Any) -> str:
    return str(user or "")  # User.__str__: the full name, else the username


# --- forward, assign, hand over ----------------------------------------------------------------


@transaction.atomic
def dossier_forward(*, officer: Any, dossier: Dossier, expected_version: int | None, ip: str | None = None,
                    now: datetime | None = None) -> Dossier:  # fmt: skip
    """2 → 4: the one-stop hands the dossier to the first step's agency (starts step 1)."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    access.ensure_reception(officer, dossier)
    guard(dossier, Status.PROCESSING, Status.ACCEPTED, expected_version=expected_version)
    first = dossier.steps.select_related("agency").order_by("ordering").first()
    agency = first.agency if first is not None else dossier.competent_agency
    claim(dossier, Status.PROCESSING, forwarded_at=now, current_agency=agency)
    if first is not None:
        _steps.start(dossier, first, now)
    # Paper has to move by forward_due_at (rule 5); a late move is kept, and said so.
    late = dossier.forward_due_at is not None and now > dossier.forward_due_at
    record(dossier, "dossier.forwarded", from_status=Status.ACCEPTED, actor=officer, at=now, agency=agency, ip=ip,
           data={"agency": agency.code, "late": late, "step": first.ordering if first else None})  # fmt: skip
    return dossier


def _ensure_agency_member(assignee: Any, dossier: Dossier) -> None:
    if dossier.current_agency_id not in scope_for_user(assignee).agency_ids_for(*access.AGENCY_ROLES):
        raise DossierError(
            "dossier.assignee_not_in_agency",
            _("%(name)s không phải cán bộ của %(agency)s nên không thể được giao hồ sơ này.")
            % {"name": _person(assignee) or "?", "agency": dossier.current_agency},
        )


@transaction.atomic
def dossier_assign(*, officer: Any, dossier: Dossier, assignee: Any, expected_version: int | None,
                   ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4: a leader (or officer taking it for themselves) of the current agency assigns a specialist."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    ensure_current_agency(officer, dossier, leader=not _same_person(officer, assignee))
    guard(dossier, Status.PROCESSING, Status.PROCESSING, expected_version=expected_version)
    _ensure_agency_member(assignee, dossier)
    previous = dossier.assigned_to_id
    claim(dossier, Status.PROCESSING, assigned_to=assignee)
    _steps.receive(dossier, assignee)
    record(dossier, "dossier.assigned", from_status=Status.PROCESSING, actor=officer, at=now,
           agency=dossier.current_agency, ip=ip,
           data={"assignee": assignee.pk, "assignee_name": _person(assignee), "previous": previous})  # fmt: skip
    return dossier


def _hand_over_pair(dossier: Dossier) -> tuple[DossierStep, DossierStep]:
    step = _steps.open_step(dossier)
    if step is None:
        raise DossierError("dossier.no_open_step", _("Hồ sơ không có bước nào đang xử lý."))
    following = _steps.step_after(dossier, step)
    if following is None:
        raise DossierError(
            "dossier.last_step",
            _("“%(step)s” là bước cuối cùng: bước này kết thúc khi lãnh đạo phê duyệt kết quả.") % {"step": step.name},
        )
    return step, following


@transaction.atomic
def dossier_hand_over(*, officer: Any, dossier: Dossier, expected_version: int | None, note: str = "",
                      ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4: finish the current step (classed early / on time / late) and start the next one,
    whose agency becomes `current_agency` (inter-agency when it differs)."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    ensure_current_agency(officer, dossier)
    guard(dossier, Status.PROCESSING, Status.PROCESSING, expected_version=expected_version)
    step, following = _hand_over_pair(dossier)
    moves = following.agency_id != dossier.current_agency_id
    # Another agency's leader assigns their own specialist: the previous one no longer applies.
    claim(dossier, Status.PROCESSING, **({"current_agency": following.agency, "assigned_to": None} if moves else {}))
    result = _steps.finish(step, officer=officer, now=now, note=note)
    _steps.start(dossier, following, now)
    record(dossier, "dossier.handed_over", from_status=Status.PROCESSING, actor=officer, at=now,
           agency=following.agency, ip=ip,
           data={"note": note.strip(), "step": step.ordering, "next_step": following.ordering, "from_agency": step.agency.code,
                 "to_agency": following.agency.code, "inter_agency": moves, "outcome": result})  # fmt: skip
    return dossier


# --- supplement: pause, resume, expiry ----------------------------------------------------------


def _requester_kind(officer: Any, dossier: Dossier) -> str:
    """Who asks: the one-stop (reception of the receiving center) or the agency holding it."""
    if access.can_receive_at(officer, dossier.receiving_center_id):
        return SupplementRequest.RequestedBy.ONE_STOP
    if access.can_work_at_agency(officer, dossier.current_agency_id):
        return SupplementRequest.RequestedBy.AGENCY
    raise denied()


@transaction.atomic
def dossier_request_supplement(*, officer: Any, dossier: Dossier, items: list[dict[str, Any]], reason: str,
                               expected_version: int | None, ip: str | None = None,
                               now: datetime | None = None) -> SupplementRequest:  # fmt: skip
    """4 → 5: the clock stops; supplement slip; citizen notified; deadline from the procedure."""
    now = now or timezone.now()
    if not items or not reason.strip():
        raise DossierError("dossier.supplement_items_required", _("Vui lòng liệt kê giấy tờ cần bổ sung và lý do."))
    dossier = fresh(dossier)
    kind = _requester_kind(officer, dossier)
    guard(dossier, Status.SUPPLEMENT_REQUESTED, Status.PROCESSING, expected_version=expected_version, reason=reason)
    agency = dossier.current_agency if kind == SupplementRequest.RequestedBy.AGENCY else None
    claim(dossier, Status.SUPPLEMENT_REQUESTED, paused_since=now)
    request = SupplementRequest.objects.create(
        dossier=dossier, stage=SupplementRequest.Stage.PROCESSING, requested_by_kind=kind, agency=agency,
        items=items, reason=reason.strip(), requested_at=now, requested_by=officer,
        deadline_at=supplement_deadline(dossier, now),
    )  # fmt: skip
    record(dossier, "dossier.supplement_requested", from_status=Status.PROCESSING, actor=officer, at=now,
           agency=agency, ip=ip, reason=reason,
           data={"items": items, "supplement": request.pk, "requested_by": kind,
                 "deadline_at": request.deadline_at.isoformat() if request.deadline_at else None})  # fmt: skip
    payloads.slip_create(dossier, DossierSlip.Kind.SUPPLEMENT, actor=officer, now=now, extra={"supplement": request.pk})
    notify.dossier_notify(dossier, "supplement")
    return request


def _open_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.filter(
        stage=SupplementRequest.Stage.PROCESSING, received_at__isnull=True, expired_at__isnull=True
    ).first()


@transaction.atomic
def dossier_receive_supplement(*, officer: Any, dossier: Dossier, expected_version: int | None, note: str = "",
                               ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """5 → 4: due time, original due time and the current step's due time move by the paused working time."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    access.ensure_reception_or_agency(officer, dossier)
    guard(dossier, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, expected_version=expected_version)
    request = _open_supplement(dossier)
    if request is None:
        raise DossierError("dossier.no_open_supplement", _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
    paused, fields = resume_fields(dossier, now)
    claim(dossier, Status.PROCESSING, **fields)
    _steps.shift_open_step(dossier, paused)
    SupplementRequest.objects.filter(pk=request.pk).update(received_at=now, paused=paused)
    record(dossier, "dossier.supplement_received", from_status=Status.SUPPLEMENT_REQUESTED, actor=officer, at=now,
           ip=ip, data={"paused_seconds": int(paused.total_seconds()), "supplement": request.pk, "note": note.strip()})  # fmt: skip
    return dossier


def dossier_expire_supplement(*, dossier: Dossier, now: datetime | None = None) -> Dossier | None:
    """5 → 8 by the deadline job when the supplement deadline passed (None if someone else did it)."""
    try:
        return _expire(dossier, now or timezone.now())
    except DossierConflict:
        # Another worker (or a counter receiving the papers) changed it first: nothing to do.
        return None


@transaction.atomic
def _expire(dossier: Dossier, now: datetime) -> Dossier | None:
    dossier = fresh(dossier)
    request = _open_supplement(dossier)
    if dossier.status != Status.SUPPLEMENT_REQUESTED or request is None:
        return None
    if request.deadline_at is None or request.deadline_at > now:
        raise DossierError("dossier.supplement_not_expired", _("Hồ sơ chưa hết hạn bổ sung."))
    reason = _("Quá hạn bổ sung hồ sơ (hạn %(deadline)s) mà chưa nhận được giấy tờ bổ sung.") % {
        "deadline": f"{to_local(request.deadline_at):%H:%M %d/%m/%Y}"
    }
    claim(dossier, Status.STOPPED, closed_at=now)
    SupplementRequest.objects.filter(pk=request.pk).update(expired_at=now)
    record(dossier, "dossier.supplement_expired", from_status=Status.SUPPLEMENT_REQUESTED, actor=None,
           actor_kind=DossierEvent.ActorKind.SYSTEM, at=now, reason=reason, data={"supplement": request.pk})  # fmt: skip
    payloads.slip_create(
        dossier, DossierSlip.Kind.STOP, actor=None, now=now, extra={"reason": reason, "kind": "stopped"}
    )
    notify.dossier_notify(dossier, "stopped")
    return dossier


# --- financial obligation ----------------------------------------------------------------------

_MAX_AMOUNT = Decimal(10) ** 14  # DossierFee.amount holds 14 digits


def _plain_amount(amount: Any) -> Any:
    """Typed the Vietnamese way, "50.000" is fifty thousand, not fifty."""
    if isinstance(amount, str):
        text = amount.strip().removesuffix("đ").strip()
        return text.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text
    return amount


def _fee_lines(fees: list[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    invalid = DossierError("dossier.fee_invalid", _("Số tiền phí, lệ phí không hợp lệ."))
    lines = []
    for name, amount in fees:
        try:
            value = Decimal(_plain_amount(amount))
        except (InvalidOperation, TypeError, ValueError):
            raise invalid from None
        if (
            not str(name).strip()
            or not value.is_finite()
            or not 0 < value < _MAX_AMOUNT
            or value != value.to_integral()
        ):
            raise invalid
        lines.append((str(name).strip()[:255], value))
    if not lines:
        raise DossierError("dossier.fees_required", _("Vui lòng nhập ít nhất một khoản phí, lệ phí cần nộp."))
    return lines


@transaction.atomic
def dossier_request_payment(*, officer: Any, dossier: Dossier, fees: list[tuple[str, Any]], expected_version: int | None,
                            ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 6: financial obligation (name, amount) lines to pay."""
    now = now or timezone.now()
    lines = _fee_lines(fees)
    dossier = fresh(dossier)
    ensure_current_agency(officer, dossier)
    guard(dossier, Status.AWAITING_PAYMENT, Status.PROCESSING, expected_version=expected_version)
    # Whether the clock stops while the citizen pays is configuration (DOMAIN silent, ADR §1).
    pause = {"paused_since": now} if settings.MOTCUA.get("DOSSIER_PAUSE_IN_PAYMENT") else {}
    claim(dossier, Status.AWAITING_PAYMENT, **pause)
    DossierFee.objects.bulk_create(DossierFee(dossier=dossier, name=name, amount=amount) for name, amount in lines)
    record(dossier, "dossier.payment_requested", from_status=Status.PROCESSING, actor=officer, at=now,
           agency=dossier.current_agency, ip=ip, data={"fees": [{"name": n, "amount": str(a)} for n, a in lines]})  # fmt: skip
    return dossier


# A fee can be recorded whenever the dossier is open (at the counter, during processing, at return).
_FEE_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
                 Status.AWAITING_PAYMENT, Status.RESULT_READY)  # fmt: skip


def _validate_payment(method: str, receipt_number: str) -> None:
    if method not in {code for code, _label in settings.MOTCUA["FEE_METHODS"]}:
        raise DossierError("dossier.fee_method_invalid", _("Vui lòng chọn hình thức thu phí, lệ phí."))
    if not receipt_number.strip():
        raise DossierError("dossier.receipt_number_required", _("Vui lòng nhập số biên lai thu phí, lệ phí."))
    if len(receipt_number.strip()) > 40:
        raise DossierError("dossier.receipt_number_invalid", _("Số biên lai quá dài (tối đa 40 ký tự)."))


def _unpaid_fee(dossier: Dossier, fee: DossierFee) -> DossierFee:
    line = dossier.fees.filter(pk=fee.pk).first()
    if line is None:
        raise DossierError("dossier.fee_not_found", _("Khoản phí, lệ phí này không thuộc hồ sơ."))
    if line.paid:
        raise DossierError("dossier.fee_already_paid", _("Khoản “%(name)s” đã được thu.") % {"name": line.name})
    return line


@transaction.atomic
def dossier_record_payment(*, officer: Any, dossier: Dossier, fee: DossierFee, method: str, receipt_number: str,
                           expected_version: int | None, ip: str | None = None,
                           now: datetime | None = None) -> Dossier:  # fmt: skip
    """Record a fee as paid (event `dossier.fee_recorded`); in 6, once all are paid, 6 → 4."""
    now = now or timezone.now()
    _validate_payment(method, receipt_number)
    dossier = fresh(dossier)
    access.ensure_reception_or_agency(officer, dossier)
    guard(dossier, dossier.status, *_FEE_STATUSES, expected_version=expected_version)
    line = _unpaid_fee(dossier, fee)
    from_status = dossier.status
    settles = (
        from_status == Status.AWAITING_PAYMENT and not dossier.fees.filter(paid=False).exclude(pk=line.pk).exists()
    )
    paused, fields = resume_fields(dossier, now) if settles else (None, {})
    claim(dossier, Status.PROCESSING if settles else from_status, **fields)
    if paused is not None:
        _steps.shift_open_step(dossier, paused)
    DossierFee.objects.filter(pk=line.pk).update(
        paid=True, method=method, receipt_number=receipt_number.strip(), paid_at=now,
        recorded_by=officer if getattr(officer, "pk", None) else None,
    )  # fmt: skip
    record(dossier, "dossier.payment_recorded" if settles else "dossier.fee_recorded", from_status=from_status,
           actor=officer, at=now, ip=ip,
           data={"fee": line.pk, "name": line.name, "amount": str(line.amount * line.quantity), "method": method,
                 "receipt_number": receipt_number.strip()})  # fmt: skip
    return dossier


# --- result --------------------------------------------------------------------------------------


def _validate_result(kind: str, file: UploadedFile | None) -> None:
    if kind not in DossierResult.Kind.values:
        raise DossierError("dossier.result_kind_invalid", _("Vui lòng chọn loại kết quả."))
    if file is None:
        if kind != DossierResult.Kind.PAPER:
            raise DossierError("dossier.result_file_required", _("Kết quả bản điện tử cần tệp PDF đính kèm."))
        return
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head != b"%PDF-":
        raise DossierError("dossier.result_not_pdf", _("Tệp kết quả phải là tệp PDF."))


def _ensure_last_step(dossier: Dossier) -> DossierStep | None:
    """The result ends the last step: approving earlier would leave steps never done."""
    step = _steps.open_step(dossier)
    if step is not None and _steps.step_after(dossier, step) is not None:
        raise DossierError(
            "dossier.steps_remaining",
            _("Hồ sơ đang ở bước “%(step)s”, chưa phải bước cuối: hãy chuyển bước trước khi phê duyệt kết quả.")
            % {"step": step.name},
        )
    return step


@transaction.atomic
def dossier_approve_result(*, officer: Any, dossier: Dossier, kind: str, document_number: str = "",
                           file: UploadedFile | None = None, expected_version: int | None, ip: str | None = None,
                           now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4 (or in 6): a leader of the current agency approves the result; electronic needs a file."""
    now = now or timezone.now()
    _validate_result(kind, file)
    dossier = fresh(dossier)
    ensure_current_agency(officer, dossier, leader=True)
    guard(dossier, dossier.status, Status.PROCESSING, Status.AWAITING_PAYMENT, expected_version=expected_version)
    if DossierResult.objects.filter(dossier=dossier).exists():
        raise DossierError("dossier.result_already_approved", _("Kết quả của hồ sơ này đã được phê duyệt."))
    step = _ensure_last_step(dossier)
    claim(dossier, dossier.status)
    step_outcome = _steps.finish(step, officer=officer, now=now) if step is not None else None
    result = DossierResult.objects.create(dossier=dossier, kind=kind, file=file, approved_by=officer,
                                          document_number=document_number.strip()[:80], approved_at=now)  # fmt: skip
    record(dossier, "dossier.result_approved", from_status=dossier.status, actor=officer, at=now,
           agency=dossier.current_agency, ip=ip,
           data={"kind": kind, "document_number": result.document_number, "has_file": bool(result.file),
                 "step": step.ordering if step else None, "outcome": step_outcome})  # fmt: skip
    return dossier


def _ensure_can_release(officer: Any, dossier: Dossier) -> None:
    """The agency's leader, or the one-stop (which can only act once a result is approved)."""
    if not (access.can_receive_at(officer, dossier.receiving_center_id)
            or access.can_work_at_agency(officer, dossier.current_agency_id, leader=True)):  # fmt: skip
        raise denied()


def _ensure_releasable(dossier: Dossier) -> None:
    if not DossierResult.objects.filter(dossier=dossier).exists():
        raise DossierError("dossier.result_missing", _("Hồ sơ chưa có kết quả được lãnh đạo phê duyệt."))
    if dossier.status == Status.AWAITING_PAYMENT and dossier.fees.filter(paid=False).exists():
        raise DossierError("dossier.fees_unpaid", _("Công dân chưa hoàn thành nghĩa vụ tài chính của hồ sơ."))


@transaction.atomic
def dossier_mark_result_ready(*, officer: Any, dossier: Dossier, expected_version: int | None,
                              ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4/6 → 9: needs an approved result (and from 6 a paid fee); records result_ready_at; notifies."""
    now = now or timezone.now()
    dossier = fresh(dossier)
    _ensure_can_release(officer, dossier)
    guard(dossier, Status.RESULT_READY, Status.PROCESSING, Status.AWAITING_PAYMENT, expected_version=expected_version)
    _ensure_releasable(dossier)
    from_status, agency = dossier.status, dossier.current_agency
    _paused, fields = resume_fields(dossier, now)  # only when payment paused the clock
    # The result goes back to the one-stop for return: no agency holds the dossier any more.
    claim(dossier, Status.RESULT_READY, result_ready_at=now, current_agency=None, **fields)
    record(
        dossier,
        "dossier.result_ready",
        from_status=from_status,
        actor=officer,
        at=now,
        agency=agency,
        ip=ip,
        data={"outcome": outcome(dossier.original_due_at, now)},
    )
    notify.dossier_notify(dossier, "result_ready")
    return dossier
