"""The one write path for the catalog.

Every change to a procedure — admin, import, API — goes through `procedure_upsert` or, after
an admin edit of the live rows, `procedure_record_version`; both freeze a new
`ProcedureVersion` when (and only when) the content changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.models import Center
from motcua.core.text import fold

from .models import Agency, Fee, FeeTier, Procedure, ProcedureStep, ProcedureVersion, RequiredDocument, Sector

SCALAR_FIELDS = [
    "code_verified", "name", "name_en", "location_independent", "online_level", "time_value",
    "time_unit", "same_day_cutoff", "time_note", "fee_note", "result", "legal_basis",
    "effective_date", "verification", "is_active", "supplement_time_value", "supplement_time_unit",
]  # fmt: skip
DOCUMENT_FIELDS = ["name", "originals", "certified_copies", "plain_copies", "show_only", "replaced_by", "note"]
FEE_FIELDS = ["name", "kind", "amount", "unit", "per", "cap", "note"]


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value, stable across databases (so hashes compare)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def procedure_snapshot(procedure: Procedure) -> dict[str, Any]:
    """The procedure's whole content as plain data: what a version freezes and exports write."""
    data: dict[str, Any] = {"code": procedure.code}
    data.update({field: _plain(getattr(procedure, field)) for field in SCALAR_FIELDS})
    data["sector"] = {"code": procedure.sector.code, "name": procedure.sector.name}
    data["agency"] = procedure.agency.code
    data["centers"] = sorted(procedure.centers.values_list("code", flat=True))
    data["documents"] = [
        {f: _plain(getattr(doc, f)) for f in DOCUMENT_FIELDS} for doc in procedure.documents.all()
    ]
    data["fees"] = [
        {f: _plain(getattr(fee, f)) for f in FEE_FIELDS}
        | {"tiers": [
            {"from_quantity": t.from_quantity, "to_quantity": t.to_quantity, "unit_price": _plain(t.unit_price)}
            for t in fee.tiers.all()
        ]}
        for fee in procedure.fees.all()
    ]
    data["steps"] = [
        {"name": s.name, "agency": s.agency.code if s.agency else None,
         "time_value": _plain(s.time_value), "time_unit": s.time_unit}
        for s in procedure.steps.select_related("agency")
    ]  # fmt: skip
    return data


def _content_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def procedure_refresh_search_fields(procedure: Procedure) -> None:
    """Folded text that search reads: the name, then documents, sector and agency names."""
    procedure.search_name = fold(f"{procedure.code} {procedure.name}")
    extra = [procedure.sector.name, procedure.agency.name, procedure.agency.short_name, procedure.agency.aliases]
    extra += [doc.name for doc in procedure.documents.all()]
    procedure.search_extra = fold(" | ".join(filter(None, extra)))
    Procedure.objects.filter(pk=procedure.pk).update(
        search_name=procedure.search_name, search_extra=procedure.search_extra
    )


@transaction.atomic
def procedure_record_version(
    *, procedure: Procedure, actor: Any = None, change_note: str = "", now: datetime | None = None
) -> ProcedureVersion | None:
    """Freeze the live rows as a new version if they differ from the latest one.

    The row is locked first, so two editors saving at once get numbers n+1 and n+2, never a clash.
    """
    live = Procedure.objects.select_for_update().get(pk=procedure.pk)
    procedure_refresh_search_fields(live)
    snapshot = procedure_snapshot(live)
    digest = _content_hash(snapshot)
    latest = live.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return None
    number = (latest.number if latest else 0) + 1
    version = ProcedureVersion.objects.create(
        procedure=live, number=number, snapshot=snapshot, content_hash=digest,
        effective_date=live.effective_date, created_at=now or timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None, change_note=change_note[:255],
    )  # fmt: skip
    Procedure.objects.filter(pk=live.pk).update(version=number, updated_at=now or timezone.now())
    procedure.version = number  # the caller's instance (an admin form's) shows the new number
    return version


def _apply_children(procedure: Procedure, spec: dict[str, Any]) -> None:
    """Replace documents, fees and steps with the spec's lists (they have no identity of their own).

    A list missing from the spec is left alone, like a missing scalar field: an import file
    without a `steps_json` column must not wipe the steps entered in the admin.
    """
    if "documents" in spec:
        procedure.documents.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, ordering=i, **{f: doc[f] for f in DOCUMENT_FIELDS if f in doc})
            for i, doc in enumerate(spec["documents"])
        )
    if "fees" in spec:
        procedure.fees.all().delete()
        for i, fee_spec in enumerate(spec["fees"]):
            fee = Fee.objects.create(
                procedure=procedure, ordering=i, **{f: fee_spec[f] for f in FEE_FIELDS if f in fee_spec}
            )
            FeeTier.objects.bulk_create(FeeTier(fee=fee, **tier) for tier in fee_spec.get("tiers", []))
    if "steps" in spec:
        _apply_steps(procedure, spec["steps"])


def _apply_steps(procedure: Procedure, steps: list[dict[str, Any]]) -> None:
    procedure.steps.all().delete()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[s.get("agency") for s in steps])}
    ProcedureStep.objects.bulk_create(
        ProcedureStep(procedure=procedure, ordering=i, name=step["name"], agency=agencies.get(step.get("agency") or ""),
                      time_value=step.get("time_value", 0), time_unit=step.get("time_unit", "working_days"))
        for i, step in enumerate(steps)
    )  # fmt: skip


@transaction.atomic
def procedure_upsert(
    *, spec: dict[str, Any], actor: Any = None, change_note: str = "", now: datetime | None = None
) -> tuple[Procedure, ProcedureVersion | None]:
    """Create or update a procedure from plain data (the shape `procedure_snapshot` returns).

    `spec["sector"]` is `{"code", "name"}` (created if missing); `spec["agency"]` and
    `spec["centers"]` are codes that must exist. Keys left out (scalars, `centers`, `documents`,
    `fees`, `steps`) keep their current values. Returns the new version, or None when nothing
    changed — so re-importing the same file creates no versions.
    """
    sector, _ = Sector.objects.get_or_create(code=spec["sector"]["code"], defaults={"name": spec["sector"]["name"]})
    values = {f: spec[f] for f in SCALAR_FIELDS if f in spec}
    values |= {"sector": sector, "agency": Agency.objects.get(code=spec["agency"])}
    procedure, _ = Procedure.objects.update_or_create(code=spec["code"], defaults=values)
    if "centers" in spec:
        procedure.centers.set(Center.objects.filter(code__in=spec["centers"]))
    _apply_children(procedure, spec)
    version = procedure_record_version(procedure=procedure, actor=actor, change_note=change_note, now=now)
    # The caller gets the procedure as stored: version number and search fields included.
    procedure.refresh_from_db()
    return procedure, version
