"""The leaders' dashboards in a real browser, on a generated month of history (March 2026):
each page opens, the period is changed through its form, the grouping chips regroup the table,
and the figures on screen are the figures `motcua.reports` computes for the leader's scope."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from motcua.reports.facts import rollup_days
from motcua.reports.periods import Period
from motcua.reports.tables import cell_text
from tests.browser.axe import assert_accessible
from tests.browser.test_console import DESK, log_in
from tests.reports.history import DAYS, TODAY, make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARCH = "?ky=thang&nam=2026&thang=3"


@pytest.fixture
def history(organisation):
    make_history(3)
    rollup_days([TODAY - timedelta(days=DAYS + 1) + timedelta(days=i) for i in range(DAYS + 1)], again=True)


def _figure(period: Period, name: str) -> str:
    from motcua.accounts.models import User
    from motcua.reports.figures import dossier_figures

    rows = dossier_figures(period, scope=User.objects.get(username="lanhdao"))
    return cell_text(next(iter(rows))[name] if rows else None, "count")


def test_open_each_dashboard_and_change_the_period(page, history, screenshot):
    page.set_viewport_size(DESK)
    log_in(page, "lanhdao")
    page.goto("/console/bao-cao/" + MARCH)
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")
    expect(page.get_by_test_id("kpi-received")).to_have_text(_figure(Period.month(2026, 3), "received"))
    assert_accessible(page, where="dossier dashboard")
    screenshot(page, "report-dossiers", full_page=True)

    # Any range of dates, through the form (the date fields appear for "Từ ngày … đến ngày").
    page.get_by_label("Kỳ báo cáo").select_option("khoang")
    page.get_by_label("Từ ngày").fill("01/03/2026")
    page.get_by_label("Đến ngày").fill("15/03/2026")
    page.get_by_test_id("period-apply").click()
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("01/03/2026")
    first_half = Period.range(date(2026, 3, 1), date(2026, 3, 15))
    expect(page.get_by_test_id("kpi-received")).to_have_text(_figure(first_half, "received"))
    expect(page.get_by_test_id("kpi-resolved")).to_have_text(_figure(first_half, "resolved"))

    # Regroup by sector: the table's rows are the generated sectors, the period is kept.
    page.get_by_role("link", name="Lĩnh vực", exact=True).click()
    expect(page).to_have_url(re.compile("nhom=sector"))
    expect(page.get_by_test_id("report-table")).to_contain_text("Lĩnh vực 0")
    expect(page.get_by_test_id("report-subtitle")).to_contain_text("01/03/2026")

    # A mistyped date never ends in an error page.
    page.get_by_label("Từ ngày").fill("31/02/2026")
    page.get_by_test_id("period-apply").click()
    expect(page.get_by_role("alert")).to_be_visible()

    for tab, heading, name in [
        ("Chỉ số 766", "Quyết định 766", "report-766"),
        ("Hàng đợi", "lượt đến", "report-queues"),
        ("Bố trí quầy", "bố trí quầy", "report-staffing"),
    ]:
        page.goto("/console/bao-cao/" + MARCH)
        page.get_by_role("navigation", name="Các báo cáo").get_by_role("link", name=tab).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")  # the period travels
        assert_accessible(page, where=tab)
        screenshot(page, name, full_page=True)
