"""Dossier test helpers: fixed moments, the workhorse procedure and an intake. The fixtures that
use them (procedure, accepted, khcn_officer, khcn_leader) are in `tests/dossiers/fixtures.py`,
loaded for the whole suite so console, portal, kiosk and API tests share them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from motcua.core.calendar import LOCAL_TZ


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


# Tuesday 10 March 2026 08:00, an ordinary working day.
TUESDAY_8AM = local(2026, 3, 10, 8, 0)

# 1.014390 (Sở KH&CN, 10 working days, three steps, location-independent) is the workhorse.
PROCEDURE_CODE = "1.014390"


def make_intake(procedure, **overrides):
    from motcua.dossiers.services import Applicant, FeeLine, Intake, ProvidedDocument

    documents = tuple(ProvidedDocument(index=i, originals=1) for i, _d in enumerate(procedure.versions.first().snapshot["documents"]))
    values = {
        "procedure": procedure,
        "applicant": Applicant(name="Nguyễn Thị Ánh", national_id="092190001234", phone="0912345678",
                               email="anh@example.com", address="12 Hòa Bình, Ninh Kiều, Cần Thơ"),
        "documents": documents,
        "fees": (FeeLine(name="Lệ phí", amount=Decimal(50000), paid=True, method="cash", receipt_number="BL-0001"),),
    }  # fmt: skip
    return Intake(**{**values, **overrides})
