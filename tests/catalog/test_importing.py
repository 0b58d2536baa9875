"""catalog_import: every bad row reported, nothing written on error, good rows applied once."""

from __future__ import annotations

import io
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from motcua.catalog.importing import RowError, catalog_import
from motcua.catalog.models import Procedure, ProcedureStep, ProcedureVersion, Sector

from .factories import make_procedure, seed_agencies, seed_centers

DATA = Path(__file__).parent / "data"
HEADER = "code,name,agency,sector,time_value,time_unit,same_day_cutoff,fees_json,documents,centers,effective_date\n"


@pytest.fixture
def catalog(db):
    seed_agencies()
    seed_centers()


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("catalog").get_models()}


def run(text: str, **options):
    return catalog_import(file=io.BytesIO(text.encode()), filename="thu-tuc.csv", **options)


def test_sample_file_fills_every_column(catalog):
    report = catalog_import(file=DATA / "sample.csv")

    assert (report.created, report.updated, report.unchanged, report.errors, report.applied) == (3, 0, 0, [], True)
    copy = Procedure.objects.get(code="2.000815")
    assert (copy.agency.code, copy.sector.code, copy.online_level, copy.location_independent) == (
        "so-tu-phap", "chung-thuc", "partial", True,
    )  # fmt: skip
    assert (copy.time_unit, copy.same_day_cutoff, copy.effective_date) == ("same_day", time(15), date(2025, 7, 1))
    assert sorted(copy.centers.values_list("code", flat=True)) == ["cantho", "ninhkieu"]
    assert copy.legal_basis == "Nghị định 23/2015/NĐ-CP\nThông tư 226/2016/TT-BTC"
    documents = list(
        copy.documents.values_list("name", "originals", "plain_copies", "show_only", "replaced_by", "note")
    )
    assert documents == [
        ("Bản chính giấy tờ, văn bản", 1, 0, False, "", ""),
        ("Bản sao cần chứng thực", 0, 1, False, "", "mỗi bản một tờ; ghi rõ số trang"),
        ("Căn cước", 0, 0, True, "population", ""),
    ]
    fee = copy.fees.get()
    assert (fee.kind, fee.cap, [(t.from_quantity, t.to_quantity, t.unit_price) for t in fee.tiers.all()]) == (
        "tiered", Decimal(200000), [(1, 2, Decimal(2000)), (3, None, Decimal(1000))],
    )  # fmt: skip
    assert copy.versions.get().number == 1


def test_flat_fee_steps_and_agency_by_folded_short_name(catalog):
    catalog_import(file=DATA / "sample.csv")

    birth = Procedure.objects.get(code="1.001193")
    assert (birth.online_level, birth.fees.get().amount, birth.effective_date) == ("full", 0, date(2025, 7, 1))
    assert list(birth.steps.values_list("name", "agency__code", "time_value", "time_unit")) == [
        ("Tiếp nhận và kiểm tra", None, Decimal("0.5"), "working_hours"),
        ("Công chức tư pháp – hộ tịch giải quyết", "ubnd-xa", Decimal(1), "working_hours"),
    ]
    contract = Procedure.objects.get(code="2.001035")
    assert (contract.agency.code, contract.fees.get().amount, contract.code_verified) == ("ubnd-xa", 50000, False)


def test_shared_seed_file_imports_as_is_given_agency_aliases(catalog):
    report = catalog_import(file=DATA / "seed_procedures.csv")

    assert report.errors == []
    assert (report.created, report.applied) == (54, True)
    # `Commune PC; Justice dept (…)`: the first agency of a `;` list is the competent one.
    assert Procedure.objects.get(code="2.000815").agency.code == "ubnd-xa"
    assert Procedure.objects.get(code="1.014390").agency.code == "so-khcn"  # **Sở KH&CN Cần Thơ**
    assert not Procedure.objects.filter(time_unit="unknown").exists()
    assert Procedure.objects.filter(time_unit="none").count() == 8
    assert Sector.objects.filter(code="hoat-dong-khcn", name="Hoạt động KH&CN").exists()


def test_reimporting_the_same_file_changes_nothing(catalog):
    catalog_import(file=DATA / "sample.csv")
    versions = ProcedureVersion.objects.count()

    report = catalog_import(file=DATA / "sample.csv")

    assert (report.created, report.updated, report.unchanged, report.applied) == (0, 0, 3, True)
    assert ProcedureVersion.objects.count() == versions


BAD_ROWS = [
    # row 2 is good
    '2.000001,Thủ tục tốt,so-tu-phap,Chứng thực,2,working_days,,,Tờ khai (1/0/0),,01/07/2025',
    '2.000002,Đơn vị sai,so-tu-phap,Chứng thực,2,weeks,,,,,',
    '2.000003,Thời hạn chữ,so-tu-phap,Chứng thực,hai,working_days,,,,,',
    '2.000004,Giờ chốt sai,so-tu-phap,Chứng thực,0,same_day,25:00,,,,',
    '2.000005,Cơ quan lạ,Sở Không Tồn Tại,Chứng thực,2,working_days,,,,,',
    '2.000006,Phí hỏng,so-tu-phap,Chứng thực,2,working_days,,"[{""name"": ""Lệ phí"", ""amount"": 5",,,',
    '2.000007,Ngày sai,so-tu-phap,Chứng thực,2,working_days,,,,,31/02/2026',
    '2.000008,Số bản âm,so-tu-phap,Chứng thực,2,working_days,,,Tờ khai (-1/0/0),,',
    '2.000009,Trung tâm lạ,so-tu-phap,Chứng thực,2,working_days,,,,haugiang,',
    '2.000001,Mã trùng,so-tu-phap,Chứng thực,2,working_days,,,,,',
    '2.000011,Thiếu thời hạn,so-tu-phap,Chứng thực,,working_days,,,,,',
]  # fmt: skip
BAD_CELLS = {
    (3, "time_unit"), (4, "time_value"), (5, "same_day_cutoff"), (6, "agency"), (7, "fees_json"),
    (8, "effective_date"), (9, "documents"), (10, "centers"), (11, "code"), (12, "time_value"),
}  # fmt: skip


