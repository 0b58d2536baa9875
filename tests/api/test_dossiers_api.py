"""/api/v1/dossiers…: submit and accept, read (scoped, audited), act with the optimistic lock,
and the public status by code — every refusal in the API's JSON error shape, never a 500."""

# The dossier fixtures are imported by name, so tests taking them "redefine" them.
# ruff: noqa: F811
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from motcua.accounts.models import User
from motcua.core.models import AuditLog
from motcua.devices.services import device_create
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_submit
from motcua.notifications.models import OutboxMessage
from tests.dossiers.conftest import TUESDAY_8AM, make_intake

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers"
CODE = "000.00.00.H13-260310-0001"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


@pytest.fixture
def officer_client(client, reception_officer, procedure):
    client.force_login(reception_officer)
    return client


@pytest.fixture
def other_center_client(organisation):
    other = Client()
    other.force_login(User.objects.get(username="tiepnhan.ninhkieu"))
    return other


@pytest.fixture
def submitted(procedure, center):
    return dossier_submit(intake=make_intake(procedure, channel="online"), center=center, now=TUESDAY_8AM)


def body(**overrides) -> dict:
    values = {
        "center": "cantho", "procedure": "1.014390",
        "applicant": {"name": "Nguyễn Thị Ánh", "national_id": "092190001234", "phone": "0912345678",
                      "email": "anh@example.com", "address": "12 Hòa Bình, Ninh Kiều"},
        "documents": [{"index": 0, "originals": 1}, {"index": 1, "originals": 1}],
        "fees": [{"name": "Lệ phí", "amount": 50000, "paid": True, "method": "cash", "receipt_number": "BL-1"}],
    }  # fmt: skip
    return values | overrides


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def act(client, ref, action, **data):
    return post(client, f"{URL}/{ref}/transitions/{action}", data)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"error"} and {"code", "message"} <= set(payload["error"])
    return payload["error"]


# --- create ------------------------------------------------------------------------------------


def test_a_reception_officer_accepts_a_dossier_in_one_call(officer_client):
    response = post(officer_client, URL, body(accept=True))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["code"] == CODE and answer["status"] == 2 and answer["status_text"] == "Được tiếp nhận"
    assert answer["version"] == 1 and answer["channel"] == "counter"
    assert answer["procedure"]["code"] == "1.014390" and answer["receiving_center"]["code"] == "cantho"
    assert answer["due_at"] == "2026-03-24T08:00:00+07:00" == answer["original_due_at"]
    assert answer["applicant"]["national_id"] == "092190001234"
    assert answer["tracking_url"].endswith(f"/tra-cuu/{CODE}/")
    assert answer["fees"][0]["amount"] == 50000 and answer["fees"][0]["paid"] is True
    dossier = Dossier.objects.get(code=CODE)
    assert dossier.slips.filter(kind="receipt").count() == 1
    assert set(OutboxMessage.objects.filter(dossier=dossier).values_list("channel", flat=True)) == {"email", "sms"}


def test_without_accept_an_officer_submits_an_online_dossier_without_code(officer_client):
    answer = post(officer_client, URL, body()).json()
    assert answer["status"] == 1 and answer["code"] is None and answer["channel"] == "online"
    assert answer["due_at"] is None and answer["tracking_url"] == ""


def test_a_kiosk_submits_to_its_own_center_only_and_never_accepts(client, center, procedure):
    token = device_create(center=center, kind="kiosk", name="Kiosk sảnh")[1]
    auth = {"HTTP_AUTHORIZATION": f"Device {token}"}
    response = post(client, URL, body(), **auth)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(pk=response.json()["id"])
    assert dossier.status == 1 and dossier.events.get().actor_kind == DossierEvent.ActorKind.API
    assert error_of(post(client, URL, body(accept=True), **auth), 403)["code"] == "forbidden"
    assert error_of(post(client, URL, body(center="ninhkieu"), **auth), 403)["code"] == "forbidden"
    board = device_create(center=center, kind="board", name="Bảng sảnh")[1]
    assert error_of(post(client, URL, body(), HTTP_AUTHORIZATION=f"Device {board}"), 403)["code"] == "forbidden"


