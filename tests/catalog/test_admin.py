"""Catalog admin: import page, export, versions on every save, who may edit what."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.catalog.models import Agency, Procedure, ProcedureVersion
from motcua.core.models import Center

from .factories import make_procedure, seed_agencies, seed_centers

DATA = Path(__file__).parent / "data"
IMPORT_URL = "admin:catalog_procedure_import"


# (username, role, center code, agency code); no passwords: tests log in with force_login.
PEOPLE = [
    ("admin", Role.ADMINISTRATOR, None, None),
    ("lanhdao.tuphap", Role.AGENCY_LEADER, None, "so-tu-phap"),
    ("chuyenvien.tuphap", Role.AGENCY_OFFICER, None, "so-tu-phap"),
    ("tiepnhan", Role.RECEPTION_OFFICER, "cantho", None),
]


@pytest.fixture
def aliases(db):
    """Agencies (one merged away in 2025), centers, and one officer per kind of access."""
    seed_agencies()
    seed_centers()
    Agency.objects.create(code="so-khdt", name="Sở Kế hoạch và Đầu tư", valid_to=date(2025, 2, 28))
    for username, role, center, agency in PEOPLE:
        user = User.objects.create(username=username, is_staff=True, is_superuser=role == Role.ADMINISTRATOR)
        RoleAssignment.objects.create(
            user=user, role=role, center=Center.objects.filter(code=center).first(),
            agency=Agency.objects.filter(code=agency).first(),
        )  # fmt: skip


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("catalog").get_models()}


def logged_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def change_url(procedure: Procedure) -> str:
    return reverse("admin:catalog_procedure_change", args=[procedure.pk])


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def form_data(response) -> dict[str, Any]:
    """What the browser would post back unchanged: the main form and every inline's existing rows."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not False and value is not True:
            data[name] = _value(value)
        elif value:
            data[name] = "on"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[management.add_prefix("TOTAL_FORMS")] = str(formset.initial_form_count())
        for sub in formset.initial_forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is True:
                    data[sub.add_prefix(name)] = "on"
                elif value is not False:
                    data[sub.add_prefix(name)] = _value(value)
    return data


def test_import_page_applies_a_good_file(client, aliases):
    upload = SimpleUploadedFile("danh-muc.csv", (DATA / "sample.csv").read_bytes())

    response = logged_in(client, "admin").post(reverse(IMPORT_URL), {"file": upload})

    assert response.status_code == 200
    assert response.context["report"].created == 3
    assert Procedure.objects.count() == 3
    assert Procedure.objects.get(code="2.000815").versions.get().created_by.username == "admin"


def test_import_page_lists_every_bad_row_and_writes_nothing(client, aliases):
    make_procedure(code="9.999999", agency="so-tu-phap")
    before = table_counts()
    bad = b"code,name,agency,sector,time_value,time_unit\n1.1,A,so-tu-phap,S,2,weeks\n1.2,B,nobody,S,2,working_days\n"

    response = logged_in(client, "admin").post(
        reverse(IMPORT_URL), {"file": SimpleUploadedFile("x.csv", bad), "skip_bad_rows": ""}
    )

    content = response.content.decode()
    assert "Dòng 2, cột time_unit" in content and "Dòng 3, cột agency" in content
    assert "chưa ghi gì" in content
    assert table_counts() == before


def test_import_dry_run_previews_without_writing(client, aliases):
    upload = SimpleUploadedFile("danh-muc.csv", (DATA / "sample.csv").read_bytes())

    response = logged_in(client, "admin").post(reverse(IMPORT_URL), {"file": upload, "dry_run": "on"})

    assert response.context["report"].created == 3
    assert "Kết quả chạy thử" in response.content.decode()
    assert Procedure.objects.count() == 0


def test_only_province_administrators_may_import(client, aliases):
    response = logged_in(client, "lanhdao.tuphap").get(reverse(IMPORT_URL))

    assert response.status_code == 403


