"""An agency's day with dossiers in a real browser: the work list, the dossier page, hand-over,
a supplement asked by the agency and received at reception, and the leader's approval with a PDF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.demo.organisation import DEMO_PASSWORD
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import PROCEDURE_CODE, local, make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Wednesday 11/03/2026 09:00: dossiers accepted over the last weeks, one of them already late.
NOW = local(2026, 3, 11, 9, 0)
APPLICANTS = [
    ("1.014390", "Viện Nghiên cứu Phát triển Đồng bằng", local(2026, 2, 24, 9, 15)),
    ("1.014391", "Công ty TNHH Công nghệ Sinh học Mekong", local(2026, 3, 2, 10, 40)),
    ("1.001786", "Trung tâm Ứng dụng Tiến bộ Khoa học", local(2026, 3, 5, 14, 5)),
    ("1.014445", "Công ty Cổ phần Nông nghiệp Xanh Cần Thơ", local(2026, 3, 9, 8, 20)),
]


def _accept_and_forward(procedure, center, reception_officer, name, at):
    from motcua.dossiers.services import Applicant, dossier_accept, dossier_forward

    intake = make_intake(procedure, applicant=Applicant(name=name, kind="organisation", phone="02923812345"))
    dossier = dossier_accept(officer=reception_officer, intake=intake, center=center, now=at)
    return dossier_forward(officer=reception_officer, dossier=dossier, expected_version=dossier.version,
                           now=at + timedelta(minutes=20))  # fmt: skip


@pytest.fixture
def day(demo_catalog, center, reception_officer):
    """Five dossiers at the Department of Science and Technology; the newest is the one we follow."""
    from motcua.dossiers.deadlines import dossier_flag_deadlines

    for code, name, at in APPLICANTS:
        _accept_and_forward(Procedure.objects.get(code=code), center, reception_officer, name, at)
    ours = _accept_and_forward(Procedure.objects.get(code=PROCEDURE_CODE), center, reception_officer,
                               "Nguyễn Thị Ánh", local(2026, 3, 10, 8, 0))  # fmt: skip
    dossier_flag_deadlines(now=NOW)
    with time_machine.travel(NOW, tick=True):
        yield ours


def open_as(chromium, live_server, username, url="/console/ho-so/xu-ly/"):
    """A browser of its own for `username`, signed in and on `url`."""
    context = chromium.new_context(viewport=DESK, locale="vi-VN", base_url=live_server.url)
    tab = context.new_page()
    tab.goto(f"/console/dang-nhap/?next={url}")
    tab.get_by_label("Tên đăng nhập").fill(username)
    tab.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    return tab


def do(tab, slug, fields=None, files=None):
    """Open an action of the panel, fill it in and confirm."""
    action = tab.get_by_test_id(f"act-{slug}")
    if fields or files:
        action.locator("summary").click()
    form = tab.get_by_test_id(f"form-{slug}")
    for label, value in (fields or {}).items():
        control = form.get_by_label(label)
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    for label, payload in (files or {}).items():
        form.get_by_label(label).set_input_files(payload)
    form.locator("button[type=submit]").click()


def status(tab):
    return tab.get_by_test_id("dossier-status")


def message(tab):
    return tab.get_by_test_id("message")


def test_agency_day_with_a_dossier(chromium, live_server, day, screenshot):
    officer = open_as(chromium, live_server, "chuyenvien.khcn")
    expect(officer.get_by_role("heading", name="Hồ sơ cần xử lý")).to_be_visible()
    officer.get_by_test_id("tab-unassigned").click()
    rows = officer.get_by_test_id("work-list").locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(officer.get_by_test_id("work-list")).to_contain_text("Quá hạn")
    screenshot(officer, "dossier-work-list", full_page=False)

    officer.get_by_role("link", name=day.code).click()
    expect(officer).to_have_url(re.compile(rf"/console/ho-so/{day.pk}/$"))
    expect(status(officer)).to_have_text("Đang xử lý")
    do(officer, "nhan-xu-ly")
    expect(message(officer)).to_contain_text("Bạn đã nhận xử lý hồ sơ này")
    expect(officer.get_by_test_id("assignee")).to_have_text("Đặng Quốc Bảo")
    do(officer, "chuyen-buoc", {"Ghi chú": "Hồ sơ đủ thành phần, chuyển thẩm định"})
    expect(message(officer)).to_contain_text("Đã chuyển hồ sơ sang bước tiếp theo")

    # A blank reason is asked for again, and the list of papers typed stays.
    papers = "Điều lệ tổ chức\nQuyết định bổ nhiệm giám đốc"
    do(officer, "yeu-cau-bo-sung", {"Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)": papers, "Lý do": "   "})
    expect(officer.get_by_test_id("form-yeu-cau-bo-sung")).to_contain_text("Vui lòng ghi rõ lý do.")
    form = officer.get_by_test_id("form-yeu-cau-bo-sung")
    expect(form.get_by_label("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)")).to_have_value(papers)
    screenshot(officer, "dossier-page-refused-form", full_page=False)
    form.get_by_label("Lý do").fill("Điều lệ đã hết hiệu lực; cần bản được thông qua năm 2026")
    form.locator("button[type=submit]").click()
    expect(status(officer)).to_have_text("Yêu cầu bổ sung giấy tờ")
    expect(officer.get_by_test_id("outcomes")).to_contain_text("Quyết định bổ nhiệm giám đốc")

    reception = open_as(chromium, live_server, "tiepnhan", f"/console/ho-so/{day.pk}/")
    expect(status(reception)).to_have_text("Yêu cầu bổ sung giấy tờ")
    do(reception, "nhan-bo-sung", {"Ghi chú": "Công dân nộp bổ sung tại quầy 3"})
    expect(message(reception)).to_contain_text("Đã nhận hồ sơ bổ sung")
    expect(status(reception)).to_have_text("Đang xử lý")

    officer.reload()
    for note in ("Thẩm định đạt, trình lãnh đạo", "Đã ký, chuyển trả kết quả"):
        do(officer, "chuyen-buoc", {"Ghi chú": note})
        expect(message(officer)).to_contain_text("Đã chuyển hồ sơ sang bước tiếp theo")
    expect(officer.get_by_test_id("act-phe-duyet")).to_have_count(0)  # a leader's act

    leader = open_as(chromium, live_server, "lanhdao.khcn", f"/console/ho-so/{day.pk}/")
    upload = {"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    do(leader, "phe-duyet", {"Loại kết quả": "Bản giấy và bản điện tử", "Số, ký hiệu văn bản": "125/GCN-SKHCN"},
       files={"Tệp kết quả (PDF)": upload})  # fmt: skip
    expect(message(leader)).to_contain_text("Đã phê duyệt kết quả giải quyết")
    expect(leader.get_by_test_id("result")).to_contain_text("125/GCN-SKHCN")
    screenshot(leader, "dossier-page", full_page=False)
    screenshot(leader, "dossier-page-full")
    do(leader, "co-ket-qua")
    expect(status(leader)).to_have_text("Đã xử lý xong")

    dossier = Dossier.objects.get(pk=day.pk)
    assert dossier.status == Dossier.Status.RESULT_READY and dossier.assigned_to == User.objects.get(
        username="chuyenvien.khcn"
    )
    assert list(dossier.events.values_list("action", flat=True))[-3:] == [
        "dossier.handed_over", "dossier.result_approved", "dossier.result_ready"
    ]  # fmt: skip
