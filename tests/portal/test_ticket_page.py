"""The phone page behind the slip's QR code: status in words, live JSON, no login, nothing personal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from motcua.queueing.services import (
    ticket_call_next,
    ticket_cancel,
    ticket_issue,
    ticket_mark_no_show,
    ticket_start,
    ticket_transfer,
)
from tests.queueing.conftest import TUESDAY_8AM, WEDNESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db
LATER = TUESDAY_8AM + timedelta(minutes=5)


@pytest.fixture
def queue(center):
    return make_queue(center)


@pytest.fixture
def counter(center, queue, reception_officer):
    return make_counter(center, 1, [queue], officer=reception_officer)


@pytest.fixture(autouse=True)
def _a_little_later():
    with time_machine.travel(LATER, tick=False):
        yield


def page(client, ticket) -> str:
    response = client.get(f"/so/{ticket.token}/")
    assert response.status_code == 200
    return response.content.decode()


def status(client, ticket) -> dict:
    response = client.get(f"/so/{ticket.token}/trang-thai.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_waiting_ticket_shows_code_queue_people_ahead_and_wait(client, queue, counter):
    ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    mine = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    body = page(client, mine)
    assert 'data-testid="ticket-code">B002<' in body and queue.name in body
    assert "Đang chờ" in body and 'data-testid="people-ahead">1<' in body and "khoảng 8 phút" in body
    assert f'data-status-url="/so/{mine.token}/trang-thai.json"' in body and 'data-poll-seconds="10"' in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert status(client, mine) == {
        "code": "B002", "queue": queue.name, "status": "waiting", "tone": "waiting", "title": "Đang chờ",
        "detail": "Vui lòng chú ý bảng điện tử và loa gọi số.", "counter": "", "people_ahead": 1,
        "wait": "khoảng 8 phút", "final": False, "updated_at": "08:05:00",
    }  # fmt: skip


def test_no_open_counter_says_so(client, queue):
    make_counter(queue.center, 3, [queue])  # closed
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    assert status(client, ticket)["wait"] == "chưa có quầy mở"


def test_called_serving_and_done_in_words(client, queue, counter, reception_officer):
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_call_next(counter=counter, officer=reception_officer, now=LATER)
    state = status(client, ticket)
    assert (state["title"], state["tone"], state["counter"], state["people_ahead"]) == (
        "Đã gọi — mời đến quầy số 1", "called", "1", None
    )
    assert "Đã gọi — mời đến quầy số 1" in page(client, ticket)
    ticket_start(ticket=ticket, officer=reception_officer, now=LATER)
    assert status(client, ticket)["title"] == "Đang phục vụ tại quầy số 1"
    ticket_call_next(counter=counter, officer=reception_officer, now=LATER)  # finishes it
    state = status(client, ticket)
    assert (state["title"], state["final"]) == ("Đã xong", True)
    assert "data-final" in page(client, ticket)


def test_no_show_and_cancelled(client, queue, counter, reception_officer):
    missed = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_call_next(counter=counter, officer=reception_officer, now=LATER)
    ticket_mark_no_show(ticket=missed, officer=reception_officer, now=LATER)
    assert (status(client, missed)["title"], status(client, missed)["tone"]) == ("Đã qua lượt", "missed")
    cancelled = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_cancel(ticket=cancelled, now=LATER)
    assert status(client, cancelled)["title"] == "Đã hủy"


def test_a_transferred_ticket_follows_the_citizen_to_the_new_queue(client, queue, counter, reception_officer, center):
    other = make_queue(center, "c", name="Hàng đợi tài chính", prefix="C")
    make_counter(center, 2, [other])
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_call_next(counter=counter, officer=reception_officer, now=LATER)
    new = ticket_transfer(ticket=ticket, queue=other, officer=reception_officer, now=LATER)
    state = status(client, ticket)
    assert (state["code"], state["queue"], state["status"]) == (new.code, "Hàng đợi tài chính", "waiting")


def test_yesterdays_waiting_ticket_has_expired(client, queue, counter):
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    with time_machine.travel(WEDNESDAY_8AM, tick=False):
        state = status(client, ticket)
    assert (state["status"], state["final"], state["people_ahead"]) == ("expired", True, None)
    assert "10/03/2026" in state["detail"]


def test_nothing_personal_and_never_cached(client, queue, counter, reception_officer):
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_call_next(counter=counter, officer=reception_officer, now=LATER)
    response = client.get(f"/so/{ticket.token}/")
    body = response.content.decode()
    assert reception_officer.username not in body
    if reception_officer.get_full_name():
        assert reception_officer.get_full_name() not in body
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_unknown_token_is_a_friendly_vietnamese_404(client, organisation):
    response = client.get("/so/khong-co-so-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy số thứ tự" in response.content.decode()
    response = client.get("/so/khong-co-so-nay/trang-thai.json")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "queueing.ticket.not_found", "message": "Không tìm thấy số thứ tự này."}
    }


def test_only_reads_are_allowed(client, queue, counter):
    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    assert client.post(f"/so/{ticket.token}/").status_code == 405
