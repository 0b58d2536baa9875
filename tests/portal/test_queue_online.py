"""Today's queue number from the phone: a signed-in citizen, the kiosk's rules, a daily limit."""

from __future__ import annotations

import pytest
import time_machine

from motcua.core.models import AuditLog
from motcua.queueing.models import Ticket
from tests.queueing.conftest import TUESDAY_8AM, local, make_counter, make_queue

pytestmark = pytest.mark.django_db
URL = "/lay-so-truc-tuyen/"


@pytest.fixture
def citizen(organisation):
    from motcua.identity.services.accounts import citizen_register

    return citizen_register(full_name="Trần Thị Mai", national_id="092185001234", phone="0901234567",
                            password="Song-Hau-2026!", terms_version="2026-11")  # fmt: skip


@pytest.fixture
def queue(center):
    queue = make_queue(center, "b", name="Tư pháp – Chứng thực, hộ tịch")
    make_counter(center, 1, [queue])  # a queue no counter serves is not offered, as at the kiosk
    return queue


def test_only_citizens_take_numbers_here(client, queue, reception_officer):
    assert client.get(URL)["Location"].startswith("/tai-khoan/dang-nhap/")
    client.force_login(reception_officer)
    assert client.get(URL).status_code == 403


def test_a_number_for_today_is_followed_on_the_phone(client, citizen, queue):
    client.force_login(citizen)
    assert "Trung tâm Phục vụ hành chính công thành phố Cần Thơ" in client.get(URL).content.decode()
    with time_machine.travel(TUESDAY_8AM, tick=False):
        page = client.get(f"{URL}cantho/").content.decode()
        assert 'data-testid="queue-b"' in page and "0 người đang chờ" in page
        response = client.post(f"{URL}cantho/", {"hang": "b"})
    ticket = Ticket.objects.get()
    assert ticket.channel == Ticket.Channel.WEB and ticket.code == "B001"
    assert response["Location"] == f"/so/{ticket.token}/"
    assert AuditLog.objects.get(action="queueing.ticket.issued_online").actor == citizen


def test_the_kiosk_rules_refuse_on_a_sunday_with_the_reason(client, citizen, queue):
    client.force_login(citizen)
    with time_machine.travel(local(2026, 3, 8, 9, 0), tick=False):
        page = client.post(f"{URL}cantho/", {"hang": "b"}, follow=True).content.decode()
    assert not Ticket.objects.exists()
    assert "Hôm nay không phải ngày làm việc" in page  # ticket_issue's own refusal, in words


def test_a_few_numbers_a_day_at_most(client, citizen, queue, settings):
    settings.MOTCUA = {**settings.MOTCUA, "WEB_TICKETS_PER_DAY": 2}
    client.force_login(citizen)
    with time_machine.travel(TUESDAY_8AM, tick=False):
        for _ in range(3):
            page = client.post(f"{URL}cantho/", {"hang": "b"}, follow=True).content.decode()
    assert Ticket.objects.count() == 2
    assert "tối đa 2 lần" in page


def test_no_queue_chosen_is_asked_again(client, citizen, queue):
    client.force_login(citizen)
    with time_machine.travel(TUESDAY_8AM, tick=False):
        page = client.post(f"{URL}cantho/", {}, follow=True).content.decode()
    assert "Vui lòng chọn một lĩnh vực" in page and not Ticket.objects.exists()
