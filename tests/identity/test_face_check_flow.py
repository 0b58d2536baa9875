"""The kiosk's face check with the engine replaced: consent first, each outcome, what is kept, the ticket."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import override_settings
from PIL import Image

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.core.models import AuditLog, Center
from motcua.devices.services import device_create
from motcua.identity.models import ConsentRecord, FaceCheck, TicketIdentity
from motcua.identity.services import card_reads, face_checks
from motcua.queueing.models import Ticket
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db
BASE = "/kiosk/cantho/xac-thuc/"
FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
CHIP = (FACES / "obama_2009_congress.jpg").read_bytes()
NUMBER = "092090001234"


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield
    cache.clear()


@pytest.fixture
def engine(monkeypatch):
    """The face engine, replaced: answers `engine.result` and remembers what it was given."""
    state = SimpleNamespace(result="match", calls=[], message="")

    def check_face(*, reference: bytes, frames: list[bytes], challenge: str, threshold=None):
        state.calls.append({"reference": reference, "frames": frames, "challenge": challenge})
        distance = {"match": 0.35, "no_match": 0.84}.get(state.result)
        return SimpleNamespace(result=state.result, distance=distance, threshold=0.6, message=state.message,
                               duration_ms=180)  # fmt: skip

    monkeypatch.setattr(face_checks, "_check_face", check_face)
    return state


@pytest.fixture
def reader(center):
    return device_create(center=center, kind="card_reader", name="Đầu đọc kiosk 1")[0]


@pytest.fixture
def queue(center, reception_officer):
    queue = make_queue(center, "b", name="Sở Tư pháp", prefix="B")
    make_counter(center, 5, [queue], officer=reception_officer)
    return queue


def jpeg(colour: str = "grey") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def frames(count: int = 12) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"f{i}.jpg", jpeg(), content_type="image/jpeg") for i in range(count)]


def read_card(center, reader, **changes):
    fields = {"national_id": NUMBER, "full_name": "Nguyễn Văn An", "birth_date": TUESDAY_8AM.date().replace(year=1990),
              "sex": "Nam", "address": "12 Hòa Bình, Ninh Kiều, Cần Thơ", "photo": CHIP, **changes}  # fmt: skip
    return card_reads.card_read_store(center=center, device=reader, **fields)


def to_camera(client, center, reader, **changes) -> str:
    """Consent, the card on the reader, the camera screen; returns the camera page."""
    assert client.post(BASE).status_code == 302
    read_card(center, reader, **changes)
    assert client.post(BASE + "the/nhan/").json()["ready"] is True
    return client.get(BASE + "khuon-mat/").content.decode()


def check(client, count: int = 12):
    return client.post(BASE + "khuon-mat/", {"frames": frames(count)})


def matched(client, center, reader):
    to_camera(client, center, reader)
    return check(client)


# --- consent first -----------------------------------------------------------------------------


def test_the_consent_screen_says_what_is_captured_and_that_nothing_is_kept(client, center):
    body = client.get(BASE).content.decode()
    assert "Đồng ý" in body and "Không, tôi làm tại quầy" in body
    assert "bị xóa ngay sau khi so khớp" in body and "ảnh chân dung trong chip" in body
    assert not ConsentRecord.objects.exists()  # showing it records nothing


def test_nothing_before_consent(client, center, reader, engine):
    read_card(center, reader)
    assert client.get(BASE + "the/")["Location"] == BASE
    assert client.post(BASE + "the/nhan/").status_code == 409
    assert client.get(BASE + "khuon-mat/")["Location"] == BASE
    assert check(client).status_code == 409
    assert engine.calls == [] and not FaceCheck.objects.exists()


def test_agreeing_logs_the_consent_and_asks_for_the_card(client, center):
    response = client.post(BASE)
    assert response["Location"] == BASE + "the/"
    consent = ConsentRecord.objects.get()
    assert consent.kind == "face_check" and consent.text_version == face_checks.CONSENT_VERSION
    assert consent.given_at == TUESDAY_8AM and len(consent.session_ref) >= 20 and consent.user is None
    assert "Đặt thẻ căn cước lên đầu đọc" in client.get(BASE + "the/").content.decode()


def test_declining_goes_to_the_queue_without_identity(client, center):
    response = client.get(BASE + "huy/?tiep=lay-so")
    assert response["Location"] == "/kiosk/cantho/lay-so/"


# --- the card and the camera ---------------------------------------------------------------------


def test_the_card_screen_waits_until_the_reader_sends_the_card(client, center, reader):
    client.post(BASE)
    assert client.post(BASE + "the/nhan/").json() == {"ready": False, "next": ""}
    read_card(center, reader)
    assert client.post(BASE + "the/nhan/").json() == {"ready": True, "next": BASE + "khuon-mat/"}


def test_a_card_read_before_the_consent_is_not_taken(client, center, reader):
    read_card(
        center,
        reader,
    )
    with time_machine.travel(TUESDAY_8AM + timedelta(seconds=5), tick=False):
        client.post(BASE)
        assert client.post(BASE + "the/nhan/").json()["ready"] is False


def test_the_camera_screen_gives_one_of_the_challenges(client, center, reader):
    body = to_camera(client, center, reader)
    challenge = re.search(r'data-challenge="([a-z_]+)"', body).group(1)
    assert challenge in face_checks.DEFAULT_CHALLENGES
    assert str(face_checks_view_text(challenge)) in body


def face_checks_view_text(challenge: str):
    from motcua.kiosk.identity_views import CHALLENGE_TEXT

    return CHALLENGE_TEXT[challenge]


def test_the_engine_gets_the_chip_photo_the_frames_and_the_screens_challenge(client, center, reader, engine):
    body = to_camera(client, center, reader)
    challenge = re.search(r'data-challenge="([a-z_]+)"', body).group(1)
    assert check(client).json() == {"result": "match", "next": BASE + "ket-qua/"}
    (call,) = engine.calls
    assert call["reference"] == CHIP and len(call["frames"]) == 12 and call["frames"][0] == jpeg()
    assert call["challenge"] == challenge


# --- outcomes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "title", "retry"),
    [
        ("no_match", "Khuôn mặt chưa khớp với ảnh trên thẻ", True),
        ("no_face", "Không nhìn thấy khuôn mặt", True),
        ("several_faces", "Có nhiều khuôn mặt trong khung hình", True),
        ("poor_image", "Ảnh quá tối hoặc bị mờ", True),
        ("not_live", "Chưa xác nhận được người thật", True),
        ("no_reference", "Ảnh trên thẻ không dùng được", False),
    ],
)
def test_each_failed_outcome_says_what_happened_and_offers_the_counter(
    client, center, reader, engine, result, title, retry
):
    engine.result = result
    to_camera(client, center, reader)
    assert check(client).json()["result"] == result
    body = client.get(BASE + "ket-qua/").content.decode()
    assert title in body and "Làm tại quầy" in body
    assert ('data-testid="face-retry"' in body) is retry
    assert FaceCheck.objects.get().result == result
    assert client.session.get("kiosk_face_identity") is None


def test_the_engines_own_message_is_shown(client, center, reader, engine):
    engine.result, engine.message = "poor_image", "Ảnh quá tối, vui lòng đứng gần đèn hơn."
    to_camera(client, center, reader)
    check(client)
    assert "Ảnh quá tối, vui lòng đứng gần đèn hơn." in client.get(BASE + "ket-qua/").content.decode()


def test_try_again_keeps_the_card_and_gives_a_new_screen(client, center, reader, engine):
    engine.result = "not_live"
    to_camera(client, center, reader)
    check(client)
    engine.result = "match"
    assert client.get(BASE + "khuon-mat/").status_code == 200  # no new card read needed
    assert check(client).json()["result"] == "match"
    assert list(FaceCheck.objects.order_by("at", "pk").values_list("result", flat=True)) == ["not_live", "match"]


def test_a_match_shows_who_and_leads_to_a_number(client, center, reader, engine):
    matched(client, center, reader)
    body = client.get(BASE + "ket-qua/").content.decode()
    assert "Xác thực thành công" in body and "Nguyễn Văn An" in body
    assert "092******234" in body and NUMBER not in body  # the number is not spelled out on the screen
    assert 'href="/kiosk/cantho/lay-so/"' in body


# --- what is kept -------------------------------------------------------------------------------


def test_the_face_check_row_holds_the_outcome_and_no_image(client, center, reader, engine):
    matched(client, center, reader)
    row = FaceCheck.objects.get()
    assert (row.result, row.distance, row.threshold, row.duration_ms, row.at) == ("match", 0.35, 0.6, 180, TUESDAY_8AM)
    assert row.challenge in face_checks.DEFAULT_CHALLENGES
    assert row.device == reader and row.center == center and row.consent == ConsentRecord.objects.get()
    assert row.national_id_hash == hmac.new(settings.SECRET_KEY.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()
    kinds = {type(field) for field in FaceCheck._meta.get_fields()}
    assert not kinds & {models.BinaryField, models.ImageField, models.FileField}
    values = FaceCheck.objects.values().get()
    assert NUMBER not in str(values) and all(len(str(v)) <= 64 for v in values.values())


def test_after_a_match_the_photo_leaves_the_cache(client, center, reader, engine):
    matched(client, center, reader)
    ref = ConsentRecord.objects.get().session_ref
    assert card_reads.card_read_for_session(ref) is None


def test_frames_are_read_in_memory_even_past_the_upload_threshold(client, center, reader, engine):
    to_camera(client, center, reader)
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10, FILE_UPLOAD_TEMP_DIR="/nonexistent/never-written"):
        assert check(client).json()["result"] == "match"


def test_an_oversized_post_is_refused_in_json(client, center, reader, engine):
    to_camera(client, center, reader)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * 6_100_000, content_type="image/jpeg")
    response = client.post(BASE + "khuon-mat/", {"frames": [big]})
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
    assert engine.calls == []


def test_an_engine_failure_sends_the_citizen_to_the_counter(client, center, reader, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("dlib model missing")

    monkeypatch.setattr(face_checks, "_check_face", broken)
    to_camera(client, center, reader)
    assert check(client).json()["result"] == "refused"
    body = client.get(BASE + "ket-qua/").content.decode()
    assert "Vui lòng làm thủ tục tại quầy" in body and 'data-testid="face-retry"' not in body


def test_no_frames_is_refused(client, center, reader, engine):
    to_camera(client, center, reader)
    assert client.post(BASE + "khuon-mat/", {}).status_code == 422


# --- the ticket ---------------------------------------------------------------------------------


def take_number(client, queue):
    url = f"/kiosk/cantho/lay-so/hang/{queue.code}/xac-nhan/?uu_tien=khong"
    body = client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)
    return body, client.post(url, {"form_token": token, "uu_tien": "khong"})


def test_the_ticket_after_a_match_carries_the_identity_and_the_session_forgets_it(
    client, center, reader, engine, queue
):
    matched(client, center, reader)
    assert "Nguyễn Văn An" in client.get("/kiosk/cantho/lay-so/").content.decode()  # the banner
    body, response = take_number(client, queue)
    assert response.status_code == 302 and 'data-testid="face-banner"' in body
    identity = TicketIdentity.objects.get()
    assert identity.ticket == Ticket.objects.get()
    assert (identity.national_id, identity.full_name, identity.method) == (NUMBER, "Nguyễn Văn An", "face")
    assert identity.birth_date == TUESDAY_8AM.date().replace(year=1990) and identity.address.startswith("12 Hòa Bình")
    assert identity.face_check == FaceCheck.objects.get() and identity.verified_at == TUESDAY_8AM
    assert "kiosk_face_identity" not in client.session and "kiosk_face" not in client.session
    take_number(client, queue)  # the next person's ticket is anonymous
    assert Ticket.objects.count() == 2 and TicketIdentity.objects.count() == 1


def test_a_ticket_without_a_face_check_has_no_identity(client, center, queue):
    assert 'data-testid="face-offer"' in client.get("/kiosk/cantho/lay-so/").content.decode()
    take_number(client, queue)
    assert Ticket.objects.count() == 1 and not TicketIdentity.objects.exists()


def test_cancelling_after_a_match_forgets_the_identity(client, center, reader, engine, queue):
    matched(client, center, reader)
    assert client.get(BASE + "huy/")["Location"] == "/kiosk/cantho/"
    take_number(client, queue)
    assert not TicketIdentity.objects.exists()


def test_a_new_consent_screen_forgets_the_previous_citizen(client, center, reader, engine, queue):
    matched(client, center, reader)
    client.get(BASE)
    take_number(client, queue)
    assert not TicketIdentity.objects.exists()


def test_a_match_left_too_long_is_not_attached(client, center, reader, engine, queue):
    matched(client, center, reader)
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=6), tick=False):
        take_number(client, queue)
    assert Ticket.objects.count() == 1 and not TicketIdentity.objects.exists()


def test_the_face_screens_send_home_and_idle_through_the_cancel_address(client, center, reader):
    body = to_camera(client, center, reader)
    assert f'data-face-cancel="{BASE}huy/"' in body and "js/kiosk-face.js" in body


# --- limits -------------------------------------------------------------------------------------


@override_settings(MOTCUA={**settings.MOTCUA, "FACE_CHECKS_PER_KIOSK_PER_MINUTE": 1})
def test_a_kiosk_checking_too_often_is_told_to_wait(client, center, reader, engine):
    engine.result = "no_match"
    to_camera(client, center, reader)
    check(client)
    client.get(BASE + "khuon-mat/")
    assert check(client).json()["result"] == "refused"
    body = client.get(BASE + "ket-qua/").content.decode()
    assert "thử lại sau một phút" in body and 'data-testid="face-retry"' not in body
    assert FaceCheck.objects.count() == 1 and len(engine.calls) == 1


@override_settings(MOTCUA={**settings.MOTCUA, "FACE_CHECKS_PER_ID_PER_HOUR": 2})
def test_an_id_number_checked_too_often_goes_to_the_counter(client, center, reader, engine):
    engine.result = "no_match"
    to_camera(client, center, reader)
    for _attempt in range(2):
        check(client)
        client.get(BASE + "khuon-mat/")
    assert check(client).json()["result"] == "refused"
    assert "quá nhiều lần trong một giờ" in client.get(BASE + "ket-qua/").content.decode()
    assert FaceCheck.objects.count() == 2


# --- demo mode ----------------------------------------------------------------------------------


def demo_post(client, **changes):
    photo = SimpleUploadedFile("chan-dung.jpg", CHIP, content_type="image/jpeg")
    data = {"national_id": NUMBER, "full_name": "Nguyễn Văn An", "birth_date": "12/05/1990", "sex": "Nam",
            "address": "Ninh Kiều", "kiosk": "", "photo": photo, **changes}  # fmt: skip
    return client.post(BASE + "demo/", data)


def test_the_demo_page_needs_an_officer_of_the_center(client, center):
    assert client.get(BASE + "demo/")["Location"].startswith("/console/")
    other = User.objects.create_user("tiepnhan.khac", password="x")
    RoleAssignment.objects.create(user=other, role=Role.RECEPTION_OFFICER, center=Center.objects.get(code="ninhkieu"))
    client.force_login(other)
    assert client.get(BASE + "demo/").status_code == 404


def test_an_officer_enrols_a_card_for_the_kiosk_without_hardware(client, center, reception_officer, engine):
    kiosk = client.__class__()
    kiosk.post(BASE)
    client.force_login(reception_officer)
    response = demo_post(client)
    assert response["Location"] == BASE + "demo/?ok=1"
    assert "Đã gửi dữ liệu thẻ đến kiosk" in client.get(response["Location"]).content.decode()
    assert kiosk.post(BASE + "the/nhan/").json()["ready"] is True
    kiosk.get(BASE + "khuon-mat/")
    assert kiosk.post(BASE + "khuon-mat/", {"frames": frames()}).json()["result"] == "match"
    assert FaceCheck.objects.get().device is None and engine.calls[0]["reference"] == CHIP


def test_each_demo_enrolment_is_audited_without_the_number(client, center, reception_officer):
    client.force_login(reception_officer)
    demo_post(client, kiosk="K1")
    row = AuditLog.objects.get(action="identity.card_read.demo")
    assert row.actor == reception_officer and row.center == center and row.data["kiosk"] == "K1"
    assert NUMBER not in str(row.data) and len(row.data["national_id_hash"]) == 64


def test_production_turns_the_demo_enrolment_off(client, center, reception_officer, settings):
    settings.MOTCUA = {**settings.MOTCUA, "FACE_DEMO_ENROLMENT": False}
    client.force_login(reception_officer)
    assert client.get(BASE + "demo/").status_code == 404
    assert demo_post(client).status_code == 404
    with pytest.raises(card_reads.CardReadError):
        card_reads.card_read_enrol_demo(center=center, officer=reception_officer, ip=None, photo=CHIP,
                                        birth_date=None, national_id=NUMBER, full_name="A", sex="", address="")  # fmt: skip
    assert not AuditLog.objects.filter(action="identity.card_read.demo").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": "1990-05-12"}, "ngày/tháng/năm"),
        ({"national_id": "12345"}, "12 chữ số"),
        ({"photo": SimpleUploadedFile("a.jpg", b"%PDF-1.4", content_type="image/jpeg")}, "JPEG hoặc PNG"),
    ],
)
def test_a_bad_demo_entry_is_explained_and_kept(client, center, reception_officer, changes, message):
    client.force_login(reception_officer)
    response = demo_post(client, **changes)
    body = response.content.decode()
    assert response.status_code == 422 and message in body and 'value="Nguyễn Văn An"' in body


def test_the_kiosk_home_forgets_the_previous_citizen(client, organisation):
    from motcua.kiosk import identity_views

    session = client.session
    for key in (identity_views.FLOW, identity_views.VERIFIED):
        session[key] = {"ref": "", "full_name": "Nguyễn Thị Ánh"}
    session.save()
    client.get("/kiosk/cantho/")
    assert identity_views.FLOW not in client.session and identity_views.VERIFIED not in client.session
