"""/api/v1/identity/face-sessions…: a native kiosk app runs the face check step by step.

Who may call (kiosks only, their own sessions), the steps (consent → card → checks → identity
on the ticket), every refusal in the API's error shape, and what is kept (only the outcome).
"""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache

from motcua.devices.services import device_create
from motcua.identity.models import ConsentRecord, FaceCheck, TicketIdentity
from motcua.identity.services import card_reads, face_checks
from motcua.queueing.models import Ticket
from tests.identity.test_face_engine import burst
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db
URL = "/api/v1/identity/face-sessions"
FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
CHIP = (FACES / "obama_2010_blueroom.jpg").read_bytes()
NUMBER = "092090001234"  # Cần Thơ, a man born in 1990
FRAME = base64.b64encode(b"\xff\xd8 not really a jpeg").decode()


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield
    cache.clear()


@pytest.fixture
def engine(monkeypatch):
    """The face engine, replaced: answers `engine.result` (or raises `engine.error`)."""
    state = SimpleNamespace(result="match", error=None, calls=0)

    def check_face(*, reference: bytes, frames: list[bytes], challenge: str):
        state.calls += 1
        if state.error:
            raise state.error
        distance = {"match": 0.35, "no_match": 0.84}.get(state.result)
        return SimpleNamespace(result=state.result, distance=distance, threshold=0.6, message="", duration_ms=180)

    monkeypatch.setattr(face_checks, "_check_face", check_face)
    return state


@pytest.fixture
def kiosk(center):
    return device_create(center=center, kind="kiosk", name="Kiosk sảnh")[1]


@pytest.fixture
def reader(center):
    return device_create(center=center, kind="card_reader", name="Đầu đọc kiosk 1")[0]


@pytest.fixture
def queue(center, reception_officer):
    queue = make_queue(center, "b", name="Sở Tư pháp", prefix="B")
    make_counter(center, 5, [queue], officer=reception_officer)
    return queue


def call(client, method: str, path: str = "", token: str | None = None, payload=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Device {token}"} if token else {}
    send = getattr(client, method)
    if payload is None:
        return send(URL + path, **headers, **extra)
    return send(URL + path, payload, content_type="application/json", **headers, **extra)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"error"} and payload["error"]["message"]
    return payload["error"]


def read_card(center, reader, label: str = "", **changes):
    fields = {"national_id": NUMBER, "full_name": "Nguyễn Văn An", "birth_date": TUESDAY_8AM.date().replace(year=1990),
              "sex": "Nam", "address": "12 Hòa Bình, Ninh Kiều, Cần Thơ", "photo": CHIP, **changes}  # fmt: skip
    return card_reads.card_read_store(center=center, device=reader, kiosk_label=label, **fields)


def opened(client, kiosk, label: str = "") -> str:
    response = call(client, "post", "", kiosk, {"kiosk_ref": label})
    assert response.status_code == 201, response.content
    return response.json()["session"]


def check(client, kiosk, session: str, frames: list[str] | None = None):
    return call(client, "post", f"/{session}/checks", kiosk, {"frames_jpeg_base64": frames or [FRAME] * 12})


def matched(client, kiosk, center, reader) -> dict:
    session = opened(client, kiosk)
    read_card(center, reader)
    answer = check(client, kiosk, session)
    assert answer.status_code == 200, answer.content
    return answer.json()


# --- the steps ---------------------------------------------------------------------------------


def test_opening_a_session_logs_the_consent_of_this_kiosk_and_draws_a_challenge(client, center, kiosk):
    response = call(client, "post", "", kiosk, {"kiosk_ref": "K1"})
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["challenge"] in face_checks.challenges() and answer["challenge_text"].startswith("Hãy")
    assert answer["expires_in"] == 300 and answer["consent_version"] == face_checks.CONSENT_VERSION
    consent = ConsentRecord.objects.get()
    assert consent.kind == "face_check" and consent.device.name == "Kiosk sảnh"
    assert consent.session_ref == answer["session"]


def test_the_card_step_waits_for_a_read_made_after_the_session_opened(client, center, kiosk, reader):
    read_card(center, reader)  # the previous citizen's card, before this one agreed
    with time_machine.travel(TUESDAY_8AM + timedelta(seconds=5), tick=False):
        session = opened(client, kiosk)
        assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": False}
        read_card(center, reader)
        assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": True}
        assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": True}  # claimed once, kept


def test_a_reader_paired_with_another_kiosk_is_not_this_kiosks_card(client, center, kiosk, reader):
    session = opened(client, kiosk, "K1")
    read_card(center, reader, label="K2")
    assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": False}
    read_card(center, reader, label="K1")
    assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": True}


