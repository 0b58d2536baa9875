"""The public queue reads (board, queues) and bad input of every kind: always JSON, never a 500."""

from __future__ import annotations

import pytest
import time_machine

from motcua.core.models import Floor
from motcua.devices.services import device_create
from motcua.queueing.services import ticket_call_next, ticket_issue, ticket_recall
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db
URL = "/api/v1/queue/tickets"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


@pytest.fixture
def queue(center):
    return make_queue(center, "b", name="Tư pháp – Chứng thực")


@pytest.fixture
def counter(center, queue, reception_officer):
    counter = make_counter(center, 3, [queue], officer=reception_officer)
    counter.floor = Floor.objects.get(center=center, code="tret")
    counter.save()
    return counter


@pytest.fixture
def kiosk(center):
    return {"HTTP_AUTHORIZATION": "Device " + device_create(center=center, kind="kiosk", name="K")[1]}


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    return body["error"]


# --- board ------------------------------------------------------------------------------------


def test_the_board_shows_calls_counters_and_waiting(client, counter, queue, reception_officer):
    first = ticket_issue(queue=queue, channel="kiosk")
    ticket_issue(queue=queue, channel="kiosk")
    ticket_call_next(counter=counter, officer=reception_officer)
    body = client.get("/api/v1/queue/centers/cantho/board").json()
    assert body["center"]["code"] == "cantho" and body["floor"] == "" and body["business_date"] == "2026-03-10"
    assert body["latest"]["code"] == first.code and body["latest"]["kind"] == "called"
    assert body["latest"]["counter"] == {"id": counter.pk, "number": 3, "name": "Quầy 3", "floor": "tret"}
    assert body["latest"]["at"].endswith("+07:00")
    assert {"number": 3, "ticket": first.code, "state": "open"}.items() <= body["counters"][0].items()
    assert body["queues"] == [{"code": "b", "name": "Tư pháp – Chứng thực", "prefix": "B", "waiting": 1}]
    assert body["last_event_id"] == body["latest"]["event_id"]
    assert "officer" not in str(body) and "Trần Thị Hoa" not in str(body)


def test_a_floor_board_and_an_unknown_floor(client, counter):
    assert client.get("/api/v1/queue/centers/cantho/board?floor=tret").json()["floor"] == "tret"
    assert client.get("/api/v1/queue/centers/cantho/board?floor=lau-1").json()["counters"] == []
    assert error_of(client.get("/api/v1/queue/centers/cantho/board?floor=khong-co"), 404)["code"] == "not_found"


def test_board_events_since_the_last_one_seen(client, counter, queue, reception_officer):
    ticket = ticket_issue(queue=queue, channel="kiosk")
    ticket_call_next(counter=counter, officer=reception_officer)
    first = client.get("/api/v1/queue/centers/cantho/board/events").json()
    assert [e["kind"] for e in first["events"]] == ["called"]
    assert first["events"][0]["ticket"]["code"] == ticket.code
    ticket_recall(ticket=ticket, officer=reception_officer)
    later = client.get(f"/api/v1/queue/centers/cantho/board/events?since={first['last_event_id']}").json()
    assert [e["kind"] for e in later["events"]] == ["recalled"] and later["last_event_id"] > first["last_event_id"]
    assert error_of(client.get("/api/v1/queue/centers/cantho/board/events?since=-1"), 422)["code"] == "invalid_parameter"


def test_an_unknown_center_has_no_board(client, db):
    assert error_of(client.get("/api/v1/queue/centers/khong-co/board"), 404)["code"] == "not_found"


def test_queues_of_a_center_with_their_wait(client, counter, queue):
    ticket_issue(queue=queue, channel="kiosk")
    body = client.get("/api/v1/queue/centers/cantho/queues").json()
    assert body == [{"code": "b", "name": "Tư pháp – Chứng thực", "prefix": "B", "waiting": 1, "estimated_wait_minutes": 8}]


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"{", b"not json", b"[]", b"null", b'"cantho"', b'{"center": 5, "queue": "b"}', b'{"center": "cantho"}',
     b'{"center": "cantho", "queue": ["b"]}', b'{"center": "cantho", "queue": "b", "channel": "fax"}',
     b'{"center": "' + b"x" * 500 + b'", "queue": "b"}', b'{"center": "", "queue": "b"}',
     "{\"center\": \"cantho\", \"queue\": \"b\", \"priority\": \"\u0000\"}".encode(), b"\xff\xfe"],
)  # fmt: skip
def test_malformed_bodies_are_json_errors(client, kiosk, queue, raw):
    response = client.post(URL, raw, content_type="application/json", **kiosk)
    assert response.status_code in (400, 404, 422)
    error_of(response, response.status_code)


