"""Reading a catalog file (CSV or the first sheet of an .xlsx) into checked-for-shape rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

# Export writes the columns in this order; import accepts them in any order.
COLUMNS = [
    "code", "code_verified", "name", "name_en", "agency", "sector", "sector_code", "online_level",
    "location_independent", "centers", "time_value", "time_unit", "same_day_cutoff", "time_note",
    "fee_vnd", "fee_note", "fees_json", "documents", "steps_json", "result", "legal_basis",
    "effective_date", "verification",
]  # fmt: skip
REQUIRED_COLUMNS = ["code", "name", "agency", "sector", "time_unit"]


@dataclass
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1; 0 means the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return _("Tệp: %(message)s") % {"message": self.message}
        if not self.column:
            return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message,
        }  # fmt: skip


class FileProblem(Exception):
    """The file cannot be read at all; carries the Vietnamese reason."""


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))


def read_bytes(file: str | Path | IO[bytes], filename: str | None) -> tuple[bytes, str]:
    if isinstance(file, str | Path):
        path = Path(file)
        return path.read_bytes(), filename or path.name
    data = file.read()
    return data, filename or str(getattr(file, "name", "") or "")


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV would hold (Excel turns typed dates and numbers into values)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise FileProblem(_("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).")) from exc
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from exc
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileProblem(_("Tệp CSV sai định dạng: %(reason)s") % {"reason": exc}) from exc


def read_table(data: bytes, filename: str) -> list[list[str]]:
    suffix = Path(filename).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise FileProblem(_("Chỉ nhận tệp .csv hoặc .xlsx (tệp đã gửi: “%(name)s”).") % {"name": filename})
    if not data.strip():
        raise FileProblem(_("Tệp rỗng."))
    rows = _xlsx_rows(data) if suffix == ".xlsx" else _csv_rows(data)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise FileProblem(_("Dòng đầu tiên phải là dòng tiêu đề (tên các cột)."))
    return rows


def header(cells: list[str], errors: list[RowError]) -> list[str]:
    """Column names by position ('' for an unnamed, ignored column); header problems go to `errors`."""
    names = [cell.strip().lower() for cell in cells]
    seen: set[str] = set()
    for name in names:
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(RowError(1, name, _("Cột không có trong định dạng (kiểm tra lỗi chính tả).")))
        elif name in seen:
            errors.append(RowError(1, name, _("Cột bị lặp lại.")))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(1, name, _("Thiếu cột bắt buộc.")))
    return names


def data_rows(table: list[list[str]], names: list[str]) -> list[Row]:
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: cells[i].replace("\r\n", "\n").strip() for i, name in enumerate(names) if name and i < len(cells)
        }
        rows.append(Row(index, values | {name: "" for name in names if name and name not in values}))
    return rows
