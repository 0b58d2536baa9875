"""Dossier intake in a real browser: the officer calls a citizen, finds the procedure, and the
visit ends with an accepted dossier and its receipt, a supplement guidance, or a refusal."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_issue
from tests.browser.test_console import log_in, press
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}


@pytest.fixture
def morning(center, demo_catalog):
    """Queue B (Tư pháp) with three citizens waiting; counter 1 free for the reception officer."""
    with time_machine.travel(TUESDAY_8AM, tick=True):
        queue = make_queue(center, "b", name="Tư pháp – Chứng thực, hộ tịch")
        counter = make_counter(center, 1, [queue])
        counter.name = "Tư pháp"
        counter.save()
        for _ in range(3):
            ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=timezone.now())
        yield counter


def sit_and_call(page, counter):
    page.set_viewport_size(DESK)
    log_in(page, "tiepnhan")
    page.get_by_test_id(f"counter-{counter.pk}").get_by_role("button", name="Vào làm việc tại quầy này").click()
    press(page, "F1")
    expect(page.get_by_test_id("current-code")).to_have_text("B001")


def open_procedure(page, words, code, shot=None):
    page.get_by_test_id("open-intake").click()
    expect(page.get_by_role("heading", name="Chọn thủ tục hành chính")).to_be_visible()
    page.get_by_test_id("procedure-search").press_sequentially(words, delay=20)
    first = page.get_by_test_id("procedure-results").locator("a").first
    expect(first).to_have_attribute("data-testid", f"procedure-{code}")  # instant results, no Enter
    if shot:
        shot(page, "dossier-intake-search-1366x768", full_page=False)
    first.click()
    expect(page.get_by_test_id("intake-procedure")).to_contain_text(code)


def fill_applicant(page):
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Thị Ánh")
    page.get_by_label("Số định danh / mã số thuế").fill("092190001234")
    page.get_by_label("Điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Thư điện tử").fill("anh@example.com")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Hòa Bình, phường Ninh Kiều, Cần Thơ")


def test_accept_at_the_counter_gives_a_code_and_the_receipt(page, morning, screenshot):
    sit_and_call(page, morning)
    open_procedure(page, "ly lich tu phap", "2.000488", shot=screenshot)
    fill_applicant(page)
    fees = page.get_by_test_id("intake-fees")
    fees.get_by_role("checkbox").first.check()
    fees.get_by_role("combobox").first.select_option(label="Tiền mặt")
    fees.locator("input[name='fee-0-receipt_number']").fill("BL-000123")
    screenshot(page, "dossier-intake-form-1366x768", full_page=False)
    screenshot(page, "dossier-intake-form-full")

    page.get_by_test_id("outcome-accept").click()
    dossier = Dossier.objects.get()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    assert re.fullmatch(r"000\.00\.00\.H13-260310-0001", dossier.code)
    expect(page.get_by_test_id("intake-outcome")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(page.get_by_test_id("dossier-due")).not_to_be_empty()
    screenshot(page, "dossier-intake-result-1366x768", full_page=False)
    slip = page.request.get(page.get_by_test_id("slip-link").get_attribute("href"))
    assert slip.ok and slip.headers["content-type"] == "application/pdf"
    assert slip.body().startswith(b"%PDF")
    assert dossier.ticket.code == "B001" and dossier.fees.get().receipt_number == "BL-000123"


def test_supplement_then_refusal_keep_what_was_typed(page, morning, screenshot):
    sit_and_call(page, morning)
    open_procedure(page, "2.000488", "2.000488")
    fill_applicant(page)
    page.get_by_test_id("doc-0").get_by_label("Thiếu").check()
    page.get_by_test_id("doc-0").locator("input[name='doc-0-missing_note']").fill("Tờ khai chưa có chữ ký")
    page.get_by_test_id("outcome-supplement").click()
    # No reason yet: the form comes back with everything still there.
    expect(page.get_by_test_id("intake-problem")).to_have_text("Vui lòng ghi lý do yêu cầu bổ sung.")
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Nguyễn Thị Ánh")
    expect(page.get_by_test_id("doc-0").get_by_label("Thiếu")).to_be_checked()
    page.get_by_label("Lý do yêu cầu bổ sung").fill("Hồ sơ chưa đầy đủ theo quy định")
    page.get_by_test_id("outcome-supplement").click()
    expect(page.get_by_test_id("intake-outcome")).to_contain_text("Đã hướng dẫn bổ sung, hoàn thiện hồ sơ")
    expect(page.get_by_test_id("intake-outcome")).to_contain_text("Tờ khai chưa có chữ ký")
    screenshot(page, "dossier-intake-supplement-1366x768", full_page=False)

    page.get_by_role("link", name="Tiếp nhận hồ sơ khác").click()
    # Typed key by key, as an officer does: the instant search listens to each keystroke.
    page.get_by_test_id("procedure-search").press_sequentially("2.000488", delay=20)
    page.get_by_test_id("procedure-2.000488").click()
    page.get_by_label("Họ tên / tên tổ chức").fill("Trần Văn Bình")
    page.get_by_test_id("outcome-refuse").click()
    expect(page.get_by_test_id("intake-problem")).to_have_text("Vui lòng ghi rõ lý do từ chối tiếp nhận.")
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Trần Văn Bình")
    page.get_by_label("Lý do từ chối tiếp nhận").fill("Không thuộc thẩm quyền giải quyết của Công an thành phố")
    page.get_by_test_id("outcome-refuse").click()
    expect(page.get_by_test_id("refusal-reason")).to_have_text(
        "Không thuộc thẩm quyền giải quyết của Công an thành phố"
    )
    refused = Dossier.objects.get(applicant_name="Trần Văn Bình")
    assert refused.status == Dossier.Status.REFUSED and refused.code is None
    slip = page.request.get(page.get_by_test_id("slip-link").get_attribute("href"))
    assert slip.headers["content-type"] == "application/pdf"

    page.get_by_role("link", name="Về màn hình quầy").click()
    page.get_by_test_id("open-desk").click()
    expect(page.get_by_role("heading", name="Hồ sơ tại trung tâm")).to_be_visible()
    expect(page.get_by_test_id("tab-today")).to_contain_text("2")
    screenshot(page, "dossier-desk-1366x768", full_page=False)