def test_a_form_body_instead_of_json_is_an_error(client, kiosk, queue):
    response = client.post(URL, {"center": "cantho", "queue": "b"}, **kiosk)  # multipart form
    error_of(response, response.status_code)
    assert response.status_code in (400, 415, 422)


@pytest.mark.parametrize(
    "header",
    [None, "Device", "Device ", "Device abc", "Device " + "x" * 43, "Bearer abc", "Device " + "x" * 5000, "Basic Zm9vOmJhcg=="],
)
def test_missing_or_wrong_credentials_are_401(client, queue, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.post(URL, {"center": "cantho", "queue": "b"}, content_type="application/json", **extra)
    assert error_of(response, 401)["code"] in {"unauthorized", "invalid_device_token"}


@pytest.mark.parametrize("path", ["/api/v1/queue/tickets/abc", "/api/v1/queue/tickets/0",
                                  "/api/v1/queue/tickets/99999999999999999999999"])  # fmt: skip
def test_bad_ticket_ids(client, kiosk, path):
    response = client.get(path, **kiosk)
    assert response.status_code in (404, 422)
    error_of(response, response.status_code)


@pytest.mark.parametrize("path", ["/api/v1/queue/counters/abc/call-next", "/api/v1/queue/counters/0/call-next",
                                  "/api/v1/queue/counters/1/dance"])  # fmt: skip
def test_bad_counter_paths(admin_client, path):
    response = admin_client.post(path, b"{}", content_type="application/json")
    assert response.status_code in (404, 422)
    error_of(response, response.status_code)


def test_bad_counter_bodies(client, reception_officer, counter):
    client.force_login(reception_officer)
    url = f"/api/v1/queue/counters/{counter.pk}"
    for action, raw in [("no-show", b'{"recycle": "maybe"}'), ("transfer", b"{}"), ("call-number", b'{"code": ""}'),
                        ("call-number", b"{"), ("transfer", b'{"queue": 7}')]:  # fmt: skip
        response = client.post(f"{url}/{action}", raw, content_type="application/json")
        assert response.status_code in (400, 422), (action, raw, response.content)
        error_of(response, response.status_code)


def test_wrong_method_is_405(client, db):
    assert error_of(client.get(URL), 405)["code"] == "method_not_allowed"
    assert error_of(client.delete("/api/v1/queue/centers/cantho/board"), 405)["code"] == "method_not_allowed"


def test_the_queue_api_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/v1/queue/tickets", "/api/v1/queue/tickets/{ticket_id}", "/api/v1/queue/tickets/by-token/{token}",
            "/api/v1/queue/counters/{counter_id}/call-next", "/api/v1/queue/centers/{code}/board"} <= paths  # fmt: skip
    assert {"DeviceToken", "OfficerSession"} <= set(schema["components"]["securitySchemes"])
    assert schema["paths"]["/api/v1/queue/tickets"]["post"]["summary"] == "Cấp số thứ tự"


@pytest.mark.parametrize("path", ["/api/v1/queue/tickets/by-token/ab%00cd", "/api/v1/queue/centers/can%00tho/board",
                                  "/api/v1/queue/centers/cantho/board?floor=t%00",
                                  "/api/v1/queue/centers/c%C3%A2n/queues"])  # fmt: skip
def test_codes_that_are_not_slugs_are_refused_before_the_database(client, db, path):
    assert error_of(client.get(path), 422)["code"] == "invalid_parameter"


def test_a_nul_inside_the_json_body_is_refused(client, kiosk, queue):
    raw = b'{"center": "can\\u0000tho", "queue": "b", "priority": "x\\u0000"}'
    response = client.post(URL, raw, content_type="application/json", **kiosk)
    assert error_of(response, 422)["code"] == "invalid_parameter"
