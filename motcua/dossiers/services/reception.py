"""The counter's three outcomes (rule 3): accept, ask for a supplement, refuse — and submission.

A counter visit creates the dossier in status 1 and moves it in the same transaction, so a
dossier that ends the visit accepted always has its code, its due time, its steps and its
receipt slip, or none of them (no acceptance without a slip).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.calendar import LOCAL_TZ, calendar_for_center, to_local, version_due_at
from motcua.core.models import Center
from motcua.core.sessions import parse_clock
from motcua.queueing.models import Counter, Ticket
from motcua.queueing.services._common import ensure_seated

from .. import access, notify, payloads
from ..codes import CodeParts, dossier_code_take
from ..errors import DossierError
from ..models import Dossier, DossierDocument, DossierSlip, DossierStep, SupplementRequest
from ._common import Status, check, claim, fresh, record
from .intake import (
    Intake,
    current_version,
    ensure_receivable,
    routed_agency,
    validate_applicant,
    validate_fees,
    write_documents,
    write_fees,
)


def fee_methods() -> set[str]:
    return {code for code, _label in settings.MOTCUA["FEE_METHODS"]}


def _ensure_at_counter(officer: Any, counter: Counter | None, ticket: Ticket | None) -> None:
    """At a counter only its seated officer acts, and only on the citizen called there."""
    if counter is None:
        return
    ensure_seated(counter, officer)
    if ticket is not None and (ticket.counter_id != counter.pk or ticket.status not in _AT_DESK):
        raise DossierError("dossier.ticket_not_at_counter", _("Số %(code)s không đang ở quầy này.") % {"code": ticket.code})


_AT_DESK = (Ticket.Status.CALLED, Ticket.Status.SERVING)


def _create(
    intake: Intake, *, center: Center, actor: Any, actor_kind: str, now: datetime, counter: Counter | None,
    ticket: Ticket | None, ip: str | None,
) -> Dossier:
    """A new status-1 dossier with its checklist and fees, and its `dossier.submitted` row."""
    validate_applicant(intake.applicant)
    validate_fees(intake.fees, fee_methods())
    version = current_version(intake.procedure)
    ensure_receivable(version, center)
    agency = routed_agency(version, intake.competent_agency)
    dossier = Dossier.objects.create(
        procedure=intake.procedure, procedure_version=version, receiving_center=center,
        competent_agency=agency, channel=intake.channel, status=Status.SUBMITTED, ticket=ticket, counter=counter,
        return_method=intake.return_method, is_digitised=intake.is_digitised, note=intake.note.strip(),
        submitted_at=now, **intake.applicant.fields(),
    )  # fmt: skip
    write_documents(dossier, version, intake.documents)
    write_fees(dossier, intake.fees, officer=actor, now=now)
    record(dossier, "dossier.submitted", from_status=None, actor=actor, actor_kind=actor_kind, at=now,
           counter=counter, ip=ip, data={"procedure_version": version.number})  # fmt: skip
    return dossier


@transaction.atomic
def dossier_submit(
    *, intake: Intake, center: Center, actor: Any = None, actor_kind: str = "citizen", ip: str | None = None,
    now: datetime | None = None,
) -> Dossier:
    """An online or integration submission: status 1, no code and no clock yet (rule 4)."""
    return _create(intake, center=center, actor=actor, actor_kind=actor_kind, now=now or timezone.now(),
                   counter=None, ticket=None, ip=ip)  # fmt: skip


def _open_or_create(
    officer: Any, *, intake: Intake | None, dossier: Dossier | None, center: Center | None,
    counter: Counter | None, ticket: Ticket | None, ip: str | None, now: datetime,
) -> Dossier:
    center = counter.center if counter is not None else center
    if dossier is not None:
        dossier = fresh(dossier)
        access.ensure_reception(officer, dossier)
        return dossier
    if intake is None or center is None:
        raise DossierError("dossier.intake_missing", _("Thiếu thông tin hồ sơ."))
    access.ensure_receive_at(officer, center.pk)
    _ensure_at_counter(officer, counter, ticket)
    return _create(intake, center=center, actor=officer, actor_kind="officer", now=now, counter=counter,
                   ticket=ticket, ip=ip)  # fmt: skip


def forward_due_at(dossier: Dossier, accepted_at: datetime) -> datetime | None:
    """Paper moves the same working day, or by the start of the next one after the cut-off (rule 5)."""
    if dossier.is_digitised or dossier.channel == Dossier.Channel.ONLINE:
        return None
    calendar = calendar_for_center(dossier.receiving_center)
    local = to_local(accepted_at)
    if calendar.is_working_day(local.date()) and local.time() <= parse_clock(settings.MOTCUA["FORWARD_CUTOFF"]):
        return calendar.end_of_working_day(local.date())
    next_day = calendar.next_working_day(local.date())
    return calendar.next_session_start(datetime.combine(next_day, time(0), tzinfo=LOCAL_TZ))


def _code_parts(dossier: Dossier) -> CodeParts:
    return CodeParts(
        unit=dossier.receiving_center.unit_id, agency=dossier.competent_agency.unit_id,
        aa=settings.MOTCUA.get("DOSSIER_CODE_AA", ""),
    )  # fmt: skip


def _write_steps(dossier: Dossier) -> None:
    """The control sheet's rows, copied from the frozen version (one step if it lists none)."""
    steps = dossier.snapshot.get("steps") or []
    codes = {s["agency"] for s in steps if s.get("agency")}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    rows = [
        DossierStep(dossier=dossier, ordering=i + 1, name=s["name"], agency=agencies.get(s.get("agency") or "",
                    dossier.competent_agency), time_value=s["time_value"], time_unit=s["time_unit"])
        for i, s in enumerate(steps)
    ] or [DossierStep(dossier=dossier, ordering=1, name=_("Giải quyết hồ sơ"), agency=dossier.competent_agency,
                      time_value=dossier.snapshot.get("time_value") or 0, time_unit=dossier.snapshot["time_unit"])]  # fmt: skip
    DossierStep.objects.bulk_create(rows)


