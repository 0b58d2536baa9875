"""Report tables as Excel (.xlsx, openpyxl) and PDF (A4 landscape, fpdf2 with Roboto).

Excel keeps numbers as numbers — a rate is a fraction shown `0.0%`, a duration minutes — so a
leader can sum and chart them again; the PDF prints `cell_text`, exactly what the screen shows.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import font_roboto
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from motcua.core.calendar import to_local

from .tables import COUNT, DECIMAL, MINUTES, RATE, TEXT, ReportTable, cell_text

_FONT_DIR = os.path.join(os.path.dirname(font_roboto.__file__), "files")
_FONTS = {"": "Roboto-Regular.ttf", "B": "Roboto-Bold.ttf", "I": "Roboto-Italic.ttf"}
_HEAD_FILL = PatternFill("solid", fgColor="E3EEFB")
_FORMATS = {COUNT: "#,##0", RATE: "0.0%", MINUTES: "0.0", DECIMAL: "0.00"}
PROGRESS_EVERY = 50  # rows written between two calls of the progress callback

Progress = Callable[[int, int], None]  # (rows written, rows in all)


class _Counter:
    """Counts rows written across the tables and tells `progress` every PROGRESS_EVERY rows."""

    def __init__(self, tables: Sequence[ReportTable], progress: Progress | None) -> None:
        self.total = sum(len(t.rows) + (1 if t.totals else 0) for t in tables)
        self.done = 0
        self.progress = progress

    def row(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# --- Excel -----------------------------------------------------------------------------------


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or _("Báo cáo")
    name, n = base, 2
    while name in taken:  # Excel: 31 characters at most, unique
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _excel_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == MINUTES:
        return round(float(value) / 60, 1)
    if kind == TEXT:
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return value


def _write_table(book: Workbook, table: ReportTable, taken: set[str], counter: _Counter) -> None:
    sheet = book.create_sheet(_sheet_title(table.title, taken))
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([table.subtitle])
    sheet.append([])
    sheet.append([_header(column.label, column.kind) for column in table.columns])
    for cell in sheet[4]:
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows + ([table.totals] if table.totals else []):
        sheet.append([_excel_value(v, c.kind) for v, c in zip(table.values(row), table.columns, strict=True)])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            cell.number_format = _FORMATS.get(column.kind, "General")
        counter.row()
    if table.totals:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for note in table.notes:
        sheet.append([note])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 42 if column.kind == TEXT else 14
    sheet.freeze_panes = "B5"


def _header(label: str, kind: str) -> str:
    return f"{label} ({_('phút')})" if kind == MINUTES else label


def tables_xlsx(tables: Sequence[ReportTable], *, progress: Progress | None = None) -> bytes:
    """The tables as a workbook, one sheet each; `progress(done, total)` hears of the rows written."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    counter = _Counter(tables, progress)
    for table in tables:
        _write_table(book, table, taken, counter)
    counter.finish()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------


class _Report(FPDF):
    def __init__(self, title: str, printed: datetime) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        for style, name in _FONTS.items():
            self.add_font("Roboto", style, os.path.join(_FONT_DIR, name))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=14)
        self.set_title(title)
        self.set_creator("MotCua")
        self.printed = printed

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Roboto", "", 8)
        self.set_text_color(110)
        self.cell(0, 4, _("In lúc %(time)s") % {"time": f"{self.printed:%H:%M %d/%m/%Y}"})
        self.cell(0, 4, _("Trang %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="R")
        self.set_text_color(0)


def _pdf_table(pdf: _Report, table: ReportTable, counter: _Counter) -> None:
    pdf.add_page()
    pdf.set_font("Roboto", "B", 14)
    pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Roboto", "", 10)
    pdf.multi_cell(0, 6, table.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Roboto", "", 8.5)
    widths = [3.2 if column.kind == TEXT else 1 for column in table.columns]
    align = ["LEFT" if column.kind == TEXT else "RIGHT" for column in table.columns]
    with pdf.table(col_widths=widths, text_align=align, headings_style=FontFace(emphasis="BOLD", fill_color=(227, 238, 251)),
                   line_height=5) as grid:  # fmt: skip
        grid.row([column.label for column in table.columns])
        for row in table.rows:
            grid.row(table.texts(row))
            counter.row()
        if table.totals:
            grid.row(table.texts(table.totals), style=FontFace(emphasis="BOLD"))
            counter.row()
    pdf.set_font("Roboto", "I", 8.5)
    pdf.ln(2)
    for note in table.notes:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")


def tables_pdf(tables: Sequence[ReportTable], *, title: str, progress: Progress | None = None) -> bytes:
    """The tables as an A4 landscape PDF; `progress(done, total)` hears of the rows laid out."""
    pdf = _Report(title, to_local(timezone.now()))
    counter = _Counter(tables, progress)
    for table in tables:
        _pdf_table(pdf, table, counter)
    counter.finish()
    return bytes(pdf.output())


__all__ = ["tables_pdf", "tables_xlsx", "cell_text"]
