"""Taking a number at the kiosk: queue, priority, identity hook, confirm, slip, refusals, double taps."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse

from motcua.catalog.models import Sector
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, local, make_counter, make_queue

pytestmark = pytest.mark.django_db
START = "/kiosk/cantho/lay-so/"
SUNDAY_9AM = local(2026, 3, 8, 9, 0)


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield
    cache.clear()  # the one-time form outcomes live in the cache


def text(response) -> str:
    return response.content.decode()


def confirm_url(queue, priority: str = "khong") -> str:
    return f"/kiosk/cantho/lay-so/hang/{queue.code}/xac-nhan/?uu_tien={priority}"


def form_token(client, queue, priority: str = "khong") -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', text(client.get(confirm_url(queue, priority))))
    assert match, "the confirm screen carries a one-time form token"
    return match.group(1)


def take(client, queue, priority: str = "khong", token: str | None = None):
    token = token or form_token(client, queue, priority)
    return client.post(confirm_url(queue, priority), {"form_token": token, "uu_tien": priority})


# --- step 1 -----------------------------------------------------------------------------------


def test_home_tile_leads_to_taking_a_number(client, justice_queue):
    body = text(client.get("/kiosk/cantho/"))
    assert f'href="{START}"' in body
    assert client.get(START).status_code == 200


def test_queue_tiles_show_agencies_and_people_waiting(client, justice_queue, finance_queue):
    for _ in range(3):
        ticket_issue(queue=justice_queue, channel="kiosk", now=TUESDAY_8AM)
    body = text(client.get(START))
    assert "Sở Tư pháp" in body
    assert '<span class="q-tile__name">Tài chính</span>' in body  # agency part large…
    assert '<span class="q-tile__sub">Đầu tư</span>' in body  # …what it covers below
    assert "Sở Tài chính" in body  # the agency behind a queue with another name
    assert "<strong>3</strong> đang chờ" in body and "~24 phút" in body  # 3 × 8 min ÷ 1 open counter
    assert "<strong>0</strong> đang chờ" in body
    assert "Chưa có quầy mở" in body  # finance: its counter is closed
    assert 'href="/kiosk/cantho/lay-so/hang/tu-phap/"' in body
    assert "data-kiosk-search" in body and 'data-key="Đ"' in body  # or search a procedure


def test_no_queue_yet_sends_people_to_the_information_desk(client, organisation):
    assert "Vui lòng đến quầy hướng dẫn" in text(client.get(START))


@time_machine.travel(SUNDAY_9AM, tick=False)
def test_out_of_hours_is_said_before_choosing(client, justice_queue):
    body = text(client.get(START))
    assert "Hiện ngoài giờ tiếp nhận hồ sơ" in body


def test_procedure_search_leads_to_the_queue_that_serves_it(client, sample_catalog, center):
    queue = make_queue(center, "ho-tich", name="Hộ tịch – Chứng thực", prefix="H")
    queue.sectors.add(*Sector.objects.filter(code="chung-thuc"))
    make_counter(center, 2, [queue])
    body = text(client.get("/kiosk/cantho/lay-so/thu-tuc/", {"q": "chung thuc"}))
    assert "Chứng thực di chúc" in body
    assert 'href="/kiosk/cantho/lay-so/thu-tuc/2.001019/"' in body
    response = client.get("/kiosk/cantho/lay-so/thu-tuc/2.001019/")
    assert response.status_code == 302 and response["Location"] == "/kiosk/cantho/lay-so/hang/ho-tich/"


def test_procedure_without_a_queue_says_to_ask_the_desk(client, sample_catalog, justice_queue):
    response = client.get("/kiosk/cantho/lay-so/thu-tuc/1.014199/")
    assert response.status_code == 200
    assert "Kiosk chưa cấp số cho thủ tục này. Vui lòng đến quầy hướng dẫn" in text(response)


def test_unknown_procedure_queue_or_center_is_404(client, sample_catalog, justice_queue):
    assert client.get("/kiosk/cantho/lay-so/thu-tuc/9.999999/").status_code == 404
    assert client.get("/kiosk/cantho/lay-so/hang/khong-co/").status_code == 404
    assert client.get("/kiosk/khong-co/lay-so/").status_code == 404
    assert client.get("/kiosk/ninhkieu/lay-so/hang/tu-phap/").status_code == 404  # another center's queue


# --- step 2 and the identity hook --------------------------------------------------------------


def test_priority_step_offers_none_and_the_active_classes(client, justice_queue, priority_classes):
    body = text(client.get("/kiosk/cantho/lay-so/hang/tu-phap/"))
    assert "Không thuộc nhóm ưu tiên" in body
    assert "Người cao tuổi" in body and "Người khuyết tật" in body
    assert "Nhóm đã bỏ" not in body
    assert "có thể đề nghị xuất trình giấy tờ" in body
    assert 'href="/kiosk/cantho/lay-so/hang/tu-phap/xac-nhan/?uu_tien=cao-tuoi"' in body
    assert 'href="/kiosk/cantho/lay-so/hang/tu-phap/xac-nhan/?uu_tien=khong"' in body


def test_without_priority_classes_the_step_is_skipped(client, justice_queue):
    response = client.get("/kiosk/cantho/lay-so/hang/tu-phap/")
    assert response.status_code == 302 and response["Location"] == confirm_url(justice_queue)


def test_a_withdrawn_priority_class_sends_back_to_the_choice(client, justice_queue, priority_classes):
    response = client.get(confirm_url(justice_queue, "ngung"))
    assert response.status_code == 302 and response["Location"] == "/kiosk/cantho/lay-so/hang/tu-phap/"


def test_identity_hook_can_put_a_screen_before_confirming(client, justice_queue, monkeypatch):
    seen = {}

    def face_check(request, *, center, queue, priority):
        seen.update(center=center.code, queue=queue.code, priority=priority)
        return HttpResponse("kiểm tra khuôn mặt")

    monkeypatch.setattr("motcua.kiosk.queue_views.identity_step", face_check)
    assert text(client.get(confirm_url(justice_queue))) == "kiểm tra khuôn mặt"
    assert seen == {"center": "cantho", "queue": "tu-phap", "priority": None}


# --- step 3: confirm and issue -----------------------------------------------------------------


def test_confirm_shows_the_choice_and_the_wait(client, justice_queue, priority_classes):
    ticket_issue(queue=justice_queue, channel="kiosk", now=TUESDAY_8AM)
    body = text(client.get(confirm_url(justice_queue, "cao-tuoi")))
    assert "Sở Tư pháp" in body and "Người cao tuổi" in body
    assert "1 người" in body and "khoảng 8 phút" in body  # one waiting × 8 min default ÷ one open counter
    assert 'name="uu_tien" value="cao-tuoi"' in body


def test_taking_a_number_issues_a_kiosk_ticket_and_shows_the_slip(client, justice_queue, priority_classes):
    ticket_issue(queue=justice_queue, channel="kiosk", now=TUESDAY_8AM)
    response = take(client, justice_queue, "cao-tuoi")
    ticket = Ticket.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/kiosk/cantho/lay-so/phieu/{ticket.token}/"
    assert (ticket.code, ticket.channel, ticket.priority.code) == ("B002", "kiosk", "cao-tuoi")
    body = text(client.get(response["Location"]))
    assert 'data-testid="slip-code">B002<' in body
    assert "<svg" in body and f'data-url="http://127.0.0.1:8000/so/{ticket.token}/"' in body
    assert "Người cao tuổi" in body
    assert 'data-testid="slip-ahead">0<' in body  # priority: called before the normal ticket
    assert f"/kiosk/cantho/lay-so/phieu/{ticket.token}/in/?tu_dong=1" in body  # "In phiếu"
    assert 'href="/kiosk/cantho/"' in body  # "Xong"
    assert 'data-idle-seconds="45"' in body  # goes home by itself


def test_slip_says_no_counter_is_open(client, finance_queue):
    take(client, finance_queue)
    body = text(client.get(f"/kiosk/cantho/lay-so/phieu/{Ticket.objects.get().token}/"))
    assert 'data-testid="slip-wait">chưa có quầy mở<' in body


def test_double_tap_issues_one_ticket_and_shows_the_same_slip(client, justice_queue):
    token = form_token(client, justice_queue)
    first = take(client, justice_queue, token=token)
    second = take(client, justice_queue, token=token)
    assert Ticket.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/kiosk/cantho/lay-so/phieu/{Ticket.objects.get().token}/"


def test_a_twin_request_waits_for_the_first_one(client, justice_queue, monkeypatch):
    """The second tap arrives while the first is still issuing: it shows the first one's slip."""
    from motcua.kiosk import once

    token = form_token(client, justice_queue)
    assert cache.add(once._PREFIX + token, "issuing")  # the first request holds the claim…
    calls = []

    def first_request_finishes(seconds):
        calls.append(seconds)
        cache.set(once._PREFIX + token, {"ticket_token": "abc", "refusal": ""})  # …and finishes

    monkeypatch.setattr(once.time, "sleep", first_request_finishes)
    response = take(client, justice_queue, token=token)
    assert calls and response["Location"] == "/kiosk/cantho/lay-so/phieu/abc/"
    assert Ticket.objects.count() == 0


