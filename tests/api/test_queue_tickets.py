"""POST /api/v1/queue/tickets, GET /tickets/{id} and /tickets/by-token/{token}: who may, what comes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.core.models import Center
from motcua.devices.services import device_create, device_revoke
from motcua.queueing.models import PriorityClass, Ticket
from motcua.queueing.services import ticket_call_next, ticket_issue, ticket_start, ticket_transfer
from tests.queueing.conftest import TUESDAY_8AM, local, make_counter, make_queue

pytestmark = pytest.mark.django_db
URL = "/api/v1/queue/tickets"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


@pytest.fixture
def queue(center):
    return make_queue(center, "b", default_service_minutes=6)


@pytest.fixture
def counter(center, queue, reception_officer):
    return make_counter(center, 3, [queue], officer=reception_officer)


@pytest.fixture
def kiosk_token(center):
    return device_create(center=center, kind="kiosk", name="Kiosk sảnh")[1]


def device(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Device {token}"}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def issue(client, token, **body):
    return client.post(URL, {"center": "cantho", "queue": "b", **body}, content_type="application/json", **device(token))


def test_a_kiosk_issues_a_ticket_with_its_wait(client, kiosk_token, counter):
    ticket_issue(queue=counter.queues.get(), channel="kiosk", now=TUESDAY_8AM - timedelta(minutes=5))
    response = issue(client, kiosk_token)
    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get(pk=body["id"])
    assert body["code"] == "B002" == ticket.code and body["token"] == ticket.token
    assert body["channel"] == "kiosk" and body["status"] == "waiting" and body["status_text"] == "đang chờ"
    assert body["queue"] == {"code": "b", "name": "Hàng đợi b"} and body["center"] == "cantho"
    assert body["people_ahead"] == 1 and body["position"] == 2
    assert body["estimated_wait_minutes"] == 6 and body["estimate_basis"] == "default"
    assert body["issued_at"].startswith("2026-03-10T08:00:00") and body["issued_at"].endswith("+07:00")
    assert body["tracking_url"].endswith(f"/so/{ticket.token}/")
    assert body["counter"] is None and body["priority"] is None


def test_a_priority_ticket_goes_ahead_of_normal_ones(client, kiosk_token, counter, queue):
    PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1)
    for _i in range(3):
        ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM - timedelta(minutes=5))
    body = issue(client, kiosk_token, priority="cao-tuoi").json()
    assert body["priority"] == "cao-tuoi" and body["people_ahead"] == 0


def test_no_open_counter_means_no_estimate(client, kiosk_token, queue):
    make_counter(queue.center, 3, [queue])  # closed
    body = issue(client, kiosk_token).json()
    assert body["people_ahead"] == 0 and body["estimated_wait_minutes"] is None


def test_an_officer_issues_a_counter_ticket(client, reception_officer, queue):
    client.force_login(reception_officer)
    response = client.post(URL, {"center": "cantho", "queue": "b"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "counter"
    response = client.post(URL, {"center": "cantho", "queue": "b", "channel": "web"}, content_type="application/json")
    assert response.json()["channel"] == "web"


def test_an_officer_of_another_center_may_not_issue(client, queue):
    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    error = error_of(client.post(URL, {"center": "cantho", "queue": "b"}, content_type="application/json"), 403)
    assert error["code"] == "forbidden"


def test_a_kiosk_of_another_center_or_another_kind_may_not_issue(client, queue):
    other = device_create(center=Center.objects.get(code="ninhkieu"), kind="kiosk", name="K")[1]
    board = device_create(center=queue.center, kind="board", name="Bảng")[1]
    assert error_of(issue(client, other), 403)["code"] == "forbidden"
    assert error_of(issue(client, board), 403)["code"] == "forbidden"
    assert not Ticket.objects.exists()


def test_a_kiosk_issues_only_kiosk_tickets(client, kiosk_token, queue):
    assert error_of(issue(client, kiosk_token, channel="counter"), 403)["code"] == "channel_not_allowed"


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (local(2026, 3, 10, 6, 30), "queueing.issue.outside_hours"),
        (local(2026, 3, 10, 10, 20), "queueing.issue.cutoff"),
        (local(2026, 3, 14, 8, 0), "queueing.issue.day_off"),  # a Saturday
    ],
)
def test_refusals_are_409_with_the_services_code_and_message(client, kiosk_token, queue, moment, code):
    with time_machine.travel(moment, tick=False):
        error = error_of(issue(client, kiosk_token), 409)
    assert error["code"] == code
    assert any(ch in error["message"] for ch in "àáảãạăâđêôơư")  # Vietnamese, with its diacritics


def test_the_daily_cap_is_a_409(client, kiosk_token, queue):
    queue.daily_cap = 1
    queue.save()
    assert issue(client, kiosk_token).status_code == 201
    error = error_of(issue(client, kiosk_token), 409)
    assert error["code"] == "queueing.issue.daily_cap" and "1 số" in error["message"]


def test_a_refusal_speaks_english_when_asked(client, kiosk_token, queue):
    with time_machine.travel(local(2026, 3, 14, 8, 0), tick=False):
        response = client.post(
            URL, {"center": "cantho", "queue": "b"}, content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en", **device(kiosk_token),
        )  # fmt: skip
    error = error_of(response, 409)
    assert error == {"code": "queueing.issue.day_off", "message": "Today is not a working day; no numbers are issued."}


def test_an_inactive_queue_is_refused(client, kiosk_token, queue):
    queue.is_active = False
    queue.save()
    assert error_of(issue(client, kiosk_token), 409)["code"] == "queueing.issue.queue_inactive"


@pytest.mark.parametrize(
    ("body", "status"),
    [({"queue": "khong-co"}, 404), ({"center": "khong-co"}, 404), ({"priority": "khong-co"}, 404)],
)
def test_unknown_names_are_404(client, kiosk_token, queue, body, status):
    assert error_of(issue(client, kiosk_token, **body), status)["code"] == "not_found"


# --- reading a ticket -----------------------------------------------------------------------


def test_the_kiosk_reads_a_ticket_of_its_center(client, kiosk_token, counter, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    body = client.get(f"{URL}/{ticket.pk}", **device(kiosk_token)).json()
    assert body["code"] == ticket.code and body["position"] == 1 and body["estimated_wait_minutes"] == 0


def test_a_called_ticket_names_its_counter(client, reception_officer, counter, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    ticket_call_next(counter=counter, officer=reception_officer)
    client.force_login(reception_officer)
    body = client.get(f"{URL}/{ticket.pk}").json()
    assert body["status"] == "called" and body["people_ahead"] is None and body["position"] is None
    assert body["counter"] == {"id": counter.pk, "number": 3, "name": "Quầy 3", "floor": ""}
    assert body["called_at"].startswith("2026-03-10T08:00:00")


def test_another_centers_ticket_is_not_revealed(client, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    other = device_create(center=Center.objects.get(code="ninhkieu"), kind="kiosk", name="K")[1]
    assert error_of(client.get(f"{URL}/{ticket.pk}", **device(other)), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}/999999", **device(other)), 404)["code"] == "not_found"


def test_an_agency_officer_without_a_center_role_reads_nothing(client, agency_officer, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    client.force_login(agency_officer)
    assert client.get(f"{URL}/{ticket.pk}").status_code == 404


def test_a_leader_reads_the_tickets_of_their_center(client, leader, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    client.force_login(leader)
    assert client.get(f"{URL}/{ticket.pk}").status_code == 200


def test_the_qr_token_is_the_only_credential_needed(client, counter, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    response = client.get(f"{URL}/by-token/{ticket.token}")
    body = response.json()
    assert response.status_code == 200 and body["code"] == ticket.code and body["position"] == 1
    assert "token" not in body and "id" not in body and "tracking_url" not in body
    assert error_of(client.get(f"{URL}/by-token/{'x' * 22}"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}/by-token/{'x' * 65}"), 422)["code"] == "invalid_parameter"


def test_the_qr_token_follows_a_transfer(client, reception_officer, counter, queue):
    other = make_queue(queue.center, "c")
    ticket = ticket_issue(queue=queue, channel="kiosk")
    ticket_call_next(counter=counter, officer=reception_officer)
    ticket_start(ticket=ticket, officer=reception_officer)
    new = ticket_transfer(ticket=ticket, queue=other, officer=reception_officer)
    body = client.get(f"{URL}/by-token/{ticket.token}").json()
    assert body["code"] == new.code and body["queue"]["code"] == "c" and body["transferred_from"] == ticket.code
    assert body["status"] == "waiting" and body["estimated_wait_minutes"] is None  # nobody serves queue c


def test_a_revoked_kiosk_is_401(client, center, queue):
    device, token = device_create(center=center, kind="kiosk", name="K")
    device_revoke(device=device)
    assert error_of(issue(client, token), 401)["code"] == "invalid_device_token"


def test_a_leader_of_one_center_issues_there(client, queue):
    user = User.objects.create_user("lanhdao2", password="x")
    RoleAssignment.objects.create(user=user, role=Role.CENTER_LEADER, center=queue.center)
    client.force_login(user)
    assert client.post(URL, {"center": "cantho", "queue": "b"}, content_type="application/json").status_code == 201
