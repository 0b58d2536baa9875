"""The counter console in a real browser: an officer's morning at counter 1, and the leader's day."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.queueing.models import PriorityClass, Ticket
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}
WIDE = {"width": 1920, "height": 1080}


@pytest.fixture
def morning(center, leader):
    """Queues B (Tư pháp) and C (Xây dựng); counter 1 free, counter 2 staffed by the leader."""
    with time_machine.travel(TUESDAY_8AM, tick=True):
        floors = {f.code: f for f in center.floors.all()}
        b = make_queue(center, "b", name="Tư pháp – Chứng thực, hộ tịch")
        c = make_queue(center, "c", name="Xây dựng – Cấp phép xây dựng")
        one = make_counter(center, 1, [b])
        two = make_counter(center, 2, [c], officer=leader)
        one.name, one.floor = "Sở Tư pháp", floors.get("tret")
        two.name, two.floor = "Sở Xây dựng", floors.get("tret")
        one.save(), two.save()
        elderly = PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1)
        for priority in (None, elderly, None):
            ticket_issue(queue=b, channel=Ticket.Channel.KIOSK, priority=priority, now=timezone.now())
        ticket_issue(queue=c, channel=Ticket.Channel.KIOSK, now=timezone.now())
        yield {"b": b, "c": c, "one": one}


def log_in(page, username):
    page.goto("/console/")
    expect(page).to_have_url(re.compile("/console/dang-nhap/"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def press(page, key):
    """A shortcut key, once the console script has wired the shortcuts on this page."""
    page.locator("html[data-console-ready]").wait_for(state="attached")
    page.keyboard.press(key)


def message(page):
    return page.get_by_test_id("message")


def current(page):
    return page.get_by_test_id("current-code")


def test_an_officers_morning_at_the_counter(page, morning, reception_officer, screenshot):
    page.set_viewport_size(DESK)
    log_in(page, "tiepnhan")
    expect(page.get_by_role("heading", name="Chọn quầy làm việc")).to_be_visible()
    screenshot(page, "console-choose-1366x768", full_page=False)
    card = page.get_by_test_id(f"counter-{morning['one'].pk}")
    card.get_by_role("button", name="Vào làm việc tại quầy này").click()
    expect(message(page)).to_have_text("Bạn đã vào làm việc tại quầy số 1.")
    expect(page.get_by_test_id("counter-state")).to_have_text(re.compile("đang mở", re.I))
    expect(page.get_by_test_id("waiting-b")).to_have_text("3")

    # F1 calls next: the elderly citizen first.
    press(page, "F1")
    expect(current(page)).to_have_text("B002")
    expect(page.get_by_test_id("current-priority")).to_have_text("Người cao tuổi")
    expect(message(page)).to_have_text("Đã gọi số B002.")
    press(page, "F2")
    expect(message(page)).to_have_text("Đã gọi lại số B002 (lần 1).")
    expect(page.get_by_test_id("current-recalls")).to_have_text("1")
    press(page, "F3")
    expect(page.get_by_test_id("current-ticket")).to_contain_text("Đang phục vụ")
    screenshot(page, "console-counter-1366x768", full_page=False)
    page.set_viewport_size(WIDE)
    screenshot(page, "console-counter-1920x1080", full_page=False)
    page.set_viewport_size(DESK)
    press(page, "F4")
    expect(message(page)).to_have_text("Đã kết thúc số B002.")
    expect(page.get_by_test_id("served-today")).to_have_text("1")
    expect(page.get_by_test_id("handled")).to_contain_text("B002")

    # B001 does not come: back of the line once.
    page.get_by_role("button", name=re.compile("Gọi số tiếp theo")).click()
    expect(current(page)).to_have_text("B001")
    no_show = page.get_by_test_id("tool-no-show")
    no_show.get_by_label("Xếp lại cuối hàng một lần").check()
    no_show.get_by_role("button", name=re.compile("Ghi nhận vắng mặt")).click()
    expect(message(page)).to_have_text("Số B001 vắng mặt: đã xếp lại cuối hàng một lần.")
    expect(page.get_by_test_id("waiting-b")).to_have_text("2")

    # B003 belongs elsewhere: transfer to Xây dựng, keeping the place in line.
    press(page, "F1")
    expect(current(page)).to_have_text("B003")
    transfer = page.get_by_test_id("tool-transfer")
    transfer.get_by_role("combobox").select_option(label="Xây dựng – Cấp phép xây dựng")
    transfer.get_by_role("button", name="Chuyển").click()
    expect(message(page)).to_contain_text("Đã chuyển số B003 sang hàng đợi “Xây dựng – Cấp phép xây dựng”, số mới C002")
    expect(page.get_by_test_id("current-ticket")).to_contain_text("Chưa có công dân tại quầy")

    # Someone without a number comes to the desk.
    walk_in = page.get_by_test_id("tool-walk-in")
    walk_in.get_by_role("button", name="Tiếp công dân").click()
    expect(message(page)).to_have_text("Đang phục vụ công dân không có số, đã ghi nhận với số B004.")
    expect(current(page)).to_have_text("B004")
    expect(page.get_by_test_id("current-ticket")).to_contain_text("Tại quầy")
    press(page, "F4")
    expect(message(page)).to_have_text("Đã kết thúc số B004.")

    # A break: calls stop until resumed.
    page.get_by_role("button", name="Tạm dừng quầy").click()
    expect(page.get_by_test_id("paused")).to_be_visible()
    expect(page.get_by_test_id("counter-state")).to_have_text(re.compile("tạm dừng", re.I))
    expect(page.get_by_role("button", name=re.compile("Gọi số tiếp theo"))).to_be_disabled()
    page.get_by_test_id("paused").get_by_role("button", name="Tiếp tục").click()
    expect(message(page)).to_have_text("Quầy đã mở lại, có thể gọi số.")
    expect(page.get_by_role("button", name=re.compile("Gọi số tiếp theo"))).to_be_enabled()

    # A new ticket from the kiosk shows up without a reload (the page polls every 5 s).
    ticket_issue(queue=morning["b"], channel=Ticket.Channel.KIOSK, now=timezone.now())
    expect(page.get_by_test_id("waiting-b")).to_have_text("2", timeout=12_000)
    screenshot(page, "console-counter-day-1366x768", full_page=True)
    page.get_by_role("button", name="Rời quầy").click()
    expect(message(page)).to_have_text("Bạn đã rời quầy số 1.")
    expect(page.get_by_role("heading", name="Chọn quầy làm việc")).to_be_visible()


def test_the_leaders_day(page, morning, leader, screenshot):
    from motcua.queueing.services import ticket_call_next, ticket_finish, ticket_start

    two = morning["one"].center.counters.get(number=2)
    ticket = ticket_call_next(counter=two, officer=leader, now=timezone.now())
    ticket_start(ticket=ticket, officer=leader, now=timezone.now())
    ticket_finish(ticket=ticket, officer=leader, now=timezone.now())
    page.set_viewport_size(DESK)
    log_in(page, "lanhdao")
    page.goto("/console/hom-nay/")
    expect(page.get_by_role("heading", name="Hàng đợi hôm nay")).to_be_visible()
    expect(page.get_by_test_id("kpi-total")).to_contain_text("Đã cấp số")
    queues = page.get_by_test_id("kpi-queues")
    expect(queues.locator("tr", has_text="Tư pháp")).to_contain_text("3")
    expect(page.get_by_test_id("kpi-officers")).to_contain_text("Nguyễn Văn Minh")
    expect(page.get_by_test_id("live-counters")).to_contain_text("Sở Xây dựng")
    screenshot(page, "console-today-1366x768", full_page=True)
    page.set_viewport_size(WIDE)
    screenshot(page, "console-today-1920x1080", full_page=False)