def test_an_unknown_or_reused_form_token_issues_nothing(client, justice_queue):
    response = take(client, justice_queue, token="forged")
    assert response.status_code == 302 and response["Location"] == confirm_url(justice_queue)
    assert Ticket.objects.count() == 0


def test_each_confirm_screen_issues_its_own_ticket(client, justice_queue):
    take(client, justice_queue)
    take(client, justice_queue)
    assert list(Ticket.objects.values_list("code", flat=True)) == ["B001", "B002"]


@time_machine.travel(SUNDAY_9AM, tick=False)
def test_refusal_is_explained_in_vietnamese_and_keeps_the_choice(client, justice_queue, priority_classes):
    token = form_token(client, justice_queue, "cao-tuoi")
    response = take(client, justice_queue, "cao-tuoi", token=token)
    body = text(response)
    assert response.status_code == 409
    assert "Hôm nay không phải ngày làm việc, chưa cấp số." in body
    assert "Người cao tuổi" in body
    assert f'href="{confirm_url(justice_queue, "cao-tuoi")}"' in body  # "Thử lại" with the same choice
    assert Ticket.objects.count() == 0
    again = take(client, justice_queue, "cao-tuoi", token=token)  # a double tap shows the same refusal
    assert again.status_code == 409 and "Hôm nay không phải ngày làm việc" in text(again)