def test_a_match_gives_a_one_time_identity_for_the_ticket(client, center, kiosk, reader, queue, engine):
    answer = matched(client, kiosk, center, reader)
    assert answer["result"] == "match" and answer["retry"] is False and answer["title"] == "Xác thực thành công"
    assert answer["identity_ref"] and answer["identity_expires_in"] == 300
    check_row = FaceCheck.objects.get()
    assert answer["check_id"] == check_row.pk and check_row.center == center
    ticket = client.post("/api/v1/queue/tickets", {"center": center.code, "queue": "b", "identity_ref": answer["identity_ref"]},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Device {kiosk}")  # fmt: skip
    assert ticket.status_code == 201, ticket.content
    identity = TicketIdentity.objects.get(ticket_id=ticket.json()["id"])
    assert (identity.national_id, identity.full_name, identity.method) == (NUMBER, "Nguyễn Văn An", "face")
    assert identity.face_check == check_row
    again = client.post("/api/v1/queue/tickets", {"center": center.code, "queue": "b", "identity_ref": answer["identity_ref"]},
                        content_type="application/json", HTTP_AUTHORIZATION=f"Device {kiosk}")  # fmt: skip
    assert error_of(again, 409)["code"] == "identity_expired"
    assert Ticket.objects.count() == 1


def test_the_photo_is_forgotten_on_a_match_and_only_the_outcome_is_kept(client, center, kiosk, reader, engine):
    session = opened(client, kiosk)
    read_card(center, reader)
    check(client, kiosk, session)
    assert card_reads.card_read_for_session(session) is None
    row = FaceCheck.objects.values().get()
    assert row["national_id_hash"] and NUMBER not in str(row) and row["result"] == "match"


def test_a_stale_identity_is_refused_and_a_refused_ticket_keeps_it(client, center, kiosk, reader, queue, engine):
    ref = matched(client, kiosk, center, reader)["identity_ref"]
    body = {"center": center.code, "queue": "b", "identity_ref": ref}
    headers = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Device {kiosk}"}
    queue.daily_cap = 0  # the day's numbers are all given out: a refusal of the queue service
    queue.save()
    refused = client.post("/api/v1/queue/tickets", body, **headers)
    assert error_of(refused, 409)["code"].startswith("queueing.")
    queue.daily_cap = None
    queue.save()
    with time_machine.travel(TUESDAY_8AM + timedelta(seconds=120), tick=False):
        assert client.post("/api/v1/queue/tickets", body, **headers).status_code == 201
    ref = matched(client, kiosk, center, reader)["identity_ref"]
    with time_machine.travel(TUESDAY_8AM + timedelta(seconds=301), tick=False):
        stale = client.post("/api/v1/queue/tickets", {**body, "identity_ref": ref}, **headers)
    assert error_of(stale, 409)["code"] == "identity_expired"


def test_an_officer_cannot_hand_a_kiosk_identity_to_a_ticket(client, center, kiosk, reader, queue, engine,
                                                            reception_officer):  # fmt: skip
    ref = matched(client, kiosk, center, reader)["identity_ref"]
    client.force_login(reception_officer)
    response = client.post("/api/v1/queue/tickets", {"center": center.code, "queue": "b", "identity_ref": ref},
                           content_type="application/json")  # fmt: skip
    assert error_of(response, 403)["code"] == "forbidden"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("result", "retry"),
    [("no_match", True), ("no_face", True), ("several_faces", True), ("poor_image", True), ("not_live", True),
     ("no_reference", False)],
)  # fmt: skip
def test_each_outcome_has_its_words_and_a_retry_gets_a_new_challenge(client, center, kiosk, reader, engine, result, retry):
    engine.result = result
    session = opened(client, kiosk)
    read_card(center, reader)
    answer = check(client, kiosk, session).json()
    assert (answer["result"], answer["retry"], answer["identity_ref"]) == (result, retry, "")
    assert answer["title"] and answer["message"] and answer["next_challenge"] in face_checks.challenges()
    assert FaceCheck.objects.get().result == result
    assert check(client, kiosk, session).status_code == 200  # the read stays for the retry


def test_closing_forgets_the_read_and_the_session(client, center, kiosk, reader, engine):
    session = opened(client, kiosk)
    read_card(center, reader)
    call(client, "post", f"/{session}/card", kiosk)
    assert call(client, "delete", f"/{session}", kiosk).status_code == 204
    assert card_reads.card_read_for_session(session) is None
    assert error_of(check(client, kiosk, session), 404)["code"] == "not_found"
    assert call(client, "delete", f"/{session}", kiosk).status_code == 204  # closing twice is harmless