def test_nobody_and_other_centers_cannot_create(client, other_center_client, organisation):
    assert error_of(post(client, URL, body()), 401)["code"] == "unauthorized"
    error = error_of(post(other_center_client, URL, body(accept=True)), 403)
    assert error["code"] == "dossier.forbidden" and "không có quyền" in error["message"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"applicant": None}, 422, "invalid_parameter"),
        ({"applicant": {"name": "A", "national_id": "09219x"}}, 422, "invalid_parameter"),
        ({"documents": [{"index": -1}]}, 422, "invalid_parameter"),
        ({"fees": [{"name": "Lệ phí", "amount": -5}]}, 422, "invalid_parameter"),
        ({"center": "khong có"}, 422, "invalid_parameter"),
        ({"applicant": {"name": "A", "email": "không phải thư"}}, 422, "dossier.email_invalid"),
        ({"applicant": {"name": "   "}}, 422, "dossier.applicant_name_required"),
        ({"fees": [{"name": "Lệ phí", "amount": 50000, "paid": True, "method": "cash"}]}, 422,
         "dossier.receipt_number_required"),
        ({"procedure": "9.999999"}, 404, "not_found"),
        ({"center": "khong-co"}, 404, "not_found"),
        ({"competent_agency": "khong-co"}, 404, "not_found"),
    ],
)  # fmt: skip
def test_bad_bodies_are_refused_in_json_and_nothing_is_written(officer_client, change, status, code):
    error = error_of(post(officer_client, URL, body(accept=True, **change)), status)
    assert error["code"] == code and error["message"]
    assert not Dossier.objects.exists()


def test_a_body_that_is_not_json_is_a_422(officer_client):
    response = officer_client.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422) and "error" in response.json()


# --- read --------------------------------------------------------------------------------------


def test_an_officer_reads_a_dossier_in_scope_and_the_read_is_audited(officer_client, accepted):
    answer = officer_client.get(f"{URL}/{CODE}").json()
    assert answer["code"] == CODE and answer["applicant"]["name"] == "Nguyễn Thị Ánh"
    assert [d["ordering"] for d in answer["documents"]] == sorted(d["ordering"] for d in answer["documents"])
    log = AuditLog.objects.get(action="dossiers.dossier.personal_data_viewed")
    assert log.data["code"] == CODE and log.ip == "127.0.0.1"


def test_a_submitted_dossier_is_read_by_its_id(officer_client, submitted):
    assert officer_client.get(f"{URL}/{submitted.pk}").json()["status"] == 1


def test_reads_outside_scope_unknown_codes_and_anonymous_callers(client, other_center_client, accepted):
    assert error_of(other_center_client.get(f"{URL}/{CODE}"), 403)["code"] == "dossier.forbidden"
    assert error_of(other_center_client.get(f"{URL}/{CODE}/events"), 403)["code"] == "dossier.forbidden"
    assert error_of(client.get(f"{URL}/{CODE}"), 401)["code"] == "unauthorized"
    client.force_login(User.objects.get(username="tiepnhan"))
    assert error_of(client.get(f"{URL}/000.00.00.H13-260310-9999"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}/999999999"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{URL}/a%20b"), 422)["code"] == "invalid_parameter"
    assert not AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").exists()


def test_the_history_lists_every_event_with_its_actor(officer_client, accepted):
    events = officer_client.get(f"{URL}/{CODE}/events").json()
    assert [e["action"] for e in events] == ["dossier.submitted", "dossier.accepted"]
    assert events[1]["actor"] == "tiepnhan" and events[1]["from_status"] == 1 and events[1]["to_status"] == 2
    assert events[1]["data"]["code"] == CODE and events[1]["at"] == "2026-03-10T08:00:00+07:00"


# --- act ---------------------------------------------------------------------------------------


def test_accepting_a_submitted_dossier_by_id_returns_it_with_its_code(officer_client, submitted):
    response = act(officer_client, submitted.pk, "accept", expected_version=submitted.version)
    assert response.status_code == 200, response.content
    # An online dossier has no paper to carry: accepted and forwarded in one transaction (rule 5).
    assert response.json()["code"] == CODE and response.json()["status"] == 4
    assert response.json()["version"] == submitted.version + 2


def test_forward_then_supplement_then_receive(officer_client, accepted):
    forwarded = act(officer_client, CODE, "forward", expected_version=accepted.version).json()
    assert forwarded["status"] == 4 and forwarded["current_agency"] is not None
    asked = act(officer_client, CODE, "request-supplement", expected_version=forwarded["version"],
                reason="Bản vẽ mờ", items=[{"document": "Bản vẽ thiết kế", "originals": 1}]).json()  # fmt: skip
    assert asked["status"] == 5
    with time_machine.travel(TUESDAY_8AM + timedelta(days=1), tick=False):
        back = act(officer_client, CODE, "receive-supplement", expected_version=asked["version"]).json()
    assert back["status"] == 4 and back["version"] == asked["version"] + 1