def test_export_downloads_the_catalog_for_any_staff(client, aliases):
    make_procedure(agency="so-tu-phap")

    response = logged_in(client, "tiepnhan").get(reverse("admin:catalog_procedure_export", args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    assert b"2.000815" in response.content


def test_an_admin_edit_creates_the_next_version(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    client = logged_in(client, "admin")
    data = form_data(client.get(change_url(procedure)))

    response = client.post(change_url(procedure), data | {"name": "Tên mới", "change_note": "đổi tên"})

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    latest = procedure.versions.order_by("-number").first()
    assert (latest.number, latest.change_note, latest.created_by.username) == (2, "đổi tên", "admin")
    assert latest.snapshot["name"] == "Tên mới"
    assert procedure.versions.get(number=1).snapshot["name"] != "Tên mới"


def test_an_inline_edit_creates_a_version_with_an_automatic_note(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    client = logged_in(client, "admin")
    data = form_data(client.get(change_url(procedure)))

    client.post(change_url(procedure), data | {"documents-0-originals": "2"})

    latest = procedure.versions.order_by("-number").first()
    assert latest.number == 2 and "thành phần hồ sơ" in latest.change_note
    assert latest.snapshot["documents"][0]["originals"] == 2


def test_saving_without_changes_creates_no_version(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    client = logged_in(client, "admin")
    data = form_data(client.get(change_url(procedure)))

    response = client.post(change_url(procedure), data)

    assert response.status_code == 302
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 1


def test_change_page_lists_versions_and_an_old_version_is_readable(client, aliases):
    procedure = make_procedure(agency="so-tu-phap", name="Tên cũ")
    make_procedure(agency="so-tu-phap", name="Tên mới")
    client = logged_in(client, "tiepnhan")

    page = client.get(change_url(procedure)).content.decode()
    old = client.get(reverse("admin:catalog_procedure_version", args=[procedure.pk, 1])).content.decode()

    assert "Lịch sử phiên bản" in page and "Phiên bản 2" in page
    assert "Tên cũ" in old and "Đây là bản cũ" in old
    assert "2.000 đ/trang (trang 1–2)" in old and "CSDL quốc gia về dân cư" in old


def test_an_agency_leader_edits_own_agency_procedures_only(client, aliases):
    own = make_procedure(code="1.000001", agency="so-tu-phap")
    other = make_procedure(code="1.000002", agency="so-khcn", name="Thủ tục KH&CN")
    client = logged_in(client, "lanhdao.tuphap")
    own_data = form_data(client.get(change_url(own)))

    assert client.post(change_url(own), own_data | {"name": "Sửa bởi lãnh đạo"}).status_code == 302
    page = client.get(change_url(other))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    forged = own_data | {"code": other.code, "agency": str(other.agency_id), "name": "Chiếm quyền"}
    assert client.post(change_url(other), forged).status_code == 403
    other.refresh_from_db()
    assert other.name == "Thủ tục KH&CN" and other.versions.count() == 1


def test_staff_without_an_editing_role_only_view(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    client = logged_in(client, "chuyenvien.tuphap")

    assert client.get(reverse("admin:catalog_procedure_changelist")).status_code == 200
    assert client.post(change_url(procedure), {"name": "x"}).status_code == 403


def test_editing_fee_tiers_versions_the_procedure(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    fee = procedure.fees.get()
    client = logged_in(client, "admin")
    url = reverse("admin:catalog_fee_change", args=[fee.pk])
    data = form_data(client.get(url))

    response = client.post(url, data | {"tiers-1-unit_price": "1500"})

    assert response.status_code == 302
    latest = procedure.versions.order_by("-number").first()
    assert latest.number == 2 and latest.snapshot["fees"][0]["tiers"][1]["unit_price"] == "1500"


def test_search_matches_names_typed_without_accents(client, aliases):
    make_procedure(agency="so-tu-phap")

    response = logged_in(client, "admin").get(
        reverse("admin:catalog_procedure_changelist"), {"q": "chung thuc ban sao"}
    )

    assert response.context["cl"].result_count == 1


def test_agency_list_filters_agencies_in_force(client, aliases):
    response = logged_in(client, "admin").get(reverse("admin:catalog_agency_changelist"), {"hieu_luc": "no"})

    codes = {agency.code for agency in response.context["cl"].result_list}
    assert "so-khdt" in codes and "so-tu-phap" not in codes


def test_catalog_pages_render_for_the_admin(client, aliases):
    procedure = make_procedure(agency="so-tu-phap")
    client = logged_in(client, "admin")

    for url in [
        reverse("admin:catalog_procedure_changelist"), reverse("admin:catalog_procedure_add"), change_url(procedure),
        reverse(IMPORT_URL), reverse("admin:catalog_agency_changelist"), reverse("admin:catalog_sector_changelist"),
        reverse("admin:catalog_fee_changelist"), reverse("admin:catalog_procedure_export", args=["xlsx"]),
    ]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_export_action_exports_the_selected_procedures(client, aliases):
    first = make_procedure(code="1.000001", agency="so-tu-phap")
    make_procedure(code="1.000002", agency="so-tu-phap")

    response = logged_in(client, "admin").post(
        reverse("admin:catalog_procedure_changelist"), {"action": "export_csv", "_selected_action": [first.pk]}
    )

    lines = io.StringIO(response.content.decode("utf-8-sig")).read().splitlines()
    assert len(lines) == 2 and lines[1].startswith("1.000001,")


def test_an_agency_leader_cannot_attach_a_fee_to_another_agency(client, aliases):
    own = make_procedure(code="1.000001", agency="so-tu-phap")
    other = make_procedure(code="1.000002", agency="so-khcn")
    client = logged_in(client, "lanhdao.tuphap")
    url = reverse("admin:catalog_fee_change", args=[own.fees.get().pk])
    data = form_data(client.get(url))

    response = client.post(url, data | {"procedure": str(other.pk)})

    assert response.status_code == 200 and "procedure" in response.context["adminform"].form.errors
    assert other.fees.count() == 1 and own.fees.count() == 1
