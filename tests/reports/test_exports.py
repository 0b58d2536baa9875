"""Report tables: the Vietnamese cell texts, and Excel / PDF files that hold the screen's figures."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from django.utils import translation
from openpyxl import load_workbook

from motcua.reports.exports import tables_pdf, tables_xlsx
from motcua.reports.tables import COUNT, MINUTES, RATE, TEXT, Column, ReportTable, cell_text


@pytest.fixture
def table() -> ReportTable:
    columns = [Column("agency", "Cơ quan", TEXT), Column("received", "Tiếp nhận", COUNT),
               Column("on_time", "Đúng hạn", RATE), Column("wait", "Chờ trung bình", MINUTES)]  # fmt: skip
    rows = [{"agency": "Sở Tư pháp", "received": 1204, "on_time": 0.935, "wait": 750},
            {"agency": "Sở Xây dựng", "received": 80, "on_time": None, "wait": 30}]  # fmt: skip
    return ReportTable("Tình hình giải quyết hồ sơ", columns, rows, subtitle="Quý 3/2026 · Cần Thơ",
                       totals={"agency": "Tổng cộng", "received": 1284, "on_time": 0.9, "wait": 4000},
                       notes=["Đúng hạn = sớm hạn + đúng hạn, trên số đã giải quyết."])  # fmt: skip


def test_cells_read_the_vietnamese_way():
    with translation.override("vi"):
        assert [cell_text(1204, COUNT), cell_text(0.935, RATE), cell_text(None, RATE)] == ["1.204", "93,5 %", "–"]
        assert [cell_text(30, MINUTES), cell_text(750, MINUTES), cell_text(4000, MINUTES)] == [
            "dưới 1 phút", "13 phút", "1 giờ 7 phút"]  # fmt: skip
    with translation.override("en"):
        assert cell_text(1204, COUNT) == "1,204" and cell_text(0.935, RATE) == "93.5 %"


def test_the_excel_file_keeps_numbers_as_numbers(table):
    with translation.override("vi"):
        book = load_workbook(io.BytesIO(tables_xlsx([table, table])))
    assert book.sheetnames == ["Tình hình giải quyết hồ sơ", "Tình hình giải quyết hồ sơ (2)"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Tình hình giải quyết hồ sơ" and sheet["A2"].value == "Quý 3/2026 · Cần Thơ"
    assert [c.value for c in sheet[4]] == ["Cơ quan", "Tiếp nhận", "Đúng hạn", "Chờ trung bình (phút)"]
    assert [c.value for c in sheet[5]] == ["Sở Tư pháp", 1204, 0.935, 12.5]
    assert sheet["C5"].number_format == "0.0%" and sheet["C6"].value is None
    assert [c.value for c in sheet[7]][:2] == ["Tổng cộng", 1284] and sheet["A7"].font.bold
    assert sheet["A8"].value.startswith("Đúng hạn =")


def test_the_pdf_prints_what_the_screen_shows(table):
    with translation.override("vi"):
        data = tables_pdf([table], title="Báo cáo")
    document = pypdfium2.PdfDocument(data)
    text = document[0].get_textpage().get_text_range()
    for expected in ("Tình hình giải quyết hồ sơ", "Sở Tư pháp", "1.204", "93,5 %", "13 phút", "Tổng cộng", "Trang 1/1"):
        assert expected in text, expected
