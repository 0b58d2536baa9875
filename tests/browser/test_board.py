"""The display board in a real browser, on a real ASGI server: pushed calls, voice, polling."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from motcua.queueing.models import Counter, TicketEvent
from motcua.queueing.services import ticket_call_next, ticket_issue, ticket_recall
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A socket that never opens: the page must notice and fall back to polling the feed.
BROKEN_WEBSOCKET = """
window.WebSocket = class extends EventTarget {
  constructor() { super(); this.readyState = 3; setTimeout(() => this.dispatchEvent(new Event("close")), 20); }
  send() {}
  close() {}
};
window.WebSocket.OPEN = 1;
"""


@pytest.fixture
def tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=True):
        yield


@pytest.fixture
def floor_plan(center, reception_officer, leader, admin_user, tuesday_morning):
    """Queues A, B, C; counters 1–8 downstairs, 11–14 upstairs; three officers seated."""
    floors = {f.code: f for f in center.floors.all()}
    queues = {
        "a": make_queue(center, "a", name="Tư pháp – Chứng thực, hộ tịch"),
        "b": make_queue(center, "b", name="Công an – Cư trú, căn cước"),
        "c": make_queue(center, "c", name="Tài chính – Đăng ký kinh doanh"),
    }
    officers = {1: reception_officer, 4: leader, 11: admin_user}
    counters = {}
    for number in [*range(1, 9), *range(11, 15)]:
        queue = queues["a"] if number <= 3 else queues["b"] if number <= 8 else queues["c"]
        counters[number] = make_counter(center, number, [queue], officer=officers.get(number))
        counters[number].floor = floors["tret" if number < 10 else "lau-1"]
        counters[number].name = queue.name.split(" – ")[1].capitalize()
        counters[number].save()
    Counter.objects.filter(number__in=[7, 13]).update(state=Counter.State.PAUSED)
    for code, n in (("a", 6), ("b", 9), ("c", 4)):
        for _ in range(n):
            ticket_issue(queue=queues[code], channel="kiosk", now=timezone.now())
    return {"queues": queues, "counters": counters, "officers": officers}


def _call(server, plan, number):
    return server.call(
        ticket_call_next, counter=plan["counters"][number], officer=plan["officers"][number], now=timezone.now()
    )


def test_a_call_is_pushed_shown_large_and_announced_then_recalled(asgi_page, asgi_server, floor_plan, screenshot):
    page = asgi_page
    earlier = [_call(asgi_server, floor_plan, n) for n in (4, 11)]
    page.clock.install(time=timezone.now())  # the page's clock shows the same Tuesday morning
    page.goto("/board/cantho/")
    expect(page.get_by_test_id("now-code")).to_have_text(earlier[-1].code)
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "live")
    sound = page.get_by_role("button", name="Bật âm thanh")
    expect(sound).to_be_visible()
    sound.click()
    expect(sound).to_be_hidden()

    with page.expect_response(re.compile(r"/board/cantho/loa/\d+\.wav$")) as voice:
        started = time.monotonic()
        ticket = _call(asgi_server, floor_plan, 1)
        expect(page.get_by_test_id("now-code")).to_have_text(ticket.code, timeout=1000)
        pushed_in = time.monotonic() - started
    assert pushed_in < 1.0
    assert page.evaluate("document.body.dataset.lastSource") == "ws"
    event = TicketEvent.objects.get(ticket=ticket, action="queueing.ticket.called")
    assert voice.value.url.endswith(f"/loa/{event.pk}.wav") and voice.value.status == 200
    assert voice.value.header_value("content-type") == "audio/wav"
    expect(page.get_by_test_id("now-counter")).to_have_text("1")
    expect(page.locator("[data-now]")).to_have_class(re.compile("is-flash"))
    expect(page.get_by_test_id("counter-1")).to_contain_text(ticket.code)
    expect(page.get_by_test_id("recent-calls").locator("li").first).to_contain_text(ticket.code)
    expect(page.locator("[data-clock-time]")).to_have_text(re.compile(r"^08:\d{2}:\d{2}$"))
    expect(page.locator("[data-clock-date]")).to_have_text("Thứ Ba, 10/03/2026")
    expect(page.locator('[data-queue="a"] [data-waiting]')).to_have_text("5")
    page.wait_for_function("window.boardStats.played >= 1")
    screenshot(page, "board-1920x1080", full_page=False)

    with page.expect_response(re.compile(r"/board/cantho/loa/\d+\.wav$")) as again:
        asgi_server.call(ticket_recall, ticket=ticket, officer=floor_plan["officers"][1], now=timezone.now())
    assert again.value.status == 200
    expect(page.locator("[data-now-kind]")).to_have_text("Mời lại")
    expect(page.get_by_test_id("recent-calls").locator("li", has_text=ticket.code)).to_have_count(1)
    page.wait_for_function("window.boardStats.played >= 2")  # one after the other, never together
    assert page.evaluate("window.boardStats.ws") == 2


def test_without_a_socket_the_floor_board_polls_and_shows_only_its_floor(
    asgi_page, asgi_server, floor_plan, screenshot
):
    page = asgi_page
    page.add_init_script(BROKEN_WEBSOCKET)
    page.clock.install(time=timezone.now())
    page.goto("/board/cantho/lau-1/?autoplay=1")
    expect(page.get_by_test_id("board-floor")).to_have_text("Lầu 1")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "polling")
    expect(page.get_by_test_id("counter-1")).to_have_count(0)
    expect(page.get_by_role("button", name="Bật âm thanh")).to_be_hidden()  # kiosk mode: ?autoplay=1

    downstairs = _call(asgi_server, floor_plan, 4)
    upstairs = _call(asgi_server, floor_plan, 11)
    expect(page.get_by_test_id("now-code")).to_have_text(upstairs.code, timeout=5000)
    assert page.evaluate("document.body.dataset.lastSource") == "poll"
    expect(page.get_by_test_id("recent-calls")).not_to_contain_text(downstairs.code)
    expect(page.get_by_test_id("counter-13")).to_contain_text("Tạm dừng")
    screenshot(page, "board-floor-polling-1920x1080", full_page=False)


def test_an_unknown_board_says_so_in_vietnamese(asgi_page, asgi_server, organisation, screenshot):
    response = asgi_page.goto("/board/khong-co/")
    assert response.status == 404
    expect(asgi_page.get_by_role("heading", name="Không tìm thấy bảng điện tử")).to_be_visible()
    screenshot(asgi_page, "board-404-1920x1080", full_page=False)
