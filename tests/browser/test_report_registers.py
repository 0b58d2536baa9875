"""The periodic upward report and the apology register in a real browser, as the center's leader:
a month of dossiers at several departments, some carried over from February, two apology letters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.reports.facts import rollup_days
from tests.browser.axe import assert_accessible
from tests.browser.test_dossier_work import open_as
from tests.dossiers.conftest import PROCEDURE_CODE, local, make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOW = local(2026, 3, 20, 10, 0)
MARCH = "?ky=thang&nam=2026&thang=3"
NAMES = ["Trần Văn Bình", "Lê Thị Cúc", "Phạm Minh Đức", "Võ Thị Hạnh", "Huỳnh Quốc Khánh", "Đặng Thu Lan",
         "Ngô Thanh Phong", "Bùi Ngọc Quyên", "Đỗ Hữu Tài", "Lý Mỹ Uyên", "Châu Gia Vĩnh", "Mai Anh Thư"]  # fmt: skip


# The report's own blocks that stick out of a phone's screen (the console header and the report
# tabs are the shared layout's, not this page's).
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.rg-scroll, .c-header, .r-tabs'))
    .map(e => e.parentElement.className + ' > ' + e.tagName + '.' + e.className)"""


def _accept(procedure, center, officer, name, at, channel="counter"):
    from motcua.dossiers.services import Applicant, dossier_accept

    intake = make_intake(procedure, applicant=Applicant(name=name, phone="0912345678"), channel=channel)
    return dossier_accept(officer=officer, intake=intake, center=center, now=at)


def _receivable_elsewhere(center, agency_id):
    """Two procedures the center receives for two other departments."""
    from motcua.dossiers.errors import DossierError
    from motcua.dossiers.services.intake import current_version, ensure_receivable

    found: dict[int, Procedure] = {}
    for procedure in Procedure.objects.exclude(agency_id=agency_id).exclude(agency=None).order_by("code"):
        try:
            ensure_receivable(current_version(procedure), center)
        except DossierError:
            continue
        found.setdefault(procedure.agency_id, procedure)
        if len(found) == 2:
            break
    return list(found.values())


def _finish(dossier, status, at):
    fields = {"result_ready_at": at} if status == Dossier.Status.RESULT_READY else {"closed_at": at}
    Dossier.objects.filter(pk=dossier.pk).update(status=status, **fields)


@pytest.fixture
def month(demo_catalog, center, reception_officer, khcn_leader):
    """Twelve dossiers at three departments (four carried over from February), some resolved, one
    withdrawn, two apologised by the Department of Science and Technology."""
    from tests.dossiers.test_late import apologise, processing

    workhorse = Procedure.objects.get(code=PROCEDURE_CODE)
    procedures = [workhorse, *_receivable_elsewhere(center, workhorse.agency_id)]
    made = []
    for i, name in enumerate(NAMES):
        at = local(2026, 2, 23 + i, 9, 0) if i < 4 else local(2026, 3, 2 + i, 9, 30)
        channel = "online" if i % 3 == 1 else "counter"
        made.append(_accept(procedures[i % 3], center, reception_officer, name, at, channel=channel))
    for d, days in ((made[1], 4), (made[4], 2), (made[5], 9), (made[7], 1)):
        _finish(d, Dossier.Status.RESULT_READY, d.accepted_at + timedelta(days=days))
    _finish(made[8], Dossier.Status.WITHDRAWN, made[8].accepted_at + timedelta(days=1))
    apologise(khcn_leader, processing(made[0]), now=local(2026, 3, 5, 9, 0), new_due_at=local(2026, 3, 27, 8, 0),
              reason="Chờ kết quả thẩm định của Hội đồng khoa học")  # fmt: skip
    apologise(khcn_leader, processing(made[6]), now=local(2026, 3, 16, 9, 0), new_due_at=local(2026, 4, 6, 8, 0),
              reason="Chờ ý kiến của cơ quan phối hợp")  # fmt: skip
    with time_machine.travel(NOW, tick=True):
        rollup_days([date(2026, 2, 1) + timedelta(days=i) for i in range(47)], again=True, now=NOW)
        yield made


def test_the_leader_reads_the_upward_report_and_the_apology_register(chromium, live_server, month, screenshot):
    tab = open_as(chromium, live_server, "lanhdao", f"/console/bao-cao/dinh-ky/{MARCH}")
    expect(tab.get_by_test_id("upward-table")).to_be_visible()
    expect(tab.get_by_test_id("report-subtitle")).to_contain_text("Tháng 3/2026")
    expect(tab.get_by_test_id("upward-total")).to_contain_text("Tổng cộng")
    expect(tab.get_by_test_id("upward-agency")).to_have_count(3)
    assert_accessible(tab, where="báo cáo định kỳ")
    screenshot(tab, "report-upward")

    tab.get_by_role("link", name="Văn bản xin lỗi").click()
    expect(tab.get_by_test_id("apology-row")).to_have_count(2)
    expect(tab.get_by_test_id("apology-row").first).to_contain_text("Chờ ý kiến của cơ quan phối hợp")  # newest first
    expect(tab.get_by_test_id("apology-total")).to_have_text("2")
    assert_accessible(tab, where="sổ văn bản xin lỗi")
    screenshot(tab, "report-apologies")

    tab.get_by_label("Kỳ báo cáo").select_option("quy")
    tab.get_by_test_id("period-apply").click()
    expect(tab.get_by_test_id("report-subtitle")).to_contain_text("Quý 1/2026")
    expect(tab.get_by_test_id("apology-row")).to_have_count(2)
    tab.set_viewport_size({"width": 390, "height": 844})
    wrap = tab.locator(".rg-scroll")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls inside its frame
    assert tab.evaluate(WIDER_THAN_THE_SCREEN) == []
    screenshot(tab, "report-apologies-phone")
    tab.get_by_test_id("apology-row").first.get_by_role("link").click()
    expect(tab).to_have_url(f"{live_server.url}/console/ho-so/{month[6].pk}/")
