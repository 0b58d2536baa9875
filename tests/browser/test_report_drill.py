"""Drill-down in a real browser: the center leader opens the dossier dashboard on a generated
month (March 2026), clicks a figure of the table, lands on the list of as many dossiers, and
opens one of them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.reports.facts import rollup_days
from tests.browser.axe import assert_accessible
from tests.reports.history import DAYS, TODAY, make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 900}
MARCH = "?ky=thang&nam=2026&thang=3&nhom=agency"


@pytest.fixture
def history(organisation):
    from motcua.core.calendar import to_local
    from motcua.dossiers.models import Dossier

    make_history(3)
    names = ["Nguyễn Thị Ánh", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Minh Đức", "Công ty TNHH Mekong Xanh"]
    for dossier in Dossier.objects.filter(accepted_at__isnull=False).order_by("pk"):
        # The generated rows have no code; give them the kind the reception writes.
        dossier.code = f"000.00.31.H13-{to_local(dossier.accepted_at):%y%m%d}-{dossier.pk:04d}"
        dossier.applicant_name = names[dossier.pk % len(names)]
        dossier.save(update_fields=["code", "applicant_name"])
    rollup_days([TODAY - timedelta(days=DAYS + 1) + timedelta(days=i) for i in range(DAYS + 1)], again=True)


def test_a_figure_opens_the_dossiers_behind_it(page, history, screenshot):
    page.set_viewport_size(DESK)
    page.goto("/console/bao-cao/" + MARCH)
    expect(page).to_have_url(re.compile("/console/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")

    # The "Đã giải quyết" figure of the first agency's row.
    table = page.get_by_test_id("report-table")
    resolved_column = [t.strip() for t in table.locator("thead th").all_inner_texts()].index("Đã giải quyết")
    cell = table.locator("tbody tr").first.locator("th, td").nth(resolved_column)
    link = cell.get_by_role("link")
    figure = link.inner_text()
    agency = table.locator("tbody tr").first.locator("th").inner_text()
    expect(link).to_have_attribute("aria-label", f"Xem {figure} hồ sơ đã giải quyết của {agency}")
    link.scroll_into_view_if_needed()
    link.hover()
    screenshot(page, "report-drill-dashboard", full_page=False)
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ đã giải quyết · {agency}")
    expect(page.get_by_test_id("drill-count")).to_have_text(figure)
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")
    rows = page.get_by_test_id("drill-table").locator("tbody tr")
    expect(rows).to_have_count(min(int(figure.replace(".", "")), 50))
    expect(page.get_by_role("navigation", name="Các báo cáo").locator("[aria-current]")).to_have_count(0)
    assert_accessible(page, where="drill-down")
    screenshot(page, "report-drill", full_page=True)

    # Back to the dashboard with the same period and grouping, then into the list again.
    page.get_by_test_id("drill-back").click()
    expect(page).to_have_url(re.compile(r"nhom=agency"))
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")
    page.go_back()

    first = page.get_by_test_id("drill-dossier").first
    code = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/console/ho-so/\d+/"))
    expect(page.locator("body")).to_contain_text(code)
    screenshot(page, "report-drill-dossier", full_page=False)
