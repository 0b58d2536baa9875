"""The leader exports a report in a real browser: the button opens the progress page, the job
runs on the live server's own thread, the bar moves, and the file that downloads by itself
holds the figure the screen showed."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pypdfium2
import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.reports import background
from tests.dossiers.conftest import TUESDAY_8AM

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REPORT = "/console/bao-cao/?ky=thang&nam=2026&thang=3&nhom=agency"
AGENCY = "Sở Khoa học và Công nghệ thành phố Cần Thơ"


@pytest.fixture
def in_process_exports(settings, tmp_path, _shared_memory_database, monkeypatch):
    """Exports really run on the web process's thread; writing waits a moment so the bar shows."""
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": True}
    for name in ("tables_xlsx", "tables_pdf"):
        original = getattr(background, name)

        def slow(*args, _original=original, **kwargs):
            time.sleep(2)
            return _original(*args, **kwargs)

        monkeypatch.setattr(background, name, slow)


def log_in(page, username: str) -> None:
    page.goto("/console/")
    expect(page).to_have_url(re.compile("/console/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page).not_to_have_url(re.compile("/dang-nhap/"))


def screen_figure(page) -> str:
    """The agency's received dossiers as the report table shows them."""
    row = page.get_by_test_id("report-table").locator("tbody tr", has=page.get_by_role("rowheader", name=AGENCY))
    return row.locator("td").first.inner_text().strip()


def test_the_leader_exports_excel_and_pdf_with_the_figures_on_screen(page, leader, accepted, in_process_exports,
                                                                      screenshot):  # fmt: skip
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=2), tick=True):
        log_in(page, "lanhdao")
        page.goto(REPORT)
        figure = screen_figure(page)
        assert figure == "1"

        with page.expect_download(timeout=30_000) as excel:
            page.get_by_test_id("export-xlsx").click()
            expect(page).to_have_url(re.compile(r"/console/bao-cao/tep/[0-9a-f-]{36}/$"))
            expect(page.get_by_role("heading", level=1)).to_have_text("Xuất tệp Excel")
            expect(page.get_by_test_id("export-step")).to_have_text("Đang ghi tệp…", timeout=10_000)
            expect(page.get_by_test_id("export-percent")).to_have_text("40 %")
            expect(page.get_by_test_id("export-progress")).to_have_attribute("value", "40")
            screenshot(page, "report-export-progress")
            assert_accessible(page, where="report export progress")
        expect(page.get_by_test_id("export-download")).to_be_visible()
        expect(page.get_by_test_id("export-percent")).to_have_text("100 %")
        assert re.fullmatch(r"bao-cao-ho-so-20260310-\d{4}\.xlsx", excel.value.suggested_filename)
        sheet = load_workbook(io.BytesIO(open(excel.value.path(), "rb").read())).worksheets[0]  # noqa: SIM115
        rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
        assert str(rows[AGENCY][1]) == figure
        screenshot(page, "report-export-done")

        with page.expect_download() as again:  # "Tải về" gives the same file again
            page.get_by_test_id("export-download").click()
        assert again.value.suggested_filename == excel.value.suggested_filename

        page.get_by_test_id("export-back").click()
        expect(page).to_have_url(re.compile(r"/console/bao-cao/\?ky=thang&nam=2026&thang=3&nhom=agency$"))
        with page.expect_download(timeout=30_000) as pdf:
            page.get_by_test_id("export-pdf").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Xuất tệp PDF")
        expect(page.get_by_test_id("export-recent").locator("tbody tr")).to_have_count(2)
        text = pypdfium2.PdfDocument(open(pdf.value.path(), "rb").read())[0].get_textpage().get_text_range()  # noqa: SIM115
        flat = re.sub(r"\s+", " ", text)  # the agency's name wraps inside its cell
        assert f"{AGENCY} {figure} " in flat and f"Tổng cộng {figure} " in flat
