"""The leaders' dashboards: who may open them, the figures on screen, and exports holding them."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdfium2
import pytest
import time_machine
from openpyxl import load_workbook

from tests.dossiers.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
MARCH = "?ky=thang&nam=2026&thang=3"


@pytest.fixture(autouse=True)
def _later_that_day():
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=2), tick=False):
        yield


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_officers_without_a_leading_role_are_refused(client, reception_officer, agency_officer):
    for user in (reception_officer, agency_officer):
        client.force_login(user)
        response = client.get("/console/bao-cao/")
        assert response.status_code == 403 and "dành cho lãnh đạo" in response.content.decode()
        assert "reports-link" not in client.get("/console/").content.decode()


def test_the_center_leader_sees_the_dossier_received_today(client, leader, accepted):
    client.force_login(leader)
    html = page(client, "/console/bao-cao/" + MARCH)
    assert "Tháng 3/2026" in html and 'data-testid="kpi-received">1<' in html
    table = html[html.index('data-testid="report-table"') :]
    assert "Sở Khoa học và Công nghệ" in table
    assert 'data-testid="reports-link"' in html


@pytest.mark.parametrize("tab", ["", "hang-doi/", "chi-so-766/", "bo-tri-quay/"])
@pytest.mark.parametrize("period", ["?ky=quy&nam=2026&quy=1", "?ky=nam&nam=2026", "?ky=khoang&tu=01/03/2026&den=10/03/2026",
                                    "?ky=6-thang&nam=2025", "?ky=quy&quy=9"])  # fmt: skip
def test_every_dashboard_opens_for_every_period(client, leader, accepted, tab, period):
    client.force_login(leader)
    html = page(client, f"/console/bao-cao/{tab}{period}")
    assert "<svg class=\"chart" in html or "bo-tri-quay" in tab
    if "quy=9" in period:
        assert "Khoảng thời gian không hợp lệ" in html


@pytest.mark.parametrize("group", ["agency", "sector", "procedure", "center", "officer", "nonsense"])
def test_every_grouping(client, leader, accepted, group):
    client.force_login(leader)
    html = page(client, f"/console/bao-cao/{MARCH}&nhom={group}")
    assert 'data-testid="report-table"' in html


def exported(client, url: str) -> bytes:
    """Press an export button, let the background job run, and download its file."""
    from motcua.reports.background import export_run

    response = client.get(url)
    assert response.status_code == 302 and "/console/bao-cao/tep/" in response["Location"]
    job = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert export_run(job)
    download = client.get(f"/console/bao-cao/tep/{job}/tai-ve/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    return b"".join(download.streaming_content)


@pytest.fixture
def _exports_in_a_test_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": False}


@pytest.mark.usefixtures("_exports_in_a_test_folder")
def test_the_excel_export_holds_the_screens_figures(client, leader, accepted):
    client.force_login(leader)
    content = exported(client, f"/console/bao-cao/{MARCH}&nhom=agency&xuat=xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value.startswith("Tháng 3/2026")
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows["Sở Khoa học và Công nghệ thành phố Cần Thơ"][1] == 1
    assert rows["Tổng cộng"][1] == 1


@pytest.mark.usefixtures("_exports_in_a_test_folder")
def test_the_pdf_export_prints_the_screens_texts(client, leader, accepted):
    client.force_login(leader)
    content = exported(client, f"/console/bao-cao/chi-so-766/{MARCH}&xuat=pdf")
    text = pypdfium2.PdfDocument(content)[0].get_textpage().get_text_range()
    assert "Quyết định 766" in text and "Tháng 3/2026" in text


def test_staffing_advice_names_the_center_and_the_target(client, leader, accepted):
    from datetime import date

    from tests.queueing.conftest import make_counter, make_queue
    from tests.reports.test_staffing import served_ticket

    queue = make_queue(accepted.receiving_center, "b", name="Tư pháp", prefix="B")
    counter = make_counter(accepted.receiving_center, 9, [queue])
    for number in range(1, 11):
        served_ticket(queue, counter, date(2026, 3, 3), number, minute=number * 5)
    client.force_login(leader)
    html = page(client, "/console/bao-cao/bo-tri-quay/?ky=thang&nam=2026&thang=3&ty-le=80&phut=15")
    section = html[html.index('data-testid="staffing-b"') :]
    assert "80 % công dân được gọi trong vòng 15 phút" in html
    assert "10,0" in section and "r-short" in section  # ten an hour at 8, one counter where two are needed
    silly = page(client, "/console/bao-cao/bo-tri-quay/?ky=thang&nam=2026&thang=3&ty-le=abc&phut=999")
    assert "80 % công dân được gọi trong vòng 15 phút" in silly
