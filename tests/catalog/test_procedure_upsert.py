"""procedure_upsert / procedure_record_version: a version per real change, old versions readable."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from motcua.catalog.importing import catalog_import
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import procedure_record_version, procedure_upsert

from .factories import make_procedure, procedure_spec, seed_agencies, seed_centers

DATA = Path(__file__).parent / "data"


def test_creating_a_procedure_freezes_version_1(db):
    now = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

    procedure, version = procedure_upsert(spec=procedure_spec(), change_note="tạo", now=now)

    assert (version.number, version.created_at, version.change_note) == (1, now, "tạo")
    assert procedure.version == 1
    assert version.snapshot["fees"][0]["tiers"][1] == {"from_quantity": 3, "to_quantity": None, "unit_price": "1000"}
    assert procedure.search_name == "2.000815 chung thuc ban sao tu ban chinh giay to, van ban"


def test_the_same_spec_again_creates_no_version(db):
    make_procedure()

    _procedure, version = procedure_upsert(spec=procedure_spec())

    assert version is None
    assert ProcedureVersion.objects.count() == 1


def test_one_changed_field_makes_exactly_one_version_and_the_old_one_keeps_the_old_value(db):
    seed_agencies()
    seed_centers()
    catalog_import(file=DATA / "sample.csv")
    text = (DATA / "sample.csv").read_text(encoding="utf-8").replace("Đăng ký khai sinh", "Đăng ký khai sinh (sửa)")
    versions = ProcedureVersion.objects.count()

    report = catalog_import(file=io.BytesIO(text.encode()), filename="sample.csv")

    assert (report.updated, report.unchanged) == (1, 2)
    assert ProcedureVersion.objects.count() == versions + 1
    birth = Procedure.objects.get(code="1.001193")
    assert birth.version == 2
    old, new = birth.versions.order_by("number")
    assert (old.snapshot["name"], new.snapshot["name"]) == ("Đăng ký khai sinh", "Đăng ký khai sinh (sửa)")
    assert new.change_note == "Nhập từ tệp sample.csv"


def test_recording_after_a_live_edit_versions_it_once(django_user_model, db):
    procedure = make_procedure()
    editor = django_user_model.objects.create(username="bientap")
    procedure.documents.filter(name="Căn cước").update(show_only=False)

    first = procedure_record_version(procedure=procedure, actor=editor, change_note="bỏ xuất trình")
    second = procedure_record_version(procedure=procedure, actor=editor)

    assert (first.number, first.created_by, second) == (2, editor, None)
    assert procedure.versions.get(number=1).snapshot["documents"][1]["show_only"] is True
    assert first.snapshot["documents"][1]["show_only"] is False


@pytest.mark.parametrize("key", ["documents", "fees", "steps", "centers"])
def test_lists_left_out_of_the_spec_are_kept(db, key):
    seed_centers()
    full = procedure_spec(steps=[{"name": "Thẩm định", "agency": None}], centers=["cantho"])
    procedure_upsert(spec=full)
    before = ProcedureVersion.objects.get().snapshot
    partial = {name: value for name, value in full.items() if name != key}

    _procedure, version = procedure_upsert(spec=partial)

    assert version is None
    assert before[key] and ProcedureVersion.objects.get().snapshot == before