# --- refusals ----------------------------------------------------------------------------------


def test_only_kiosks_may_run_face_checks(client, center, kiosk):
    board = device_create(center=center, kind="board", name="Bảng sảnh")[1]
    reader_token = device_create(center=center, kind="card_reader", name="Đầu đọc")[1]
    assert error_of(call(client, "post", "", None, {}), 401)["code"] == "unauthorized"
    assert error_of(call(client, "post", "", "garbage", {}), 401)["code"] == "invalid_device_token"
    for token in (board, reader_token):
        assert error_of(call(client, "post", "", token, {}), 403)["code"] == "forbidden"
    assert not ConsentRecord.objects.exists()


def test_another_kiosk_cannot_use_or_close_a_session(client, center, kiosk, reader, engine):
    other = device_create(center=center, kind="kiosk", name="Kiosk tầng 2")[1]
    session = opened(client, kiosk)
    read_card(center, reader)
    assert error_of(call(client, "post", f"/{session}/card", other), 404)["code"] == "not_found"
    assert error_of(check(client, other, session), 404)["code"] == "not_found"
    call(client, "delete", f"/{session}", other)
    assert call(client, "post", f"/{session}/card", kiosk).json() == {"ready": True}
    assert engine.calls == 0


def test_a_check_before_the_card_is_read_is_refused(client, center, kiosk, engine):
    session = opened(client, kiosk)
    assert error_of(check(client, kiosk, session), 409)["code"] == "no_card_read"
    assert not FaceCheck.objects.exists() and engine.calls == 0


@pytest.mark.parametrize(
    ("frames", "status", "code"),
    [(["not base64!"], 422, "invalid_frames"), ([], 422, "invalid_parameter"), ([FRAME] * 31, 422, "invalid_parameter"),
     ([base64.b64encode(b"x" * 400_001).decode()], 413, "payload_too_large")],
)  # fmt: skip
def test_bad_frames_are_refused_clearly(client, center, kiosk, reader, engine, frames, status, code):
    session = opened(client, kiosk)
    read_card(center, reader)
    response = call(client, "post", f"/{session}/checks", kiosk, {"frames_jpeg_base64": frames})
    assert error_of(response, status)["code"] == code
    assert engine.calls == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, center, kiosk, reader, engine):
    session = opened(client, kiosk)
    read_card(center, reader)
    frames = [base64.b64encode(b"x" * 300_000).decode()] * 8  # 3.2 MB of JSON
    response = call(client, "post", f"/{session}/checks", kiosk, {"frames_jpeg_base64": frames})
    assert error_of(response, 413)["code"] == "payload_too_large"


def test_a_kiosk_over_its_limit_gets_429(client, center, kiosk, reader, engine, settings):
    settings.MOTCUA = {**settings.MOTCUA, "FACE_CHECKS_PER_KIOSK_PER_MINUTE": 2}
    session = opened(client, kiosk)
    read_card(center, reader)
    engine.result = "no_match"
    assert check(client, kiosk, session).status_code == 200
    assert check(client, kiosk, session).status_code == 200
    assert error_of(check(client, kiosk, session), 429)["code"] == "kiosk_limit"
    assert FaceCheck.objects.count() == 2


def test_an_engine_failure_is_a_503_not_a_500(client, center, kiosk, reader, engine):
    engine.error = RuntimeError("dlib exploded")
    session = opened(client, kiosk)
    read_card(center, reader)
    assert error_of(check(client, kiosk, session), 503)["code"] == "face_check_unavailable"


def test_a_malformed_kiosk_ref_or_session_is_refused(client, center, kiosk):
    assert error_of(call(client, "post", "", kiosk, {"kiosk_ref": "a b"}), 422)["code"] == "invalid_kiosk_ref"
    assert error_of(call(client, "post", "/x%00y/card", kiosk), 422)["code"] == "invalid_parameter"


# --- the real engine ---------------------------------------------------------------------------


def test_the_real_engine_matches_the_same_person_through_the_api(client, center, kiosk, reader, queue, monkeypatch):
    monkeypatch.setattr(face_checks, "challenges", lambda: ("turn_left",))
    session = opened(client, kiosk)
    read_card(center, reader)
    frames = [base64.b64encode(frame).decode() for frame in burst("obama_2009_congress.jpg")]
    answer = check(client, kiosk, session, frames).json()
    assert answer["result"] == "match", answer
    assert FaceCheck.objects.get().distance < 0.6
