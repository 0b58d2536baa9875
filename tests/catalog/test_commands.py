"""manage.py catalog_import / catalog_export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import Procedure

from .factories import seed_agencies, seed_centers

DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalog(db):
    seed_agencies()
    seed_centers()


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_shows_progress_and_a_summary(catalog):
    out, err = run("catalog_import", str(DATA / "sample.csv"))

    assert "Thêm mới 3, cập nhật 0, không đổi 0, bỏ qua 0; 0 lỗi." in out
    assert "3/3" in err
    assert Procedure.objects.count() == 3


def test_import_of_a_bad_file_lists_rows_and_fails(catalog, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,agency,sector,time_value,time_unit\n1.1,A,so-tu-phap,S,2,weeks\n", encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("catalog_import", str(bad), stdout=out, stderr=io.StringIO())

    assert "Dòng 2, cột time_unit: " in out.getvalue()
    assert Procedure.objects.count() == 0


def test_dry_run_writes_nothing_and_succeeds(catalog):
    out, _err = run("catalog_import", str(DATA / "sample.csv"), "--dry-run")

    assert "Chạy thử" in out
    assert Procedure.objects.count() == 0


def test_skip_bad_rows_applies_the_rest(catalog, tmp_path):
    mixed = tmp_path / "mixed.xlsx"
    text = (
        "code,name,agency,sector,time_value,time_unit\n1.1,A,so-tu-phap,S,2,weeks\n1.2,B,so-tu-phap,S,2,working_days\n"
    )
    _to_xlsx(text, mixed)

    out, _err = run("catalog_import", str(mixed), "--skip-bad-rows")

    assert "bỏ qua 1" in out and "Dòng 2, cột time_unit" in out
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.2"]


def test_export_then_import_round_trips(catalog, tmp_path):
    run("catalog_import", str(DATA / "sample.csv"))
    target = tmp_path / "catalog.xlsx"

    out, _err = run("catalog_export", str(target))
    again, _err = run("catalog_import", str(target))

    assert "Đã xuất 3 thủ tục" in out
    assert "Thêm mới 0, cập nhật 0, không đổi 3" in again


def test_export_refuses_an_unknown_extension(catalog, tmp_path):
    with pytest.raises(CommandError):
        run("catalog_export", str(tmp_path / "catalog.txt"))


def test_missing_file_is_a_clear_error(catalog, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("catalog_import", str(tmp_path / "none.csv"))


def _to_xlsx(text: str, path: Path) -> None:
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    for row in csv.reader(io.StringIO(text)):
        workbook.active.append(row)
    workbook.save(path)