def test_bad_file_reports_every_bad_row_and_writes_nothing(catalog):
    make_procedure(code="2.000001", name="Tên cũ")
    before = table_counts()

    report = run(HEADER + "\n".join(BAD_ROWS))

    assert {(error.row, error.column) for error in report.errors} == BAD_CELLS
    assert all(error.message for error in report.errors)
    assert (report.applied, report.created, report.updated) == (False, 0, 0)
    assert table_counts() == before
    assert Procedure.objects.get(code="2.000001").name == "Tên cũ"


def test_skip_bad_rows_applies_only_the_good_rows(catalog):
    report = run(HEADER + "\n".join(BAD_ROWS), skip_bad_rows=True)

    assert (report.applied, report.created, report.skipped) == (True, 1, 10)
    assert list(Procedure.objects.values_list("code", "name")) == [("2.000001", "Thủ tục tốt")]
    assert len(report.errors) == len(BAD_CELLS)


def test_error_reads_like_a_spreadsheet_reference():
    assert str(RowError(12, "time_unit", "sai")) == "Dòng 12, cột time_unit: sai"
    assert str(RowError(0, "", "Tệp rỗng.")) == "Tệp: Tệp rỗng."


@pytest.mark.parametrize(
    ("content", "filename", "where"),
    [
        (b"code,name\n1,2\n", "catalog.txt", (0, "")),
        (b"PK\x03\x04 not really a workbook", "catalog.xlsx", (0, "")),
        ("code,name,agency,sector,time_unit\n1,Đăng,a,b,none\n".encode("cp1258"), "catalog.csv", (0, "")),
        (b"", "catalog.csv", (0, "")),
        (b"code,name,agency,sector,time_unit\n", "catalog.csv", (0, "")),
        (b"code,name,agency,time_unit\n1,x,so-tu-phap,none\n", "catalog.csv", (1, "sector")),
        (b"code,name,agency,sector,time_unit,fee\n1,x,so-tu-phap,s,none,5\n", "catalog.csv", (1, "fee")),
    ],
    ids=["extension", "corrupt-xlsx", "not-utf8", "empty", "header-only", "missing-column", "unknown-column"],
)
def test_unreadable_files_are_refused_with_a_reason(catalog, content, filename, where):
    report = catalog_import(file=io.BytesIO(content), filename=filename)

    assert [(error.row, error.column) for error in report.errors] == [where]
    assert not report.applied
    assert Procedure.objects.count() == 0


def test_dry_run_reports_what_would_change_and_writes_nothing(catalog):
    make_procedure(code="2.000815", agency="so-tu-phap")
    before = table_counts()

    report = catalog_import(file=DATA / "sample.csv", dry_run=True)

    assert (report.created, report.updated, report.applied) == (2, 1, False)
    assert [(o.code, o.action) for o in report.outcomes][:1] == [("2.000815", "updated")]
    assert table_counts() == before


def test_progress_is_reported_row_by_row(catalog):
    calls = []

    catalog_import(file=DATA / "sample.csv", progress=lambda done, total: calls.append((done, total)))

    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_columns_missing_from_the_file_keep_their_values(catalog):
    procedure = make_procedure(code="2.000001", steps=[{"name": "Thẩm định", "agency": None}])

    run("code,name,agency,sector,time_value,time_unit\n2.000001,Tên mới,so-tu-phap,Chứng thực,0,same_day\n")

    procedure.refresh_from_db()
    assert procedure.name == "Tên mới"
    assert list(ProcedureStep.objects.values_list("name", flat=True)) == ["Thẩm định"]
    assert procedure.documents.count() == 2 and procedure.fees.count() == 1


def test_agency_is_found_by_code_name_short_name_or_alias(catalog):
    rows = [
        "1,a,so-y-te,S,none", "2,b,SỞ Y TẾ THÀNH PHỐ CẦN THƠ,S,none", "3,c,so y te,S,none",
        "4,d,**Sở KH&CN  Cần Thơ**,S,none", "5,e,Sở NN&MT; Sở Y tế,S,none",
    ]  # fmt: skip

    report = run("code,name,agency,sector,time_unit\n" + "\n".join(rows))

    assert report.errors == []
    assert list(Procedure.objects.order_by("code").values_list("agency__code", flat=True)) == [
        "so-y-te", "so-y-te", "so-y-te", "so-khcn", "so-nn-mt",
    ]  # fmt: skip


def test_excel_dates_and_numbers_are_read_as_text(catalog):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "agency", "sector", "time_value", "time_unit", "same_day_cutoff", "effective_date"])
    sheet.append(["CT-1", "Thủ tục", "so-tu-phap", "Chứng thực", 10, "working_days", time(15), date(2026, 1, 2)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = catalog_import(file=io.BytesIO(buffer.getvalue()), filename="danh-muc.XLSX")

    assert report.errors == []
    procedure = Procedure.objects.get(code="CT-1")
    assert (procedure.time_value, procedure.same_day_cutoff, procedure.effective_date) == (
        10,
        time(15),
        date(2026, 1, 2),
    )
