"""catalog_export writes what catalog_import reads: export → import changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from motcua.catalog.exporting import catalog_export
from motcua.catalog.importing import COLUMNS, catalog_import
from motcua.catalog.models import Procedure, ProcedureVersion

from .factories import make_procedure, seed_agencies, seed_centers

DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalog(db):
    seed_agencies()
    seed_centers()


def reimport(content: bytes, fmt: str):
    return catalog_import(file=io.BytesIO(content), filename=f"xuat.{fmt}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("source", ["sample.csv", "seed_procedures.csv"])
def test_export_then_import_changes_nothing(catalog, fmt, source):
    catalog_import(file=DATA / source)
    versions = ProcedureVersion.objects.count()

    report = reimport(catalog_export(fmt=fmt), fmt)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, Procedure.objects.count())
    assert ProcedureVersion.objects.count() == versions


def test_awkward_document_names_and_notes_survive_the_round_trip(catalog):
    documents = [
        {"name": "Giấy tờ A; kèm phụ lục [nếu có]", "originals": 1, "note": "ghi chú có \\ và ] và ;"},
        {"name": "Tờ khai (mẫu 01)", "plain_copies": 2, "show_only": True, "replaced_by": "civil_status"},
    ]
    make_procedure(documents=documents)

    report = reimport(catalog_export(fmt="csv"), "csv")

    assert (report.errors, report.unchanged) == ([], 1)


def test_csv_has_a_bom_the_documented_columns_and_readable_cells(catalog):
    catalog_import(file=DATA / "sample.csv")

    content = catalog_export(fmt="csv")

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    copy = next(row for row in rows if row["code"] == "2.000815")
    assert copy["documents"].startswith("Bản chính giấy tờ, văn bản (1/0/0); ")
    assert "[xuất trình] [csdl:population]" in copy["documents"]
    assert (copy["effective_date"], copy["same_day_cutoff"], copy["fee_vnd"]) == ("01/07/2025", "15:00", "")
    contract = next(row for row in rows if row["code"] == "2.001035")
    assert contract["fee_vnd"] == "50000"


def test_xlsx_sheet_is_named_and_keeps_codes_as_text(catalog):
    catalog_import(file=DATA / "sample.csv")

    sheet = load_workbook(io.BytesIO(catalog_export(fmt="xlsx"))).active

    assert sheet.title == "Thủ tục"
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet["A2"].value == "1.001193" and sheet["A2"].data_type == "s"


def test_export_can_be_limited_to_a_queryset(catalog):
    catalog_import(file=DATA / "sample.csv")

    content = catalog_export(queryset=Procedure.objects.filter(code="2.001035"), fmt="csv")

    assert [row["code"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))] == ["2.001035"]
