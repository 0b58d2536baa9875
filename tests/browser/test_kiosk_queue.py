"""Taking a queue number at the kiosk, in a real browser, then following it on a phone."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.demo.queueing import load_demo_queueing
from motcua.demo.today import queue_morning
from motcua.queueing.models import Counter, Queue, Ticket
from motcua.queueing.services import ticket_call_number, ticket_issue
from tests.queueing.conftest import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
TUESDAY_0930 = local(2026, 3, 10, 9, 30)
SUNDAY_0930 = local(2026, 3, 8, 9, 30)


@pytest.fixture
def busy_floor(demo_catalog):
    """The demo Can Tho floor at 09:30 on a Tuesday, with the morning's tickets played through."""
    with time_machine.travel(TUESDAY_0930, tick=True):
        load_demo_queueing()
        queue_morning(now=TUESDAY_0930)
        for code, extra in (("tu-phap", 7), ("cong-an", 5), ("nn-mt", 3)):  # a busier hall for the screenshots
            for _ in range(extra):
                ticket_issue(queue=Queue.objects.get(center__code="cantho", code=code), channel="kiosk")
        yield


def kiosk_tab(chromium, live_server, viewport=PORTRAIT, moment=TUESDAY_0930):
    context = chromium.new_context(viewport=viewport, locale="vi-VN", base_url=live_server.url)
    tab = context.new_page()
    tab.clock.install(time=moment)  # the kiosk's own clock shows the same moment as the server
    return tab


def test_take_a_number_and_follow_it_on_the_phone(chromium, live_server, busy_floor, screenshot):
    page = kiosk_tab(chromium, live_server)
    page.goto("/kiosk/cantho/")
    page.locator(".k-tile", has_text="Lấy số thứ tự").click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/lay-so/$"))
    justice = page.locator(".q-tile[data-queue=\"tu-phap\"]")
    expect(justice).to_contain_text("đang chờ")
    expect(page.locator(".q-tile")).to_have_count(Queue.objects.filter(center__code="cantho").count())
    screenshot(page, "kiosk-queue-1-agency-1080x1920", full_page=False)
    page.set_viewport_size(LANDSCAPE)
    screenshot(page, "kiosk-queue-1-agency-1920x1080", full_page=False)
    page.set_viewport_size(PORTRAIT)

    justice.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quý khách có thuộc nhóm được ưu tiên không?")
    expect(page.locator(".q-choice")).to_have_count(6)  # none + the five demo classes
    screenshot(page, "kiosk-queue-2-priority-1080x1920", full_page=False)

    page.locator(".q-choice", has_text="Không thuộc nhóm ưu tiên").click()
    expect(page.get_by_test_id("confirm-queue")).to_have_text("Tư pháp – Chứng thực, hộ tịch, trợ giúp pháp lý")
    expect(page.get_by_test_id("confirm-priority")).to_have_text("Không thuộc nhóm ưu tiên")
    screenshot(page, "kiosk-queue-3-confirm-1080x1920", full_page=False)

    before = Ticket.objects.count()
    page.get_by_test_id("take-number").dblclick()  # an impatient double tap: still one ticket
    expect(page.get_by_test_id("slip-code")).to_have_text(re.compile(r"^A\d{3}$"))
    assert Ticket.objects.count() == before + 1
    ticket = Ticket.objects.latest("pk")
    expect(page.get_by_test_id("slip-code")).to_have_text(ticket.code)
    expect(page.get_by_test_id("slip-qr").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("slip-wait")).to_have_text(re.compile(r"khoảng \d+ phút|được gọi ngay"))
    screenshot(page, "kiosk-queue-4-slip-1080x1920", full_page=False)
    page.set_viewport_size(LANDSCAPE)
    screenshot(page, "kiosk-queue-4-slip-1920x1080", full_page=False)

    # "In phiếu": the 80 mm slip prints from a hidden frame; the kiosk stays on the slip screen.
    page.evaluate("window.print = () => { window.__printed = true }")
    page.get_by_test_id("print-button").click()
    frame = page.frame_locator("iframe.print-frame")
    expect(frame.get_by_test_id("print-code")).to_have_text(ticket.code)
    expect(page.locator("[data-print-status]")).to_be_visible()
    receipt = page.context.new_page()
    receipt.set_viewport_size({"width": 420, "height": 900})
    receipt.goto(f"/kiosk/cantho/lay-so/phieu/{ticket.token}/in/")
    expect(receipt.get_by_test_id("print-code")).to_have_text(ticket.code)
    screenshot(receipt, "kiosk-queue-5-print-80mm", full_page=True)
    receipt.close()

    # The QR code leads to the phone page (the slip prints PUBLIC_URL; the test server is elsewhere).
    qr_url = page.get_by_test_id("slip-qr").get_attribute("data-url")
    assert qr_url.endswith(f"/so/{ticket.token}/")
    phone = chromium.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url, is_mobile=True).new_page()
    phone.clock.install(time=TUESDAY_0930)
    phone.goto(re.sub(r"^https?://[^/]+", "", qr_url))
    expect(phone.get_by_test_id("ticket-code")).to_have_text(ticket.code)
    expect(phone.get_by_test_id("ticket-status")).to_contain_text("Đang chờ")
    expect(phone.get_by_test_id("people-ahead")).to_have_text(re.compile(r"^\d+$"))
    screenshot(phone, "phone-ticket-waiting-390", full_page=True)

    # An officer calls this very number: the page notices on its next look, without a reload.
    counter = Counter.objects.filter(queue_links__queue=ticket.queue, officer__isnull=False).first()
    ticket_call_number(counter=counter, officer=counter.officer, code=ticket.code)
    phone.clock.run_for(11_000)
    expect(phone.get_by_test_id("ticket-status")).to_contain_text(f"Đã gọi — mời đến quầy số {counter.number}")
    screenshot(phone, "phone-ticket-called-390", full_page=True)

    # "Xong" goes home for the next citizen.
    page.get_by_test_id("done-button").click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/$"))