def test_daily_cap_refusal(client, justice_queue):
    justice_queue.daily_cap = 1
    justice_queue.save()
    take(client, justice_queue)
    response = take(client, justice_queue)
    assert response.status_code == 409 and "đã cấp đủ 1 số trong ngày" in text(response)


# --- the slip's other outputs ------------------------------------------------------------------


def test_80mm_print_view_and_pdf(client, justice_queue):
    take(client, justice_queue)
    ticket = Ticket.objects.get()
    body = text(client.get(f"/kiosk/cantho/lay-so/phieu/{ticket.token}/in/?tu_dong=1"))
    assert 'data-testid="print-code">B001<' in body and "data-autoprint" in body and "<svg" in body
    assert "size: 80mm auto" in body
    pdf = client.get(f"/kiosk/cantho/lay-so/phieu/{ticket.token}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="so-thu-tu-B001.pdf"' in pdf["Content-Disposition"]


def test_slip_of_another_center_or_unknown_token_is_404(client, justice_queue):
    take(client, justice_queue)
    token = Ticket.objects.get().token
    assert client.get(f"/kiosk/ninhkieu/lay-so/phieu/{token}/").status_code == 404
    assert client.get("/kiosk/cantho/lay-so/phieu/khong-co/").status_code == 404
    assert client.get("/kiosk/cantho/lay-so/phieu/khong-co.pdf").status_code == 404


def test_issuing_queues_the_slip_for_the_default_printer(client, justice_queue, center, tmp_path):
    from motcua.notifications.models import OutboxMessage, Printer

    Printer.objects.create(
        center=center, name="Kiosk sảnh", kind="device", device_path=str(tmp_path / "lp0"), is_slip_default=True
    )
    take(client, justice_queue)
    message = OutboxMessage.objects.get()
    assert message.ticket.code == "B001" and message.channel == "printer"
    assert bytes(message.payload).startswith(b"\x1b@")
    body = text(client.get(f"/kiosk/cantho/lay-so/phieu/{message.ticket.token}/"))
    assert "Phiếu đang được in" in body


def test_an_outbox_failure_still_shows_the_slip(client, justice_queue, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("motcua.kiosk.queue_views.ticket_slip_print", broken)
    response = take(client, justice_queue)
    assert response["Location"] == f"/kiosk/cantho/lay-so/phieu/{Ticket.objects.get().token}/"


@time_machine.travel(SUNDAY_9AM, tick=False)
def test_a_closed_day_is_said_as_soon_as_a_queue_is_chosen(client, justice_queue, priority_classes):
    response = client.get(f"/kiosk/cantho/lay-so/hang/{justice_queue.code}/")
    body = text(response)
    assert response.status_code == 409
    assert "Hôm nay không phải ngày làm việc, chưa cấp số." in body
    assert f'href="/kiosk/cantho/lay-so/hang/{justice_queue.code}/"' in body  # "Thử lại" comes back here
    assert "Người cao tuổi" not in body  # no priority choice on a day nobody is served
