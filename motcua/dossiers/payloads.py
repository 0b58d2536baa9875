"""What each printed paper says, frozen as JSON when it is issued (ADR 0008 §7).

The services write a `DossierSlip` with this payload inside the transition's transaction, so
"accepted" and "has a receipt" are one fact; `slips.py` renders the PDF from the payload after
commit, and a reprint months later prints exactly the same words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from motcua.core.calendar import to_local
from motcua.core.text import format_vnd

from .models import Dossier, DossierSlip, SupplementRequest


def public_url(dossier: Dossier) -> str:
    """The public tracking page the QR points at: the code only, never personal data (rule 14)."""
    base = str(settings.MOTCUA["PUBLIC_URL"]).rstrip("/")
    return base + reverse("portal:dossier_track", kwargs={"code": dossier.code}) if dossier.code else base


def _when(value: datetime | None) -> str:
    return f"{to_local(value):%H:%M} ngày {to_local(value):%d/%m/%Y}" if value else ""


def _person(user: Any) -> str:
    return str(user or "")  # User.__str__: the full name, else the username


def _common(dossier: Dossier, actor: Any, now: datetime) -> dict[str, Any]:
    center = dossier.receiving_center
    snap = dossier.snapshot
    return {
        "province": settings.MOTCUA["PROVINCE_NAME"],
        "center": {"name": center.name, "address": center.address, "phone": center.phone},
        "code": dossier.code or "",
        "tracking_url": public_url(dossier),
        "procedure": {"code": snap["code"], "name": snap["name"], "version": dossier.procedure_version.number},
        "agency": dossier.competent_agency.name,
        "applicant": {
            "name": dossier.applicant_name, "kind": dossier.applicant_kind, "address": dossier.applicant_address,
            "national_id": dossier.applicant_national_id,
            "phone": dossier.applicant_phone, "email": dossier.applicant_email,
        },
        "submitter": {"name": dossier.submitter_name, "authorisation": dossier.authorisation_note},
        "officer": _person(actor),
        "issued_at": _when(now),
        "issued_on": f"{to_local(now):%d/%m/%Y}",
        "accepted_at": _when(dossier.accepted_at),
    }  # fmt: skip


def _documents(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {"name": d.name, "originals": d.originals, "certified_copies": d.certified_copies,
         "plain_copies": d.plain_copies, "provided": d.provided, "show_only": d.show_only,
         "replaced_by": d.replaced_by, "db_reference": d.db_reference}
        for d in dossier.documents.all()
    ]  # fmt: skip


def _FEE_METHODS() -> dict[str, Any]:  # noqa: N802
    return dict(settings.MOTCUA["FEE_METHODS"])


def _fees(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {"name": f.name, "amount": format_vnd(f.amount * f.quantity), "paid": f.paid, "method": f.method,
         "method_label": str(_FEE_METHODS().get(f.method, f.method)), "receipt_number": f.receipt_number}
        for f in dossier.fees.all()
    ]  # fmt: skip


def _receipt(dossier: Dossier, extra: dict[str, Any]) -> dict[str, Any]:
    snap = dossier.snapshot
    return {
        "documents": _documents(dossier),
        "fees": _fees(dossier),
        "time_value": snap.get("time_value"),
        "time_unit": snap.get("time_unit"),
        "time_note": snap.get("time_note", ""),
        "accepted_at": _when(dossier.accepted_at),
        "due_at": _when(dossier.due_at),
        "return_method": str(Dossier.ReturnMethod(dossier.return_method).label),
        "return_place": dossier.receiving_center.name,
    }


def _supplement(dossier: Dossier, extra: dict[str, Any]) -> dict[str, Any]:
    request = SupplementRequest.objects.get(pk=extra["supplement"])
    return {
        "stage": request.stage, "items": request.items, "reason": request.reason,
        "deadline_at": _when(request.deadline_at), "requested_by": str(request.get_requested_by_kind_display()),
    }  # fmt: skip


def _control_sheet(dossier: Dossier, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "accepted_at": _when(dossier.accepted_at), "due_at": _when(dossier.due_at),
        "original_due_at": _when(dossier.original_due_at),
        "steps": [
            {"ordering": s.ordering, "name": s.name, "agency": s.agency.name, "started_at": _when(s.started_at),
             "due_at": _when(s.due_at), "handed_over_at": _when(s.handed_over_at),
             "handed_by": _person(s.handed_by), "received_by": _person(s.received_by),
             "outcome": str(s.get_outcome_display()) if s.outcome else "", "note": s.note}
            for s in dossier.steps.select_related("agency", "handed_by", "received_by")
        ],
    }  # fmt: skip


_BUILDERS = {
    DossierSlip.Kind.RECEIPT: _receipt,
    DossierSlip.Kind.SUPPLEMENT: _supplement,
    DossierSlip.Kind.CONTROL_SHEET: _control_sheet,
}


def build_payload(dossier: Dossier, kind: str, *, actor: Any, now: datetime, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The frozen words of one paper: the common header, the kind's own part, and `extra` as given.

    Papers are legal documents in Vietnamese whatever language the officer's screen is in.
    """
    extra = extra or {}
    with translation.override("vi"):
        payload = _common(dossier, actor, now)
        builder = _BUILDERS.get(DossierSlip.Kind(kind))
        if builder is not None:
            payload.update(builder(dossier, extra))
    payload.update({k: v for k, v in extra.items() if k != "supplement"})
    return payload


def slip_create(
    dossier: Dossier, kind: str, *, actor: Any, now: datetime, extra: dict[str, Any] | None = None
) -> DossierSlip:
    """Issue one paper (in the caller's transaction): its payload is what will always print."""
    return DossierSlip.objects.create(
        dossier=dossier, kind=kind, payload=build_payload(dossier, kind, actor=actor, now=now, extra=extra),
        created_at=now, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