@transaction.atomic
def dossier_accept(
    *, officer: Any, intake: Intake | None = None, dossier: Dossier | None = None, expected_version: int | None = None,
    center: Center | None = None, counter: Counter | None = None, ticket: Ticket | None = None,
    ip: str | None = None, now: datetime | None = None,
) -> Dossier:
    """Accept a complete dossier: code, due time, steps, receipt slip, notice — all or nothing."""
    now = now or timezone.now()
    dossier = _open_or_create(officer, intake=intake, dossier=dossier, center=center, counter=counter,
                              ticket=ticket, ip=ip, now=now)  # fmt: skip
    check(dossier, Status.ACCEPTED, expected_version=expected_version)
    previous = dossier.procedure_version.number
    if dossier.channel == Dossier.Channel.ONLINE:  # rule 1: the version in force at acceptance
        dossier.procedure_version = current_version(dossier.procedure)
    due = version_due_at(snapshot=dossier.snapshot, center=dossier.receiving_center, accepted_at=now)
    claim(dossier, Status.ACCEPTED, accepted_at=now, due_at=due, original_due_at=due,
          procedure_version=dossier.procedure_version, received_by=officer, counter=counter or dossier.counter,
          ticket=ticket or dossier.ticket, forward_due_at=forward_due_at(dossier, now))  # fmt: skip
    # Taken last, so acceptances of one unit wait on each other only until this commit.
    dossier.code = dossier_code_take(parts=_code_parts(dossier), day=to_local(now).date())
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
    _write_steps(dossier)
    record(dossier, "dossier.accepted", from_status=Status.SUBMITTED, actor=officer, at=now, counter=counter, ip=ip,
           data={"code": dossier.code, "procedure_version": dossier.procedure_version.number,
                 "submitted_version": previous})  # fmt: skip
    payloads.slip_create(dossier, DossierSlip.Kind.RECEIPT, actor=officer, now=now)
    notify.dossier_notify(dossier, "accepted")
    if dossier.channel == Dossier.Channel.ONLINE:  # no paper to carry: the data moves at once (rule 5)
        from .processing import dossier_forward

        dossier = dossier_forward(officer=officer, dossier=dossier, expected_version=dossier.version, ip=ip, now=now)
    return dossier


