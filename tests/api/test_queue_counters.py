"""Counter actions through the API: an officer's session, the seat and scope checks, the services' refusals."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from motcua.accounts.models import User
from motcua.devices.services import device_create
from motcua.queueing.models import Counter, Ticket, TicketEvent
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


@pytest.fixture
def queue(center):
    return make_queue(center, "b")


@pytest.fixture
def counter(center, queue, reception_officer):
    return make_counter(center, 3, [queue], officer=reception_officer)


@pytest.fixture
def officer(client, reception_officer):
    client.force_login(reception_officer)
    return client


def act(client, counter, action: str, body: dict | None = None):
    return client.post(f"/api/v1/queue/counters/{counter.pk}/{action}", body or {}, content_type="application/json")


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_call_next_calls_the_head_of_the_line(officer, counter, queue):
    first = ticket_issue(queue=queue, channel="kiosk")
    ticket_issue(queue=queue, channel="kiosk")
    body = act(officer, counter, "call-next").json()
    assert body["counter"] == {"id": counter.pk, "number": 3, "name": "Quầy 3", "floor": "", "state": "open"}
    assert body["ticket"]["code"] == first.code and body["ticket"]["status"] == "called"
    assert body["ticket"]["counter"]["number"] == 3


def test_call_next_with_nobody_waiting_answers_no_ticket(officer, counter):
    body = act(officer, counter, "call-next").json()
    assert body["ticket"] is None


def test_the_whole_round_at_a_counter(officer, counter, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    act(officer, counter, "call-next")
    assert act(officer, counter, "recall").json()["ticket"]["status"] == "called"
    assert act(officer, counter, "start").json()["ticket"]["status"] == "serving"
    assert act(officer, counter, "finish").json()["ticket"]["status"] == "done"
    actions = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True))
    assert actions == ["queueing.ticket.issued", "queueing.ticket.called", "queueing.ticket.recalled",
                       "queueing.ticket.serving", "queueing.ticket.done"]  # fmt: skip


def test_no_show_and_recycle_once(officer, counter, queue):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    act(officer, counter, "call-next")
    body = act(officer, counter, "no-show", {"recycle": True}).json()
    assert body["ticket"]["status"] == "waiting" and body["ticket"]["position"] == 1
    act(officer, counter, "call-next")
    error = error_of(act(officer, counter, "no-show", {"recycle": True}), 409)
    assert error["code"] == "queueing.ticket.already_recycled"
    assert act(officer, counter, "no-show").json()["ticket"]["status"] == "no_show"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NO_SHOW


def test_transfer_gives_a_new_ticket_in_the_other_queue(officer, counter, queue):
    make_queue(counter.center, "c")
    ticket = ticket_issue(queue=queue, channel="kiosk")
    act(officer, counter, "call-next")
    body = act(officer, counter, "transfer", {"queue": "c"}).json()
    assert body["ticket"]["queue"]["code"] == "c" and body["ticket"]["transferred_from"] == ticket.code
    assert error_of(act(officer, counter, "transfer", {"queue": "c"}), 409)["code"] == "queueing.counter.no_current"


def test_transfer_to_an_unknown_queue_is_404(officer, counter, queue):
    ticket_issue(queue=queue, channel="kiosk")
    act(officer, counter, "call-next")
    assert error_of(act(officer, counter, "transfer", {"queue": "khong-co"}), 404)["code"] == "not_found"


def test_call_a_number(officer, counter, queue):
    ticket_issue(queue=queue, channel="kiosk")
    second = ticket_issue(queue=queue, channel="kiosk")
    assert act(officer, counter, "call-number", {"code": "b002"}).json()["ticket"]["code"] == second.code
    assert error_of(act(officer, counter, "call-number", {"code": "B999"}), 409)["code"] == "queueing.call.not_found"
    assert error_of(act(officer, counter, "call-number", {"code": "12; drop"}), 422)["code"] == "invalid_parameter"


@pytest.mark.parametrize("action", ["recall", "no-show", "start", "finish"])
def test_acting_with_nobody_at_the_desk_is_409(officer, counter, action):
    assert error_of(act(officer, counter, action), 409)["code"] == "queueing.counter.no_current"


def test_an_officer_not_seated_at_the_counter_is_403(client, counter, queue, center):
    ticket_issue(queue=queue, channel="kiosk")
    other = make_counter(center, 4, [queue])
    client.force_login(User.objects.get(username="lanhdao"))
    assert error_of(act(client, counter, "call-next"), 403)["code"] == "queueing.counter.not_signed_in"
    assert error_of(act(client, other, "call-next"), 403)["code"] == "queueing.counter.not_signed_in"


def test_an_officer_of_another_center_is_403(client, counter):
    client.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    assert error_of(act(client, counter, "call-next"), 403)["code"] == "queueing.counter.not_allowed"


def test_a_paused_counter_may_not_call(officer, counter):
    Counter.objects.filter(pk=counter.pk).update(state=Counter.State.PAUSED)
    assert error_of(act(officer, counter, "call-next"), 409)["code"] == "queueing.counter.not_open"


def test_an_unknown_counter_is_404(officer):
    assert error_of(officer.post("/api/v1/queue/counters/999999/call-next"), 404)["code"] == "not_found"


def test_counter_actions_need_an_officer_not_a_device(client, counter):
    token = device_create(center=counter.center, kind="counter_display", name="Màn hình quầy 3")[1]
    response = client.post(f"/api/v1/queue/counters/{counter.pk}/call-next", HTTP_AUTHORIZATION=f"Device {token}")
    assert error_of(response, 401)["code"] == "unauthorized"


def test_a_session_without_the_csrf_token_is_refused(reception_officer, counter):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reception_officer)
    assert error_of(act(strict, counter, "call-next"), 403)["code"] == "csrf_failed"
    token = "a" * 32  # a CSRF secret as the site's pages set it in the cookie
    strict.cookies["csrftoken"] = token
    response = strict.post(f"/api/v1/queue/counters/{counter.pk}/call-next", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_not_logged_in_is_401(client, counter):
    assert error_of(act(client, counter, "call-next"), 401)["code"] == "unauthorized"
