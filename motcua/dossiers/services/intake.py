"""What the counter (or the portal, or an integration) says about a new dossier, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import Agency, Procedure, ProcedureVersion
from motcua.core.models import Center

from ..errors import DossierError
from ..models import Dossier, DossierDocument, DossierFee


@dataclass(frozen=True)
class Applicant:
    name: str
    kind: str = Dossier.ApplicantKind.PERSON
    national_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    submitter_name: str = ""
    submitter_national_id: str = ""
    submitter_phone: str = ""
    authorisation_note: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "applicant_kind": self.kind, "applicant_name": self.name.strip(),
            "applicant_national_id": self.national_id.strip(), "applicant_phone": self.phone.strip(),
            "applicant_email": self.email.strip(), "applicant_address": self.address.strip(),
            "submitter_name": self.submitter_name.strip(), "submitter_national_id": self.submitter_national_id.strip(),
            "submitter_phone": self.submitter_phone.strip(), "authorisation_note": self.authorisation_note.strip(),
        }  # fmt: skip


@dataclass(frozen=True)
class ProvidedDocument:
    """One checklist line as the officer ticked it; `index` is its place in the version's list."""

    index: int
    provided: bool = True
    originals: int = 0
    certified_copies: int = 0
    plain_copies: int = 0
    db_reference: str = ""
    # A file already in storage (an online upload): the line's electronic copy.
    scan: str = ""


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: Decimal
    quantity: int = 1
    paid: bool = False
    method: str = ""
    receipt_number: str = ""


@dataclass(frozen=True)
class Intake:
    procedure: Procedure
    applicant: Applicant
    documents: tuple[ProvidedDocument, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    competent_agency: Agency | None = None
    channel: str = Dossier.Channel.COUNTER
    return_method: str = Dossier.ReturnMethod.COUNTER
    is_digitised: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def current_version(procedure: Procedure) -> ProcedureVersion:
    version = procedure.versions.order_by("-number").first()
    if version is None or not procedure.is_active:
        raise DossierError("dossier.procedure_inactive", _("Thủ tục này hiện không áp dụng."))
    return version


def ensure_receivable(version: ProcedureVersion, center: Center) -> None:
    """The center may receive the procedure: listed for it, or location-independent (rule 19)."""
    snap = version.snapshot
    if snap.get("location_independent") or center.code in snap.get("centers", []):
        return
    raise DossierError(
        "dossier.wrong_center",
        _("Thủ tục %(code)s không được tiếp nhận tại %(center)s.") % {"code": snap["code"], "center": center},
    )


def routed_agency(version: ProcedureVersion, chosen: Agency | None) -> Agency:
    """The competent agency: the one the officer chose (a commune), or the procedure's."""
    if chosen is not None:
        return chosen
    return Agency.objects.get(code=version.snapshot["agency"])


def validate_applicant(applicant: Applicant) -> None:
    if not applicant.name.strip():
        raise DossierError("dossier.applicant_name_required", _("Vui lòng nhập họ tên người nộp hồ sơ."))
    for value in (applicant.national_id, applicant.submitter_national_id):
        if value.strip() and not value.strip().isdigit():
            raise DossierError("dossier.national_id_invalid", _("Số định danh chỉ gồm chữ số."))


def write_documents(dossier: Dossier, version: ProcedureVersion, provided: tuple[ProvidedDocument, ...]) -> None:
    """Copy the version's checklist onto the dossier with what was handed in."""
    by_index = {line.index: line for line in provided}
    rows = []
    for index, doc in enumerate(version.snapshot.get("documents", [])):
        line = by_index.get(index)
        rows.append(
            DossierDocument(
                dossier=dossier, ordering=index, name=doc["name"],
                required_originals=doc.get("originals") or 0,
                required_certified_copies=doc.get("certified_copies") or 0,
                required_plain_copies=doc.get("plain_copies") or 0,
                provided=bool(line and line.provided),
                originals=line.originals if line else 0,
                certified_copies=line.certified_copies if line else 0,
                plain_copies=line.plain_copies if line else 0,
                show_only=bool(doc.get("show_only")), replaced_by=doc.get("replaced_by") or "",
                db_reference=line.db_reference if line else "",
                scan=line.scan if line else "",
                not_scanned_reason="" if line and line.scan else _not_scanned_reason(dossier, doc),
            )
        )  # fmt: skip
    DossierDocument.objects.bulk_create(rows)


def _not_scanned_reason(dossier: Dossier, doc: dict[str, Any]) -> str:
    if dossier.channel == Dossier.Channel.ONLINE:
        return DossierDocument.NotScanned.ONLINE
    if doc.get("show_only"):
        return DossierDocument.NotScanned.SHOW_ONLY
    return ""


def write_fees(dossier: Dossier, fees: tuple[FeeLine, ...], *, officer: Any, now: Any) -> None:
    DossierFee.objects.bulk_create(
        DossierFee(
            dossier=dossier, name=line.name, amount=line.amount, quantity=line.quantity, paid=line.paid,
            method=line.method if line.paid else "", receipt_number=line.receipt_number.strip() if line.paid else "",
            paid_at=now if line.paid else None, recorded_by=officer if line.paid and getattr(officer, "pk", None) else None,
        )
        for line in fees
    )  # fmt: skip


def validate_fees(fees: tuple[FeeLine, ...], methods: set[str]) -> None:
    for line in fees:
        if line.amount < 0 or line.quantity < 1:
            raise DossierError("dossier.fee_invalid", _("Số tiền phí, lệ phí không hợp lệ."))
        if line.paid and line.method not in methods:
            raise DossierError("dossier.fee_method_invalid", _("Vui lòng chọn hình thức thu phí, lệ phí."))
        if line.paid and line.amount > 0 and not line.receipt_number.strip():
            raise DossierError("dossier.receipt_number_required", _("Vui lòng nhập số biên lai thu phí, lệ phí."))
