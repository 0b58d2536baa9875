"""The counter's live JSON, the printer banner and the leader's "today" page."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from motcua.queueing.services import ticket_call_next, ticket_finish, ticket_start

from .conftest import TUESDAY_8AM, issue

pytestmark = pytest.mark.django_db


def status(client, counter):
    response = client.get(f"/console/quay/{counter.pk}/trang-thai.json")
    assert response.status_code == 200
    return response.json()


def test_status_json_counts_and_upcoming_in_call_order(officer_client, desk, queue_b, elderly, clock):
    issue(queue_b, 0), issue(queue_b, 1), issue(queue_b, 2, priority=elderly)
    data = status(officer_client, desk)
    assert (data["state"], data["current"], data["served_today"], data["waiting_total"]) == ("open", None, 0, 3)
    [row] = data["queues"]
    assert [(t["code"], t["priority"]) for t in row["upcoming"]] == [
        ("B003", "Người cao tuổi"), ("B001", ""), ("B002", ""),
    ]  # fmt: skip
    officer_client.post(f"/console/quay/{desk.pk}/goi-tiep/", {"ticket": ""})
    data = status(officer_client, desk)
    assert data["current"]["code"] == "B003" and data["waiting_total"] == 2


def test_status_json_counts_todays_served(officer_client, desk, queue_b, reception_officer, clock):
    issue(queue_b)
    now = TUESDAY_8AM + timedelta(minutes=30)
    ticket = ticket_call_next(counter=desk, officer=reception_officer, now=now)
    ticket_finish(ticket=ticket, officer=reception_officer, now=now)
    assert status(officer_client, desk)["served_today"] == 1


def test_printer_problems_show_as_a_staff_banner(officer_client, desk, clock, monkeypatch):
    from motcua.notifications import selectors as printing

    problem = SimpleNamespace(printer_name="Kiosk tầng trệt", error="Hết giấy", ticket_code="B012", at=TUESDAY_8AM)
    monkeypatch.setattr(printing, "printer_problems", lambda *, center: [problem])
    page = officer_client.get(f"/console/quay/{desk.pk}/").content.decode()
    assert "Máy in phiếu gặp sự cố" in page and "Kiosk tầng trệt: Hết giấy — phiếu số B012" in page


def test_a_broken_printer_read_never_breaks_the_counter_screen(officer_client, desk, clock, monkeypatch):
    from motcua.notifications import selectors as printing

    def broken(*, center):
        raise RuntimeError("outbox unreadable")

    monkeypatch.setattr(printing, "printer_problems", broken)
    response = officer_client.get(f"/console/quay/{desk.pk}/")
    assert response.status_code == 200 and "Máy in phiếu gặp sự cố" not in response.content.decode()


@pytest.fixture
def busy_morning(desk, queue_b, reception_officer):
    """B001 waited 10 min and was served 6 min; B002 still waits."""
    issue(queue_b, 0)
    ticket = ticket_call_next(counter=desk, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=10))
    ticket_start(ticket=ticket, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=10))
    ticket_finish(ticket=ticket, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=16))
    issue(queue_b, 20)


def test_today_page_for_the_leader(client, leader, busy_morning, clock, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(20):
        response = client.get("/console/hom-nay/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hàng đợi hôm nay" in page and "Thứ Ba, 10/03/2026" in page
    assert "Chờ trung bình" in page and "10 phút" in page and "6 phút" in page
    queues = page[page.index('data-testid="kpi-queues"') :]
    assert "Tư pháp" in queues and "10:00" in queues and "6:00" in queues
    assert "Trần Thị Hoa" in page[page.index('data-testid="kpi-officers"') :]
    assert "Trần Thị Hoa" in page[page.index('data-testid="live-counters"') :]


def test_the_live_floor_shows_the_hall_right_now(client, leader, busy_morning, clock):
    client.force_login(leader)
    page = client.get("/console/hom-nay/").content.decode()
    now = page[page.index('data-testid="kpi-now"') : page.index('data-testid="kpi-total"')]
    assert "Chờ lâu nhất lúc này" in now and "40 phút" in now  # B002, issued 08:20, at 09:00
    assert "1<small> / 2</small>" in now  # the desk is open, the other counter closed
    calls = now[now.index("Số đã gọi trong 1 giờ qua") :]
    assert '<span class="c-kpi__value">1</span>' in calls  # B001 called at 08:10
    queues = page[page.index('data-testid="kpi-queues"') :]
    assert "40:00" in queues
    assert 'data-live-socket="/ws/board/cantho/"' in page and "console-live.js" in page


def test_an_hour_later_the_calls_of_the_last_hour_are_none(client, leader, busy_morning, clock):
    clock.shift(timedelta(hours=1, minutes=30))
    client.force_login(leader)
    page = client.get("/console/hom-nay/").content.decode()
    now = page[page.index('data-testid="kpi-now"') : page.index('data-testid="kpi-total"')]
    assert '<span class="c-kpi__value">0</span>' in now[now.index("Số đã gọi trong 1 giờ qua") :]
    assert "2 giờ 10 phút" in now


def test_today_page_is_for_leaders_and_admins_only(client, reception_officer, desk):
    client.force_login(reception_officer)
    response = client.get("/console/hom-nay/")
    assert response.status_code == 403
    assert "dành cho lãnh đạo trung tâm" in response.content.decode()


def test_admin_picks_the_center(client, admin_user, busy_morning, clock):
    client.force_login(admin_user)
    page = client.get("/console/hom-nay/?center=ninhkieu").content.decode()
    assert 'aria-current="true">' in page and "Ninh Kiều" in page
    assert "Tư pháp" not in page  # Can Tho's queue is not listed for Ninh Kieu


def test_leader_cannot_read_another_centers_day(client, leader, busy_morning, clock):
    client.force_login(leader)
    page = client.get("/console/hom-nay/?center=ninhkieu").content.decode()
    assert "Tư pháp" in page  # falls back to their own center


def test_counter_screen_costs_a_bounded_number_of_queries(officer_client, desk, queue_b, clock, django_assert_max_num_queries):
    for minute in range(30):
        issue(queue_b, minute % 60)
    officer_client.post(f"/console/quay/{desk.pk}/goi-tiep/", {"ticket": ""})
    with django_assert_max_num_queries(16):
        assert officer_client.get(f"/console/quay/{desk.pk}/").status_code == 200
