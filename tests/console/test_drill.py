"""The drill-down page: the dossiers behind a figure of the dossier dashboard, as many as the
figure, 50 a page; bad addresses told in Vietnamese; other units' dossiers never shown; each
view and export audited; the Excel file holds every row."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from openpyxl import load_workbook

from tests.reports.history import DAYS, NOW, TODAY, make_history

pytestmark = pytest.mark.django_db
MARCH = "ky=thang&nam=2026&thang=3"
URL = "/console/bao-cao/ho-so-chi-tiet/"


@pytest.fixture
def history(organisation, settings, tmp_path):
    from motcua.reports.facts import rollup_days

    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": False}
    world = make_history(11)
    rollup_days([TODAY - timedelta(days=DAYS + 1) + timedelta(days=i) for i in range(DAYS - 1)], again=True, now=NOW)
    with time_machine.travel(NOW, tick=False):
        yield world


def _user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def _get(client, query: str, status: int = 200) -> str:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == status, (response.status_code, query)
    return response.content.decode()


def _count(html: str) -> int:
    return int(re.search(r'data-testid="drill-count">([\d.]+)<', html).group(1).replace(".", ""))


def _figures(user, group_by=None):
    from motcua.reports.figures import dossier_figures
    from motcua.reports.periods import Period

    return dossier_figures(Period.month(2026, 3), scope=user, group_by=group_by)


def test_every_link_of_the_dashboard_opens_as_many_dossiers_as_its_figure(client, history):
    admin = _user("admin")
    client.force_login(admin)
    html = client.get(f"/console/bao-cao/?{MARCH}&nhom=agency").content.decode()
    links = re.findall(r'<a class="r-drill" href="([^"]+)" aria-label="([^"]+)"[^>]*>([\d.]+)</a>', html)
    assert len(links) > 20
    for href, label, text in links:
        assert label.startswith(f"Xem {text} hồ sơ")
        page = client.get(unescape(href)).content.decode()
        assert _count(page) == int(text.replace(".", "")), href
    assert "Xem" in html and 'href="/console/bao-cao/ho-so-chi-tiet/?ky=thang' in html  # the KPI cards too
    late = next(row for row in _figures(admin, "agency") if row["resolved_late"])
    html = _get(client, f"{MARCH}&chi-so=resolved_late&nhom=agency&ma={late.key}")
    assert f"Hồ sơ trễ hạn · {late.label}" in html and _count(html) == late["resolved_late"]
    assert f'href="/console/bao-cao/?{MARCH}&nhom=agency"' in unescape(html)  # back to the same grouping


def test_the_list_is_paged_fifty_a_page(client, history):
    admin = _user("admin")
    client.force_login(admin)
    total = _figures(admin)[0]["received"]
    assert total > 100
    first = _get(client, f"{MARCH}&chi-so=received")
    assert first.count('data-testid="drill-dossier"') == 50
    assert 'aria-label="Phân trang"' in first and "Sau" in first and "page=2" in first
    last_page = (total + 49) // 50
    last = _get(client, f"{MARCH}&chi-so=received&page={last_page}")
    assert last.count('data-testid="drill-dossier"') == total - 50 * (last_page - 1)
    beyond = _get(client, f"{MARCH}&chi-so=received&page=999")
    assert beyond.count('data-testid="drill-dossier"') == total - 50 * (last_page - 1)
    assert "Trạng thái" in first and "Hẹn trả" in first and "/console/ho-so/" in first


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("chi-so=rates", "Chỉ số không hợp lệ"),
        ("", "Chỉ số không hợp lệ"),
        ("chi-so=received&nhom=queue", "Cách nhóm không hợp lệ"),
        ("chi-so=received&nhom=agency&ma=abc", "Mã đơn vị không hợp lệ"),
        ("chi-so=received&nhom=agency&ma=999999", "Không tìm thấy cơ quan giải quyết có mã này"),
    ],
)
def test_bad_addresses_are_told_in_vietnamese(client, history, query, message):
    client.force_login(_user("admin"))
    html = _get(client, f"{MARCH}&{query}", status=400)
    assert message in html and 'data-testid="drill-back"' in html


def test_a_bad_period_falls_back_with_a_message(client, history):
    client.force_login(_user("admin"))
    html = _get(client, "ky=quy&quy=9&chi-so=received")
    assert "Khoảng thời gian không hợp lệ" in html and 'data-testid="drill-count"' in html


def test_another_centers_dossiers_are_refused(client, history):
    from motcua.core.models import Center

    leader = _user("lanhdao")  # leads Can Tho
    other = Center.objects.exclude(code="cantho").order_by("code")[0]
    client.force_login(leader)
    response = client.get(f"{URL}?{MARCH}&chi-so=received&nhom=center&ma={other.pk}")
    assert response.status_code == 403 and "không có quyền" in response.content.decode()
    html = _get(client, f"{MARCH}&chi-so=received")
    assert _count(html) == _figures(leader)[0]["received"]


def test_officers_without_a_leading_role_are_refused(client, history):
    client.force_login(_user("tiepnhan"))
    assert client.get(f"{URL}?{MARCH}&chi-so=received").status_code == 403


def test_each_view_is_audited(client, history):
    from motcua.core.models import AuditLog

    admin = _user("admin")
    client.force_login(admin)
    row = next(r for r in _figures(admin, "agency") if r["resolved"])
    _get(client, f"{MARCH}&chi-so=resolved&nhom=agency&ma={row.key}&page=2")
    entry = AuditLog.objects.get(action="reports.drill.viewed")
    assert entry.actor == admin
    assert entry.data["metric"] == "resolved" and entry.data["group"] == "agency"
    assert entry.data["key"] == str(row.key) and entry.data["count"] == row["resolved"]
    assert entry.data["period"] == {"ky": "thang", "nam": "2026", "thang": "3"}


def test_the_excel_export_holds_every_row_and_is_audited(client, history):
    from motcua.core.models import AuditLog
    from motcua.reports.background import export_run
    from motcua.reports.models import ReportExport

    admin = _user("admin")
    client.force_login(admin)
    row = next(r for r in _figures(admin, "center") if r["received"] > 50)
    response = client.get(f"{URL}?{MARCH}&chi-so=received&nhom=center&ma={row.key}&xuat=xlsx")
    assert response.status_code == 302
    job = ReportExport.objects.get(user=admin, tab="drill")
    assert export_run(job.pk) is True
    job.refresh_from_db()
    with job.file.open("rb") as data:
        sheet = load_workbook(io.BytesIO(data.read())).worksheets[0]
    assert sheet["A1"].value == f"Hồ sơ tiếp nhận · {row.label}"
    header = [cell.value for cell in sheet[4]]
    assert header[:3] == ["Mã hồ sơ", "Thủ tục", "Người nộp"]
    lines = [r for r in sheet.iter_rows(min_row=5, values_only=True) if str(r[1] or "").startswith("Thủ tục")]
    assert len(lines) == row["received"] > 50  # every row, not the screen's page
    entry = AuditLog.objects.get(action="reports.drill.exported")
    assert entry.data["export"] == "xlsx" and entry.data["count"] == row["received"]


def test_an_exported_list_longer_than_the_cap_says_it_was_cut(history, monkeypatch):
    from django.http import QueryDict

    from motcua.console import report_drill, report_registry
    from motcua.console.report_period import period_from
    from motcua.reports._scope import EVERYTHING

    monkeypatch.setattr(report_drill, "EXPORT_CAP", 10)
    chosen = period_from(QueryDict(MARCH), today=TODAY)
    table = report_registry.tables_for("drill", EVERYTHING, chosen, QueryDict(f"{MARCH}&chi-so=received"))[0]
    assert len(table.rows) == 10
    assert any("tệp chỉ ghi 10 hồ sơ đầu tiên" in note for note in table.notes)


def test_the_pdf_export_prints_the_list(client, history):
    import pypdfium2

    from motcua.reports.background import export_run
    from motcua.reports.models import ReportExport

    admin = _user("admin")
    client.force_login(admin)
    assert client.get(f"{URL}?{MARCH}&chi-so=resolved_late&xuat=pdf").status_code == 302
    job = ReportExport.objects.get(user=admin, tab="drill")
    export_run(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as data:
        text = pypdfium2.PdfDocument(data.read())[0].get_textpage().get_text_range()
    assert "Hồ sơ trễ hạn" in text and "Tháng 3/2026" in text and "Người nộp" in text
