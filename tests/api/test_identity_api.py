"""POST /api/v1/identity/card-reads: who may post, what is checked, where the read goes, limits, errors."""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from PIL import Image

from motcua.core.models import Center
from motcua.devices.services import device_create, device_revoke
from motcua.identity.models import ConsentRecord, FaceCheck, TicketIdentity
from motcua.identity.services.card_reads import card_read_claim, card_read_for_session, card_read_pending
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
URL = "/api/v1/identity/card-reads"
FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
NUMBER = "092090001234"  # Cần Thơ, a man born in 1990


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield
    cache.clear()


@pytest.fixture
def reader(center):
    return device_create(center=center, kind="card_reader", name="Đầu đọc kiosk 1")


@pytest.fixture
def token(reader):
    return reader[1]


def photo_b64(name: str = "obama_2009_congress.jpg") -> str:
    return base64.b64encode((FACES / name).read_bytes()).decode()


def body(**changes) -> dict:
    return {
        "national_id": NUMBER, "full_name": "Nguyễn Văn An", "birth_date": "1990-05-12", "sex": "Nam",
        "address": "12 Hòa Bình, Ninh Kiều, Cần Thơ", "photo_jpeg_base64": photo_b64(), **changes,
    }  # fmt: skip


def post(client, token: str | None, payload: dict | str, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Device {token}"} if token else {}
    return client.post(URL, payload, content_type="application/json", **headers, **extra)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    payload = response.json()
    assert set(payload) == {"error"}
    assert payload["error"]["message"]
    return payload["error"]


def test_a_card_reader_posts_a_read_and_gets_a_one_time_ref(client, center, token):
    response = post(client, token, body())
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["expires_in"] == 300 and len(answer["ref"]) >= 20
    stored = card_read_pending(answer["ref"])
    assert stored["national_id"] == NUMBER and stored["full_name"] == "Nguyễn Văn An" and stored["sex"] == "M"
    assert stored["photo"] == (FACES / "obama_2009_congress.jpg").read_bytes()


def test_nothing_of_the_read_reaches_the_database(client, center, token):
    post(client, token, body())
    assert not ConsentRecord.objects.exists() and not FaceCheck.objects.exists()
    assert not TicketIdentity.objects.exists()


def test_the_kiosk_claims_the_read_once(client, center, token):
    ref = post(client, token, body()).json()["ref"]
    since = TUESDAY_8AM - timedelta(minutes=1)
    read = card_read_claim(center=center, kiosk_label="", session_ref="s1", since=since)
    assert read is not None and read.ref == ref
    assert card_read_pending(ref) is None  # the reference is spent…
    assert card_read_claim(center=center, kiosk_label="", session_ref="s2", since=since) is None  # …for everyone
    assert card_read_for_session("s1").national_id == NUMBER


def test_a_read_waits_for_the_kiosk_named_in_it(client, center, token):
    post(client, token, body(kiosk_ref="kiosk-2"))
    since = TUESDAY_8AM - timedelta(minutes=1)
    assert card_read_claim(center=center, kiosk_label="", session_ref="a", since=since) is None
    assert card_read_claim(center=center, kiosk_label="kiosk-2", session_ref="b", since=since) is not None


def test_a_read_older_than_five_minutes_is_gone(client, center, token):
    assert post(client, token, body()).status_code == 201
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=5, seconds=1), tick=False):
        read = card_read_claim(center=center, kiosk_label="", session_ref="s", since=TUESDAY_8AM - timedelta(hours=1))
    assert read is None


def test_a_read_made_before_the_kiosk_started_waiting_is_not_taken(client, center, token):
    post(client, token, body())
    assert (
        card_read_claim(center=center, kiosk_label="", session_ref="s", since=TUESDAY_8AM + timedelta(seconds=1))
        is None
    )


def test_without_a_token_the_answer_is_401(client, center):
    assert error_of(post(client, None, body()), 401)["code"] == "unauthorized"
    assert error_of(post(client, "not-a-real-token-at-all", body()), 401)["code"] == "invalid_device_token"


def test_a_revoked_reader_is_refused(client, center, reader):
    device_revoke(device=reader[0])
    assert error_of(post(client, reader[1], body()), 401)["code"] == "invalid_device_token"


