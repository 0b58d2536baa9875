"""Export the procedure catalog as CSV or Excel, in the format the importer reads.

Everything is written exactly (fees and steps as JSON, documents in the text notation of
docs/catalog-format.md), so exporting and importing the result again changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet

from motcua.core.text import format_date

from .importing import COLUMNS
from .importing.values import ESCAPES
from .models import Fee, Procedure
from .services import procedure_snapshot

SHEET_TITLE = "Thủ tục"


def _escape(text: str) -> str:
    for escaped in ESCAPES:
        text = text.replace(escaped[1], escaped)
    return text


def _document_text(doc: dict[str, Any]) -> str:
    """`Tên (1/0/0) [xuất trình] [csdl:population] [ghi chú: …]`; counts are always written."""
    text = f"{_escape(doc['name'])} ({doc['originals']}/{doc['certified_copies']}/{doc['plain_copies']})"
    if doc["show_only"]:
        text += " [xuất trình]"
    if doc["replaced_by"]:
        text += f" [csdl:{doc['replaced_by']}]"
    if doc["note"]:
        text += f" [ghi chú: {_escape(doc['note'])}]"
    return text


def _number(text: str | None) -> int | float | None:
    """Snapshot amounts are strings (exact decimals); JSON reads better with plain numbers."""
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def _fees_json(fees: list[dict[str, Any]]) -> str:
    for fee in fees:
        fee["amount"], fee["cap"] = _number(fee["amount"]), _number(fee["cap"])
        for tier in fee["tiers"]:
            tier["unit_price"] = _number(tier["unit_price"])
    return json.dumps(fees, ensure_ascii=False) if fees else ""


def _steps_json(steps: list[dict[str, Any]]) -> str:
    for step in steps:
        step["time_value"] = _number(step["time_value"])
    return json.dumps(steps, ensure_ascii=False) if steps else ""


def _single_flat_fee(fees: list[dict[str, Any]]) -> str:
    # A readable copy for people scanning the sheet; the importer prefers fees_json.
    return fees[0]["amount"] if len(fees) == 1 and fees[0]["kind"] == Fee.Kind.FLAT else ""


def procedure_row(procedure: Procedure) -> dict[str, str]:
    """One procedure as the cells of an export row."""
    data = procedure_snapshot(procedure)
    effective = data["effective_date"]
    return data | {
        "code_verified": "yes" if data["code_verified"] else "no",
        "location_independent": "yes" if data["location_independent"] else "no",
        "agency": data["agency"],
        "sector": data["sector"]["name"],
        "sector_code": data["sector"]["code"],
        "centers": "; ".join(data["centers"]),
        "same_day_cutoff": data["same_day_cutoff"] or "",
        "fee_vnd": _single_flat_fee(data["fees"]),
        "fees_json": _fees_json(data["fees"]),
        "documents": "; ".join(_document_text(doc) for doc in data["documents"]),
        "steps_json": _steps_json(data["steps"]),
        "effective_date": format_date(procedure.effective_date) if effective else "",
    }


def _rows(queryset: QuerySet[Procedure] | None) -> list[list[str]]:
    queryset = Procedure.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("sector", "agency").prefetch_related(
        "documents", "centers", Prefetch("fees", queryset=Fee.objects.prefetch_related("tiers"))
    )
    rows = []
    for procedure in queryset.order_by("code"):
        cells = procedure_row(procedure)
        rows.append([str(cells[column] if cells[column] is not None else "") for column in COLUMNS])
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # The BOM makes Excel open the file as UTF-8 instead of mangling the diacritics.
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.data_type = "s"  # text, never a formula: a cell starting with "=" stays text
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalog_export(*, queryset: QuerySet[Procedure] | None = None, fmt: Literal["csv", "xlsx"]) -> bytes:
    """The procedures (all of them by default) as a CSV or Excel file's bytes."""
    rows = _rows(queryset)
    return _xlsx(rows) if fmt == "xlsx" else _csv(rows)