def test_search_a_procedure_then_take_a_priority_number(chromium, live_server, busy_floor, screenshot):
    page = kiosk_tab(chromium, live_server)
    page.goto("/kiosk/cantho/lay-so/")
    page.get_by_role("searchbox").fill("chung thuc ban sao")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile("/kiosk/cantho/lay-so/thu-tuc/"))
    screenshot(page, "kiosk-queue-1b-search-1080x1920", full_page=False)
    page.locator(".proc-card__title a", has_text="Chứng thực bản sao từ bản chính").first.click()
    expect(page.locator(".q-chosen")).to_contain_text("Tư pháp")  # the sector's queue
    page.locator(".q-choice", has_text="Người cao tuổi").click()
    expect(page.get_by_test_id("confirm-priority")).to_have_text("Người cao tuổi")
    page.get_by_test_id("take-number").click()
    expect(page.locator(".q-ticket__priority")).to_contain_text("Ưu tiên: Người cao tuổi")
    assert Ticket.objects.latest("pk").priority.code == "nguoi-cao-tuoi"


def test_sunday_refusal_is_in_vietnamese_and_keeps_the_choice(chromium, live_server, demo_catalog, screenshot):
    load_demo_queueing()
    with time_machine.travel(SUNDAY_0930, tick=True):
        page = kiosk_tab(chromium, live_server, moment=SUNDAY_0930)
        page.goto("/kiosk/cantho/lay-so/")
        expect(page.get_by_test_id("closed-warning")).to_contain_text("Hiện ngoài giờ tiếp nhận hồ sơ")
        page.locator(".q-tile", has_text="Công an").click()  # said at once, before any more choices
        expect(page.get_by_test_id("refusal-message")).to_have_text("Hôm nay không phải ngày làm việc, chưa cấp số.")
        screenshot(page, "kiosk-queue-refused-1080x1920", full_page=False)
        expect(page.get_by_test_id("retry-button")).to_have_attribute("href", "/kiosk/cantho/lay-so/hang/cong-an/")
        assert not Ticket.objects.exists()