def test_a_stale_version_is_a_409_conflict_and_changes_nothing(officer_client, accepted):
    error = error_of(act(officer_client, CODE, "stop", expected_version=accepted.version - 1, reason="Đề nghị"), 409)
    assert error["code"] == "dossier.conflict" and "vui lòng tải lại" in error["message"]
    assert Dossier.objects.get(pk=accepted.pk).status == 2
    assert accepted.events.count() == 2


def test_a_move_the_status_table_forbids_is_a_409(officer_client, accepted):
    error = error_of(act(officer_client, CODE, "accept", expected_version=accepted.version), 409)
    assert error["code"] == "dossier.invalid_transition" and "Được tiếp nhận" in error["message"]


def test_another_centers_officer_gets_a_403(other_center_client, accepted):
    error = error_of(act(other_center_client, CODE, "stop", expected_version=accepted.version, reason="x"), 403)
    assert error["code"] == "dossier.forbidden"
    assert Dossier.objects.get(pk=accepted.pk).version == accepted.version


@pytest.mark.parametrize(
    ("action", "data", "code"),
    [
        ("stop", {"reason": "  "}, "dossier.reason_required"),
        ("assign", {}, "dossier.assignee_required"),
        ("assign", {"assignee": "khong-co-ai"}, "dossier.assignee_unknown"),
        ("record-payment", {"fee": 999999}, "dossier.fee_unknown"),
        ("apology", {"reason": "Chậm"}, "dossier.new_due_at_required"),
        ("apology", {"reason": "Chậm", "new_due_at": "2026-03-30T08:00:00"}, "dossier.new_due_at_naive"),
    ],
)
def test_missing_details_are_a_422_with_the_services_code(officer_client, accepted, action, data, code):
    error = error_of(act(officer_client, CODE, action, expected_version=accepted.version, **data), 422)
    assert error["code"] == code


@pytest.mark.parametrize(
    ("action", "data"),
    [("stop", {}), ("stop", {"expected_version": -1}), ("stop", {"expected_version": "một"}),
     ("fly", {"expected_version": 1}), ("request-supplement", {"expected_version": 1, "items": [{"document": ""}]})],
)  # fmt: skip
def test_malformed_transition_bodies_are_a_422(officer_client, accepted, action, data):
    response = post(officer_client, f"{URL}/{CODE}/transitions/{action}", data)
    assert error_of(response, 422)["code"] == "invalid_parameter"


def test_the_openapi_document_lists_the_dossier_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/dossiers", "/api/v1/dossiers/{code}", "/api/v1/dossiers/{code}/events",
            "/api/v1/dossiers/{code}/transitions/{action}", "/api/v1/public/dossiers/{code}"} <= set(paths)  # fmt: skip
    actions = paths["/api/v1/dossiers/{code}/transitions/{action}"]["post"]["parameters"][1]["schema"]
    assert "request-supplement" in str(actions) and "mark-result-ready" in str(actions)


# --- public ------------------------------------------------------------------------------------


def test_the_public_status_shows_no_personal_data(client, accepted):
    response = client.get(f"/api/v1/public/dossiers/{CODE}")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["code"] == CODE and answer["status"] == 2 and answer["status_text"] == "Được tiếp nhận"
    assert answer["due_at"] == "2026-03-24T08:00:00+07:00" and answer["agency"]
    assert [entry["status"] for entry in answer["timeline"]] == [1, 2]
    assert answer["timeline"][1]["at"] == "2026-03-10T08:00:00+07:00" and answer["timeline"][1]["label"]
    raw = response.content.decode()
    for personal in ("Nguyễn Thị Ánh", "092190001234", "0912345678", "anh@example.com", "Hòa Bình", "tiepnhan"):
        assert personal not in raw


def test_the_public_status_of_an_unknown_code_is_a_404(client, submitted):
    assert error_of(client.get("/api/v1/public/dossiers/000.00.00.H13-260310-0042"), 404)["code"] == "not_found"
    assert error_of(client.get(f"/api/v1/public/dossiers/{submitted.pk}"), 404)["code"] == "not_found"
