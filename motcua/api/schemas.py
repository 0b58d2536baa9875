"""Response shapes of the public API, and the functions that fill them from the models.

The functions build plain dicts explicitly (no magic attribute lookup) so each field's origin is
visible; the Schema classes validate them and document them in OpenAPI.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from motcua.catalog.fees import fee_describe
from motcua.catalog.models import Agency, Fee, Procedure, ProcedureStep, RequiredDocument, Sector
from motcua.core.calendar import CalendarEntry
from motcua.core.models import Center
from motcua.core.templatetags.motcua_tags import fee_summary, time_in_words


class Named(Schema):
    code: str
    name: str


class TimeLimit(Schema):
    value: float
    unit: str
    text: str


class ProcedureTime(TimeLimit):
    cutoff: str | None = None


class ProcedureSummary(Schema):
    code: str
    name: str
    agency: Named
    sector: Named
    online_level: str
    time: TimeLimit
    fee: str


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureSummary]


class Document(Schema):
    name: str
    originals: int
    certified_copies: int
    plain_copies: int
    show_only: bool
    replaced_by: str | None
    note: str


class FeeTier(Schema):
    from_quantity: int
    to_quantity: int | None
    unit_price: int


class FeeOut(Schema):
    name: str
    kind: str
    amount: int
    unit: str
    per: str
    cap: int | None
    tiers: list[FeeTier]
    description: str
    note: str


class Step(Schema):
    name: str
    agency: Named | None
    time: TimeLimit


class ProcedureDetail(ProcedureSummary):
    name_en: str
    documents: list[Document]
    fees: list[FeeOut]
    fee_note: str
    steps: list[Step]
    time: ProcedureTime
    time_note: str
    result: str
    legal_basis: str
    effective_date: date | None
    centers: list[Named]
    location_independent: bool
    version: int


class Appointment(Schema):
    accepted_at: datetime
    due_at: datetime | None


class Floor(Schema):
    code: str
    name: str


class CenterOut(Schema):
    code: str
    name: str
    level: str
    address: str
    unit_id: str
    reception_sessions: list[list[str]]
    working_sessions: list[list[str]]
    floors: list[Floor]


class CalendarDayOut(Schema):
    date: date
    name: str
    kind: str
    scope: str


class CenterCalendar(Schema):
    center: str
    year: int
    days_off: list[CalendarDayOut]
    make_up_days: list[CalendarDayOut]


# --- filling -------------------------------------------------------------------------------


def _named(item: Agency | Sector | Center) -> dict[str, str]:
    return {"code": item.code, "name": item.name}


def _money(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount)


def time_limit(item: Procedure | ProcedureStep) -> dict[str, Any]:
    return {"value": float(item.time_value), "unit": item.time_unit, "text": str(time_in_words(item))}


def procedure_summary(procedure: Procedure) -> dict[str, Any]:
    """Fees (with tiers) should be prefetched: the fee line reads them."""
    return {
        "code": procedure.code, "name": procedure.name, "agency": _named(procedure.agency),
        "sector": _named(procedure.sector), "online_level": procedure.online_level,
        "time": time_limit(procedure), "fee": str(fee_summary(procedure)),
    }  # fmt: skip


def _document(document: RequiredDocument) -> dict[str, Any]:
    return {
        "name": document.name, "originals": document.originals, "certified_copies": document.certified_copies,
        "plain_copies": document.plain_copies, "show_only": document.show_only,
        "replaced_by": document.replaced_by or None, "note": document.note,
    }  # fmt: skip


def _fee(fee: Fee) -> dict[str, Any]:
    return {
        "name": fee.name, "kind": fee.kind, "amount": _money(fee.amount), "unit": fee.unit, "per": fee.per,
        "cap": _money(fee.cap), "description": fee_describe(fee), "note": fee.note,
        "tiers": [{"from_quantity": tier.from_quantity, "to_quantity": tier.to_quantity,
                   "unit_price": _money(tier.unit_price)} for tier in fee.tiers.all()],
    }  # fmt: skip


def _step(step: ProcedureStep) -> dict[str, Any]:
    return {"name": step.name, "agency": _named(step.agency) if step.agency else None, "time": time_limit(step)}


def procedure_detail(procedure: Procedure) -> dict[str, Any]:
    cutoff = procedure.same_day_cutoff
    return procedure_summary(procedure) | {
        "name_en": procedure.name_en, "fee_note": procedure.fee_note,
        "documents": [_document(document) for document in procedure.documents.all()],
        "fees": [_fee(fee) for fee in procedure.fees.all()],
        "steps": [_step(step) for step in procedure.steps.all()],
        "time": time_limit(procedure) | {"cutoff": f"{cutoff:%H:%M}" if cutoff else None},
        "time_note": procedure.time_note, "result": procedure.result, "legal_basis": procedure.legal_basis,
        "effective_date": procedure.effective_date, "location_independent": procedure.location_independent,
        "centers": [_named(center) for center in procedure.centers.all()], "version": procedure.version,
    }  # fmt: skip


def center_out(center: Center) -> dict[str, Any]:
    return {
        "code": center.code, "name": center.name, "level": center.level, "address": center.address,
        "unit_id": center.unit_id, "reception_sessions": center.reception_sessions,
        "working_sessions": center.working_sessions,
        "floors": [{"code": floor.code, "name": floor.name} for floor in center.floors.all()],
    }  # fmt: skip


def calendar_day_out(entry: CalendarEntry) -> dict[str, Any]:
    return {"date": entry.date, "name": entry.name, "kind": entry.kind, "scope": entry.scope}
