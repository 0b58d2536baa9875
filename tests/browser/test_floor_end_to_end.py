"""The whole floor in one Chromium run: the kiosk issues, the counter calls, the board shows it.

Three tabs on one real ASGI server (HTTP and WebSockets): a citizen takes a number at the kiosk,
the officer calls it at counter 1, the board in the hall shows and announces it; then a recall
(announced again), a no-show recycled to the back, the same citizen called again, and a transfer.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.demo.queueing import load_demo_queueing
from motcua.queueing.models import Counter, Queue, Ticket
from tests.queueing.conftest import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUESDAY_0930 = local(2026, 3, 10, 9, 30)
VOICE = re.compile(r"/board/cantho/loa/\d+\.wav$")


@pytest.fixture
def demo_floor(demo_catalog):
    with time_machine.travel(TUESDAY_0930, tick=True):
        load_demo_queueing()
        yield


def _tab(chromium, server, viewport):
    context = chromium.new_context(viewport=viewport, locale="vi-VN", base_url=server.url)
    tab = context.new_page()
    tab.clock.install(time=TUESDAY_0930)
    return tab


def _take_a_number(kiosk) -> str:
    kiosk.goto("/kiosk/cantho/lay-so/")
    kiosk.locator('.q-tile[data-queue="tu-phap"]').click()
    kiosk.locator(".q-choice", has_text="Không thuộc nhóm ưu tiên").click()
    kiosk.get_by_test_id("take-number").click()
    expect(kiosk.get_by_test_id("slip-code")).to_have_text(re.compile(r"^A\d{3}$"))
    return kiosk.get_by_test_id("slip-code").inner_text()


def _sit_at_counter_one(console) -> None:
    console.goto("/console/")
    console.get_by_label("Tên đăng nhập").fill("tiepnhan.tuphap")
    console.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    console.get_by_role("button", name="Đăng nhập").click()
    counter = Counter.objects.get(center__code="cantho", number=1)
    console.get_by_test_id(f"counter-{counter.pk}").get_by_role("button", name="Vào làm việc tại quầy này").click()
    expect(console.get_by_test_id("counter-state")).to_have_text(re.compile("đang mở", re.I))


def _call_next(console, board, code: str) -> None:
    with board.expect_response(VOICE):  # the board fetches the announcement of this very call
        console.get_by_role("button", name=re.compile("Gọi số tiếp theo")).click()
        expect(console.get_by_test_id("current-code")).to_have_text(code)
    expect(board.get_by_test_id("now-code")).to_have_text(code)
    expect(board.get_by_test_id("now-counter")).to_have_text("1")


def test_kiosk_counter_board_with_recall_no_show_and_transfer(chromium, asgi_server, demo_floor, screenshot):
    kiosk = _tab(chromium, asgi_server, {"width": 1080, "height": 1920})
    board = _tab(chromium, asgi_server, {"width": 1920, "height": 1080})
    console = _tab(chromium, asgi_server, {"width": 1366, "height": 768})

    code = _take_a_number(kiosk)
    board.goto("/board/cantho/")
    expect(board.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    board.get_by_role("button", name="Bật âm thanh").click()
    waiting = board.locator('.b-queue[data-queue="tu-phap"] [data-waiting]')
    expect(waiting).to_have_text("1")

    _sit_at_counter_one(console)
    _call_next(console, board, code)
    expect(waiting).to_have_text("0")
    screenshot(board, "floor-board-after-call-1920x1080", full_page=False)

    with board.expect_response(VOICE):  # a recall is announced again
        console.get_by_role("button", name=re.compile("Gọi lại")).click()
    expect(console.get_by_test_id("current-recalls")).to_have_text("1")

    no_show = console.get_by_test_id("tool-no-show")
    no_show.get_by_label("Xếp lại cuối hàng một lần").check()
    no_show.get_by_role("button", name=re.compile("Ghi nhận vắng mặt")).click()
    expect(waiting).to_have_text("1")  # back in line, and the board's count says so

    _call_next(console, board, code)  # the citizen came back: called again, announced again

    police = Queue.objects.get(center__code="cantho", code="cong-an")
    transfer = console.get_by_test_id("tool-transfer")
    transfer.get_by_role("combobox").select_option(label=police.name)
    transfer.get_by_role("button", name="Chuyển").click()
    expect(console.get_by_test_id("current-ticket")).to_contain_text("Chưa có công dân tại quầy")
    expect(board.locator('.b-queue[data-queue="cong-an"] [data-waiting]')).to_have_text("1")
    expect(board.get_by_test_id("counter-1")).not_to_contain_text(code)  # pushed: the desk is free

    console.get_by_role("button", name="Tạm dừng quầy").click()
    expect(board.get_by_test_id("counter-1")).to_contain_text("Tạm dừng")  # pushed, not the 20 s refresh

    moved = Ticket.objects.get(transferred_from__code=code)
    assert (moved.queue, moved.status, moved.code.startswith(police.prefix)) == (police, "waiting", True)
    screenshot(console, "floor-console-after-transfer-1366x768", full_page=False)
