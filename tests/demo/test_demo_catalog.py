"""The bundled Can Tho demo catalog imports cleanly and reads like a real kiosk catalog."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from motcua.catalog.fees import fee_amount
from motcua.catalog.importing import catalog_import
from motcua.catalog.models import Procedure, ProcedureVersion, RequiredDocument
from motcua.demo.catalog import DATA_FILE, DemoCatalogError, load_demo_catalog

VIETNAMESE_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


@pytest.fixture
def loaded(organisation):
    return load_demo_catalog()


def test_demo_file_imports_without_errors(organisation):
    report = catalog_import(file=DATA_FILE)

    assert report.errors == []
    assert report.applied
    assert report.created == 54


def test_load_reports_54_new_procedures(loaded):
    assert loaded == "54 thủ tục (54 mới, 0 cập nhật, 0 không đổi)"
    assert Procedure.objects.count() == 54
    assert ProcedureVersion.objects.count() == 54


def test_loading_twice_changes_nothing(loaded):
    versions = ProcedureVersion.objects.count()

    again = load_demo_catalog()

    assert again == "54 thủ tục (0 mới, 0 cập nhật, 54 không đổi)"
    assert ProcedureVersion.objects.count() == versions
    assert set(Procedure.objects.values_list("version", flat=True)) == {1}


def test_every_procedure_has_documents_and_a_vietnamese_name(loaded):
    for procedure in Procedure.objects.all():
        assert procedure.documents.exists(), procedure.code
        assert VIETNAMESE_LETTERS & set(procedure.name.lower()), procedure.code


def test_certified_copy_fee_is_tiered_per_page(loaded):
    fee = Procedure.objects.get(code="2.000815").fees.get()

    assert fee_amount(fee, 1) == Decimal(2000)
    assert fee_amount(fee, 3) == Decimal(5000)
    assert fee_amount(fee, 500) == Decimal(200000)


def test_step_allowances_fit_within_the_legal_time(loaded):
    with_steps = Procedure.objects.filter(steps__isnull=False).distinct().prefetch_related("steps")

    assert with_steps.count() >= 15
    for procedure in with_steps:
        steps = list(procedure.steps.all())
        assert {step.time_unit for step in steps} == {procedure.time_unit}, procedure.code
        assert sum(step.time_value for step in steps) <= procedure.time_value, procedure.code


def test_inter_agency_birth_package_passes_commune_police_and_insurance(loaded):
    procedure = Procedure.objects.get(code="2.000986")

    agencies = [step.agency.code for step in procedure.steps.select_related("agency")]

    assert agencies[:3] == ["ubnd-xa", "cong-an", "bhxh"]


def test_id_card_is_shown_not_handed_in_and_comes_from_the_population_database(loaded):
    document = RequiredDocument.objects.get(procedure__code="1.001193", name="Giấy tờ tùy thân của người đi đăng ký")

    assert document.show_only
    assert document.replaced_by == "population"
    assert (document.originals, document.certified_copies, document.plain_copies) == (0, 0, 0)


def test_location_independent_procedures_are_received_at_every_center(loaded):
    for procedure in Procedure.objects.filter(location_independent=True):
        assert set(procedure.centers.values_list("code", flat=True)) == {"cantho", "ninhkieu", "cairang"}
    assert (
        Procedure.objects.filter(location_independent=True, sector__name="Hoạt động khoa học và công nghệ").count() == 4
    )


def test_unknown_time_is_imported_as_no_fixed_time(loaded):
    assert Procedure.objects.get(code="2.001958").time_unit == "none"


def test_agencies_are_found_by_their_aliases(organisation, tmp_path):
    rows = list(csv.DictReader(DATA_FILE.open(encoding="utf-8")))[:1]
    rows[0]["agency"] = "UBND phường"
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    report = catalog_import(file=path)

    assert report.errors == []
    assert Procedure.objects.get(code=rows[0]["code"]).agency.code == "ubnd-xa"


def test_a_broken_demo_file_is_refused_with_the_bad_rows(organisation, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "code,name,agency,sector,time_unit\n9.999999,Thủ tục thử,khong-co,Chứng thực,same_day\n", encoding="utf-8"
    )

    with pytest.raises(DemoCatalogError, match="Dòng 2, cột agency"):
        load_demo_catalog(path)
    assert not Procedure.objects.exists()