@transaction.atomic
def dossier_refuse(
    *, officer: Any, reason: str, intake: Intake | None = None, dossier: Dossier | None = None,
    expected_version: int | None = None, center: Center | None = None, counter: Counter | None = None,
    ticket: Ticket | None = None, ip: str | None = None, now: datetime | None = None,
) -> Dossier:
    """Refuse to receive, with the specific reasons (mandatory) on a printed refusal slip."""
    now = now or timezone.now()
    if not reason.strip():
        raise DossierError("dossier.reason_required", _("Vui lòng ghi rõ lý do từ chối tiếp nhận."))
    dossier = _open_or_create(officer, intake=intake, dossier=dossier, center=center, counter=counter,
                              ticket=ticket, ip=ip, now=now)  # fmt: skip
    check(dossier, Status.REFUSED, expected_version=expected_version, reason=reason)
    claim(dossier, Status.REFUSED, closed_at=now, received_by=officer)
    record(dossier, "dossier.refused", from_status=Status.SUBMITTED, actor=officer, at=now, counter=counter, ip=ip,
           reason=reason)  # fmt: skip
    payloads.slip_create(dossier, DossierSlip.Kind.REFUSAL, actor=officer, now=now, extra={"reason": reason.strip()})
    notify.dossier_notify(dossier, "refused")
    return dossier


@transaction.atomic
def dossier_request_reception_supplement(
    *, officer: Any, items: list[dict[str, Any]], reason: str, intake: Intake | None = None,
    dossier: Dossier | None = None, expected_version: int | None = None, center: Center | None = None,
    counter: Counter | None = None, ticket: Ticket | None = None, ip: str | None = None, now: datetime | None = None,
) -> Dossier:
    """Guide the citizen once, in full: what is missing and why, on a printed guidance slip (1 → 1)."""
    now = now or timezone.now()
    if not items or not reason.strip():
        raise DossierError("dossier.supplement_items_required", _("Vui lòng liệt kê giấy tờ cần bổ sung và lý do."))
    dossier = _open_or_create(officer, intake=intake, dossier=dossier, center=center, counter=counter,
                              ticket=ticket, ip=ip, now=now)  # fmt: skip
    check(dossier, Status.SUBMITTED, expected_version=expected_version)
    _ensure_once_per_visit(dossier, ticket)
    request = SupplementRequest.objects.create(
        dossier=dossier, stage=SupplementRequest.Stage.RECEPTION, requested_by_kind=SupplementRequest.RequestedBy.ONE_STOP,
        ticket=ticket, items=items, reason=reason.strip(), requested_at=now, requested_by=officer,
    )  # fmt: skip
    claim(dossier, Status.SUBMITTED)
    record(dossier, "dossier.reception_supplement_requested", from_status=Status.SUBMITTED, actor=officer, at=now,
           counter=counter, ip=ip, reason=reason, data={"items": items, "supplement": request.pk})  # fmt: skip
    payloads.slip_create(dossier, DossierSlip.Kind.SUPPLEMENT, actor=officer, now=now, extra={"supplement": request.pk})
    notify.dossier_notify(dossier, "reception_supplement")
    return dossier


def _ensure_once_per_visit(dossier: Dossier, ticket: Ticket | None) -> None:
    if not settings.MOTCUA.get("DOSSIER_RECEPTION_SUPPLEMENT_ONCE_PER_VISIT", True):
        return
    earlier = dossier.supplements.filter(stage=SupplementRequest.Stage.RECEPTION, ticket=ticket)
    if ticket is not None and earlier.exists():
        raise DossierError(
            "dossier.supplement_once",
            _("Đã hướng dẫn bổ sung hồ sơ này trong lượt này; hướng dẫn phải đầy đủ trong một lần."),
        )


@transaction.atomic
def dossier_add_supplement_document(
    *, dossier: Dossier, request: SupplementRequest, name: str, scan: str, actor: Any, actor_kind: str = "citizen",
    ip: str | None = None, now: datetime | None = None,
) -> DossierDocument:
    """A requested document sent in (online): a new checklist line tied to the open request, and
    its history row. The status stays 5: receiving the supplement is the officer's act."""
    now = now or timezone.now()
    ordering = (dossier.documents.aggregate(top=Max("ordering"))["top"] or 0) + 1
    line = DossierDocument.objects.create(dossier=dossier, ordering=ordering, name=name, provided=True, scan=scan,
                                          supplement=request)  # fmt: skip
    record(dossier, "dossier.supplement_uploaded", from_status=dossier.status, actor=actor, actor_kind=actor_kind,
           at=now, ip=ip, data={"supplement": request.pk, "document": line.pk,
                                "note": _("Công dân gửi giấy tờ bổ sung trực tuyến: %(name)s") % {"name": name}})  # fmt: skip
    return line
