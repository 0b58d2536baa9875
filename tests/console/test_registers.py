"""The periodic upward report and the apology register pages: who may open them, the figures on
screen and in the files, the audit of the register's personal data, and bad addresses."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdfium2
import pytest
import time_machine
from openpyxl import load_workbook

from motcua.core.models import AuditLog
from motcua.reports.facts import rollup_days
from tests.dossiers.conftest import local
from tests.dossiers.test_late import apologise, processing

pytestmark = pytest.mark.django_db
# Friday 20/03/2026 10:00: the dossier accepted on 10/03 is late (due 24/03 → apologised on 16/03).
NOW = local(2026, 3, 20, 10, 0)
MARCH = "?ky=thang&nam=2026&thang=3"
UPWARD = "/console/bao-cao/dinh-ky/"
APOLOGIES = "/console/bao-cao/van-ban-xin-loi/"


@pytest.fixture
def apologised(accepted, khcn_leader):
    """The accepted dossier in processing at the Department of Science, with one apology letter."""
    letter = apologise(khcn_leader, processing(accepted))
    with time_machine.travel(NOW, tick=False):
        rollup_days([date(2026, 3, 1) + timedelta(days=i) for i in range(19)], again=True, now=NOW)
        yield letter


@pytest.fixture(autouse=True)
def _exports_in_a_test_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": False}


def exported(client, url: str, file_name: str) -> bytes:
    """Press an export button, let the background job run, and download its file."""
    from motcua.reports.background import export_run

    response = client.get(url)
    assert response.status_code == 302 and "/console/bao-cao/tep/" in response["Location"]
    job = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert export_run(job)
    download = client.get(f"/console/bao-cao/tep/{job}/tai-ve/")
    assert download.status_code == 200 and f'filename="{file_name}-' in download["Content-Disposition"]
    return b"".join(download.streaming_content)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("url", [UPWARD, APOLOGIES])
def test_a_plain_officer_is_refused(client, reception_officer, agency_officer, url):
    for officer in (reception_officer, agency_officer):
        client.force_login(officer)
        response = client.get(url + MARCH)
        assert response.status_code == 403 and "dành cho lãnh đạo" in response.content.decode()


def test_the_upward_form_shows_the_month(client, leader, apologised):
    client.force_login(leader)
    html = page(client, UPWARD + MARCH)
    assert "Báo cáo tình hình, kết quả giải quyết thủ tục hành chính" in html and "Tháng 3/2026" in html
    assert 'data-testid="balance-received">1<' in html
    table = html[html.index('data-testid="upward-table"') :]
    assert "Kỳ trước chuyển qua" in table and "Mới tiếp nhận trực tuyến" in table and "Rút/dừng" in table
    assert "Sở Khoa học và Công nghệ" in table and 'data-testid="upward-total"' in table
    assert "Đã giải quyết + Đang giải quyết + Rút/dừng" in html  # the balance rule under the table
    assert 'aria-current="page">Báo cáo định kỳ<' in html


def test_the_upward_excel_holds_the_screens_figures(client, leader, apologised):
    client.force_login(leader)
    sheet = load_workbook(io.BytesIO(exported(client, UPWARD + MARCH + "&xuat=xlsx", "bao-cao-dinh-ky"))).worksheets[0]
    header = [cell.value for cell in sheet[4]]
    assert "Nhận giải quyết – Tổng số" in header and "Đã giải quyết – Quá hạn" in header
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]
    }
    total = rows["Tổng cộng"]
    assert total["Nhận giải quyết – Tổng số"] == 1 and total["Nhận giải quyết – Kỳ trước chuyển qua"] == 0
    assert total["Đang giải quyết – Tổng số"] == 1 and total["Rút/dừng"] == 0
    assert (
        rows["Sở Khoa học và Công nghệ thành phố Cần Thơ"]["Nhận giải quyết – Mới tiếp nhận trực tiếp, bưu chính"] == 1
    )


def test_the_upward_pdf_opens(client, leader, apologised):
    client.force_login(leader)
    content = exported(client, UPWARD + MARCH + "&xuat=pdf", "bao-cao-dinh-ky")
    text = pypdfium2.PdfDocument(content)[0].get_textpage().get_text_range()
    assert "Báo cáo tình hình, kết quả giải quyết" in text and "Tháng 3/2026" in text


def test_the_apology_register_lists_the_letter_and_audits_the_read(client, leader, apologised):
    client.force_login(leader)
    html = page(client, APOLOGIES + MARCH)
    row = html[html.index('data-testid="apology-row"') :]
    dossier = apologised.dossier
    assert dossier.code in row and f"/console/ho-so/{dossier.pk}/" in row and "Nguyễn Thị Ánh" in row
    assert "Chờ ý kiến của cơ quan phối hợp" in row and "08:00 24/03/2026" in row and "08:00 31/03/2026" in row
    assert "16/03/2026" in row and "Chưa có kết quả" in row
    assert 'data-testid="apology-total">1<' in html and 'data-testid="apology-summary"' in html
    log = AuditLog.objects.get(action="reports.apologies.viewed")
    assert log.actor == leader and log.data == {"start": "2026-03-01", "end": "2026-03-31", "rows": 1}


def test_the_apology_excel_holds_the_register_and_is_audited(client, leader, apologised):
    client.force_login(leader)
    content = exported(client, APOLOGIES + MARCH + "&xuat=xlsx", "so-van-ban-xin-loi")
    summary, register = load_workbook(io.BytesIO(content)).worksheets
    counts = {row[0]: row[1] for row in summary.iter_rows(min_row=5, values_only=True) if row[0]}
    assert counts["Sở Khoa học và Công nghệ thành phố Cần Thơ"] == 1 and counts["Tổng cộng"] == 1
    header = [cell.value for cell in register[4]]
    line = dict(zip(header, next(register.iter_rows(min_row=5, max_row=5, values_only=True)), strict=True))
    assert line["Mã hồ sơ"] == apologised.dossier.code and line["Người nộp"] == "Nguyễn Thị Ánh"
    assert line["Lần"] == 1 and line["Kết quả"] == "Chưa có kết quả"
    asked = AuditLog.objects.get(action="reports.export.requested")
    assert asked.actor == leader and asked.data["tab"] == "apologies" and asked.data["kind"] == "xlsx"
    assert AuditLog.objects.filter(action="reports.export.downloaded", actor=leader).count() == 1


def test_the_result_against_the_new_appointment(client, leader, apologised):
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=apologised.dossier_id).update(status=9, result_ready_at=local(2026, 3, 30, 9, 0))
    client.force_login(leader)
    assert "Trả đúng hẹn mới" in page(client, APOLOGIES + MARCH)
    Dossier.objects.filter(pk=apologised.dossier_id).update(result_ready_at=local(2026, 3, 31, 9, 0))
    assert "Trả sau hẹn mới" in page(client, APOLOGIES + MARCH)


def test_letters_outside_the_scope_or_the_period_are_not_listed(client, apologised, organisation):
    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="lanhdao.khcn"))  # the letter's agency
    assert 'data-testid="apology-row"' in page(client, APOLOGIES + MARCH)
    assert 'data-testid="apology-row"' not in page(client, APOLOGIES + "?ky=thang&nam=2026&thang=2")
    other = User.objects.exclude(username="lanhdao.khcn").filter(username__startswith="lanhdao.").first()
    if other is not None:  # another agency's leader
        client.force_login(other)
        assert 'data-testid="apology-row"' not in page(client, APOLOGIES + MARCH)


@pytest.mark.parametrize("url", [UPWARD, APOLOGIES])
@pytest.mark.parametrize("query", ["?ky=khoang&tu=99/99/2026&den=01/01/2026", "?ky=quy&quy=9", "?ky=nam&nam=abc",
                                   MARCH + "&trang=abc", MARCH + "&trang=999", MARCH + "&xuat=doc"])  # fmt: skip
def test_bad_addresses_give_a_page_not_an_error(client, leader, apologised, url, query):
    client.force_login(leader)
    response = client.get(url + query, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    if "xuat" in query:
        assert "Chỉ xuất được tệp Excel hoặc PDF." in html
    elif "trang" not in query:
        assert "Khoảng thời gian không hợp lệ" in html


def test_a_page_of_fifty_letters(client, leader, apologised):
    from motcua.dossiers.models import ApologyLetter

    letter = apologised
    ApologyLetter.objects.bulk_create([
        ApologyLetter(dossier=letter.dossier, number=n, agency=letter.agency, reason="Chờ xác minh",
                      previous_due_at=letter.previous_due_at, new_due_at=letter.new_due_at,
                      issued_at=letter.issued_at - timedelta(minutes=n), issued_by=letter.issued_by)
        for n in range(2, 56)
    ])  # fmt: skip
    client.force_login(leader)
    first = page(client, APOLOGIES + MARCH)
    assert first.count('data-testid="apology-row"') == 50 and "Văn bản 1–50 trên 55" in first
    second = page(client, APOLOGIES + MARCH + "&trang=2")
    assert second.count('data-testid="apology-row"') == 5 and "Trang 2/2" in second