def test_only_card_readers_may_post_reads(client, center):
    kiosk = device_create(center=center, kind="kiosk", name="Kiosk")[1]
    assert error_of(post(client, kiosk, body()), 403)["code"] == "forbidden"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"national_id": "12345"}, "invalid_national_id"),
        ({"national_id": "999090001234"}, "invalid_national_id"),  # no such province
        ({"birth_date": "2001-05-12"}, "invalid_national_id"),  # the number says 1990
        ({"full_name": "   "}, "missing_field"),
        ({"sex": "X"}, "invalid_sex"),
        ({"kiosk_ref": "kiosk 1!"}, "invalid_kiosk_ref"),
        ({"photo_jpeg_base64": "not base64 at all!"}, "invalid_photo"),
        ({"photo_jpeg_base64": base64.b64encode(b"%PDF-1.7 not an image").decode()}, "invalid_photo"),
        ({"photo_jpeg_base64": base64.b64encode(b"GIF89a" + b"\0" * 40).decode()}, "invalid_photo"),
    ],
)
def test_a_bad_read_is_refused_with_its_reason(client, center, token, changes, code):
    error = error_of(post(client, token, body(**changes)), 422)
    assert error["code"] == code


def test_a_gif_is_not_a_photo_even_a_real_one(client, center, token):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "grey").save(buffer, "GIF")
    error = error_of(post(client, token, body(photo_jpeg_base64=base64.b64encode(buffer.getvalue()).decode())), 422)
    assert error["code"] == "invalid_photo" and "JPEG" in error["message"]


def test_a_png_chip_photo_is_accepted(client, center, token):
    buffer = io.BytesIO()
    Image.open(FACES / "obama_2009_congress.jpg").save(buffer, "PNG")
    assert post(client, token, body(photo_jpeg_base64=base64.b64encode(buffer.getvalue()).decode())).status_code == 201


def test_malformed_fields_and_json_are_refused_in_json(client, center, token):
    assert error_of(post(client, token, body(birth_date="12/05/1990")), 422)["code"] == "invalid_parameter"
    missing = body()
    del missing["photo_jpeg_base64"]
    assert error_of(post(client, token, missing), 422)["code"] == "invalid_parameter"
    assert error_of(post(client, token, "{not json"), 400)["code"] == "bad_request"


@override_settings(MOTCUA={"FACE_PHOTO_MAX_BYTES": 100_000})
def test_an_oversized_photo_is_refused(client, center, token):
    assert error_of(post(client, token, body()), 413)["code"] in {"payload_too_large", "photo_too_large"}


def test_a_body_far_too_large_is_refused_before_it_is_read(client, center, token):
    error = error_of(post(client, token, body(photo_jpeg_base64="A" * 3_000_000)), 413)
    assert error["code"] == "payload_too_large"


@override_settings(MOTCUA={"FACE_CHECKS_PER_KIOSK_PER_MINUTE": 2})
def test_a_reader_posting_too_often_is_slowed_down(client, center, token):
    assert post(client, token, body()).status_code == 201
    assert post(client, token, body()).status_code == 201
    assert error_of(post(client, token, body()), 429)["code"] == "too_many_requests"
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=1), tick=False):
        assert post(client, token, body()).status_code == 201  # a new minute


@override_settings(MOTCUA={"FACE_CHECKS_PER_ID_PER_HOUR": 1})
def test_an_id_number_checked_too_often_this_hour_is_refused(client, center, token):
    from motcua.identity.services.card_reads import limit_count, national_id_hash

    limit_count("id", national_id_hash(NUMBER), window=3600, now=TUESDAY_8AM)  # one face check this hour
    error = error_of(post(client, token, body()), 429)
    assert error["code"] == "too_many_requests" and "quầy" in error["message"]
    assert post(client, token, body(national_id="092300001234", birth_date="2000-01-02")).status_code == 201


def test_a_reader_of_another_center_cannot_fill_this_centers_slot(client, center):
    other = device_create(center=Center.objects.get(code="ninhkieu"), kind="card_reader", name="R")[1]
    assert post(client, other, body()).status_code == 201
    since = TUESDAY_8AM - timedelta(minutes=1)
    assert card_read_claim(center=center, kiosk_label="", session_ref="s", since=since) is None


def test_the_endpoint_is_in_the_openapi_document(client):
    assert "/api/v1/identity/card-reads" in client.get("/api/v1/openapi.json").json()["paths"]


def test_get_is_not_allowed_and_says_so_in_json(client, token):
    assert error_of(client.get(URL, HTTP_AUTHORIZATION=f"Device {token}"), 405)["code"] == "method_not_allowed"
