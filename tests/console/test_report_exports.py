"""The export buttons of the report pages: a job, its progress page (HTML and JSON), the file
for its owner only, retry, and the audit trail."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.core.models import AuditLog
from motcua.reports.background import export_run
from motcua.reports.models import ReportExport
from tests.dossiers.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
MARCH = "?ky=thang&nam=2026&thang=3"
JOB = re.compile(r"^/console/bao-cao/tep/([0-9a-f-]{36})/$")
Status = ReportExport.Status


@pytest.fixture(autouse=True)
def _later_that_day_without_threads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": False}
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=2), tick=False):
        yield


@pytest.fixture
def agency_leader(organisation):
    from motcua.accounts.models import User

    return User.objects.get(username="lanhdao.khcn")


def click(client, url: str) -> ReportExport:
    """Press an export button: the answer is the job's progress page."""
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    found = JOB.match(response["Location"])
    assert found, response["Location"]
    return ReportExport.objects.get(pk=found.group(1))


def test_the_button_queues_a_job_and_shows_its_progress(client, leader, accepted, django_capture_on_commit_callbacks):
    client.force_login(leader)
    with django_capture_on_commit_callbacks() as started:
        job = click(client, f"/console/bao-cao/{MARCH}&nhom=agency&xuat=xlsx")
    assert len(started) == 1  # the job starts once the request's transaction commits
    assert (job.user, job.tab, job.kind, job.status) == (leader, "dossiers", "xlsx", Status.QUEUED)
    assert job.params == {"ky": "thang", "nam": "2026", "thang": "3", "nhom": "agency"}
    html = client.get(f"/console/bao-cao/tep/{job.pk}/").content.decode()
    assert "Xuất tệp Excel" in html and "Tháng 3/2026" in html and "Đang chờ đến lượt…" in html
    assert '<progress id="export-progress" max="100" value="0"' in html
    assert '<meta http-equiv="refresh"' in html  # without JavaScript the page refreshes itself
    assert 'href="/console/bao-cao/?ky=thang&amp;nam=2026&amp;thang=3&amp;nhom=agency"' in html  # back to the page
    assert 'data-testid="export-recent"' in html
    assert AuditLog.objects.filter(action="reports.export.requested", actor=leader, object_id=str(job.pk)).exists()


@pytest.mark.parametrize("tab", ["", "hang-doi/", "chi-so-766/"])
def test_every_report_page_exports_in_the_background(client, leader, accepted, tab):
    client.force_login(leader)
    job = click(client, f"/console/bao-cao/{tab}{MARCH}&xuat=pdf")
    assert export_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE
    download = client.get(f"/console/bao-cao/tep/{job.pk}/tai-ve/")
    assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content)[:4] == b"%PDF"


def test_the_json_form_follows_the_job(client, leader, accepted):
    client.force_login(leader)
    job = click(client, f"/console/bao-cao/chi-so-766/{MARCH}&xuat=xlsx")
    url = f"/console/bao-cao/tep/{job.pk}/?dang=json"
    state = client.get(url).json()
    assert state | {"title": ""} == {"status": "queued", "progress": 0, "step": "Đang chờ đến lượt…", "download_url": "",
                                     "error": "", "title": "", "status_label": "Đang chờ", "file": ""}  # fmt: skip
    export_run(job.pk)
    state = client.get(url).json()
    assert state["title"] == "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"  # the file names it
    assert (state["status"], state["progress"], state["step"], state["error"]) == ("done", 100, "Đã xong", "")
    assert state["download_url"] == f"/console/bao-cao/tep/{job.pk}/tai-ve/"
    assert re.fullmatch(r"chi-so-766-20260310-1000\.xlsx · [\d,.]+\sKB", state["file"]), state["file"]
    html = client.get(f"/console/bao-cao/tep/{job.pk}/").content.decode()
    assert 'data-testid="export-download"' in html and '<meta http-equiv="refresh"' not in html


def test_the_owner_downloads_the_file_and_it_is_audited(client, leader, accepted):
    client.force_login(leader)
    job = click(client, f"/console/bao-cao/{MARCH}&nhom=agency&xuat=xlsx")
    early = client.get(f"/console/bao-cao/tep/{job.pk}/tai-ve/")
    assert early.status_code == 302 and early["Location"] == f"/console/bao-cao/tep/{job.pk}/"
    export_run(job.pk)
    response = client.get(f"/console/bao-cao/tep/{job.pk}/tai-ve/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-ho-so-20260310-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows["Sở Khoa học và Công nghệ thành phố Cần Thơ"][1] == 1 and rows["Tổng cộng"][1] == 1
    logged = AuditLog.objects.get(action="reports.export.downloaded")
    assert logged.actor == leader and logged.object_id == str(job.pk) and logged.data["kind"] == "xlsx"


def test_another_leader_finds_nothing(client, leader, agency_leader, accepted):
    client.force_login(leader)
    job = click(client, f"/console/bao-cao/{MARCH}&xuat=xlsx")
    export_run(job.pk)
    client.force_login(agency_leader)
    for suffix in ("", "?dang=json", "tai-ve/"):
        assert client.get(f"/console/bao-cao/tep/{job.pk}/{suffix}").status_code == 404
    assert client.post(f"/console/bao-cao/tep/{job.pk}/").status_code == 404
    assert not AuditLog.objects.filter(action="reports.export.downloaded").exists()
    client.logout()
    response = client.get(f"/console/bao-cao/tep/{job.pk}/")
    assert response.status_code == 302 and "/console/dang-nhap/" in response["Location"]


def test_a_failed_export_says_why_and_can_be_tried_again(client, leader, accepted):
    client.force_login(leader)
    job = click(client, f"/console/bao-cao/{MARCH}&xuat=pdf")
    with mock.patch("motcua.reports.background.tables_pdf", side_effect=OSError("disk")):
        export_run(job.pk)
    html = client.get(f"/console/bao-cao/tep/{job.pk}/").content.decode()
    assert "Không xuất được tệp vì một lỗi của hệ thống" in html and "disk" not in html
    assert 'data-testid="export-retry"' in html
    response = client.post(f"/console/bao-cao/tep/{job.pk}/")
    again = ReportExport.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/console/bao-cao/tep/{again.pk}/"
    assert (again.tab, again.kind, again.params, again.status) == (job.tab, job.kind, job.params, Status.QUEUED)


def test_refusals_come_back_to_the_page_with_a_message(client, leader, reception_officer):
    client.force_login(leader)
    response = client.get(f"/console/bao-cao/hang-doi/{MARCH}&xuat=csv", follow=True)
    assert response.redirect_chain[-1][0] == f"/console/bao-cao/hang-doi/{MARCH}"
    assert "Chỉ xuất được tệp Excel hoặc PDF." in response.content.decode()
    for _ in range(5):
        click(client, f"/console/bao-cao/hang-doi/{MARCH}&xuat=xlsx")
    html = client.get(f"/console/bao-cao/hang-doi/{MARCH}&xuat=xlsx", follow=True).content.decode()
    assert "Bạn đang có 5 tệp chờ xuất" in html
    assert ReportExport.objects.count() == 5
    client.force_login(reception_officer)
    assert client.get(f"/console/bao-cao/{MARCH}&xuat=xlsx").status_code == 403
    assert client.head(f"/console/bao-cao/{MARCH}&xuat=xlsx").status_code in (200, 403)
    assert ReportExport.objects.count() == 5
