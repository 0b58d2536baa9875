"""Card reads in the cache: checks, the kiosk's slot, the one-time claim, five minutes, the limits."""

from __future__ import annotations

import hashlib
import hmac
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from PIL import Image

from motcua.core.models import Center
from motcua.devices.services import device_create
from motcua.identity.services import card_reads
from motcua.identity.services.card_reads import CardReadError, card_read_claim, card_read_store
from tests.queueing.conftest import TUESDAY_8AM

pytestmark = pytest.mark.django_db
FACES = Path(__file__).resolve().parent.parent / "data" / "faces"
CHIP = (FACES / "obama_2009_congress.jpg").read_bytes()
NUMBER = "092090001234"
BEFORE = TUESDAY_8AM - timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    yield
    cache.clear()


@pytest.fixture
def reader(center):
    return device_create(center=center, kind="card_reader", name="Đầu đọc")[0]


def store(center, device, *, now=TUESDAY_8AM, **changes):
    fields = {"national_id": NUMBER, "full_name": "  Nguyễn   Văn An ", "birth_date": date(1990, 5, 12), "sex": "nữ",
              "address": "Ninh Kiều", "photo": CHIP, **changes}  # fmt: skip
    return card_read_store(center=center, device=device, now=now, **fields)


def test_a_read_is_cleaned_and_kept_under_a_random_reference(center, reader):
    read = store(center, reader)
    other = store(center, reader)
    assert read.ref != other.ref and len(read.ref) >= 24
    assert (read.full_name, read.sex, read.device_id, read.source) == ("Nguyễn Văn An", "F", reader.pk, "card_reader")
    assert "photo=" not in repr(read)  # the photo stays out of logs and tracebacks


def test_the_number_is_checked_against_the_birth_date(center, reader):
    with pytest.raises(CardReadError) as refused:
        store(center, reader, birth_date=date(1991, 1, 1))
    assert refused.value.code == "invalid_national_id" and "năm sinh" in refused.value.message


def test_the_photo_is_judged_by_its_content(center, reader):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buffer, "BMP")
    for photo in (b"", b"\xff\xd8\xff\xe0 broken jpeg", buffer.getvalue()):
        with pytest.raises(CardReadError) as refused:
            store(center, reader, photo=photo)
        assert refused.value.code == "invalid_photo"


@override_settings(MOTCUA={**settings.MOTCUA, "FACE_PHOTO_MAX_BYTES": 1000})
def test_a_photo_over_the_limit_is_refused(center, reader):
    with pytest.raises(CardReadError) as refused:
        store(center, reader)
    assert (refused.value.code, refused.value.status) == ("photo_too_large", 413)


def test_a_reader_of_another_kind_or_center_is_refused(center):
    for device in (
        device_create(center=center, kind="kiosk", name="K")[0],
        device_create(center=Center.objects.get(code="ninhkieu"), kind="card_reader", name="R")[0],
    ):
        with pytest.raises(CardReadError) as refused:
            store(center, device)
        assert refused.value.status == 403


def test_only_the_latest_read_of_a_slot_is_claimed_and_only_once(center, reader):
    store(center, reader)
    latest = store(center, reader, now=TUESDAY_8AM + timedelta(seconds=10))
    claimed = card_read_claim(center=center, kiosk_label="", session_ref="s", since=BEFORE, now=TUESDAY_8AM)
    assert claimed.ref == latest.ref
    assert card_read_claim(center=center, kiosk_label="", session_ref="t", since=BEFORE, now=TUESDAY_8AM) is None


def test_the_session_copy_keeps_only_what_is_left_of_the_five_minutes(center, reader, monkeypatch):
    seen = {}
    monkeypatch.setattr(card_reads.cache, "set", lambda key, value, timeout: seen.__setitem__(key, timeout))
    store(center, reader)
    assert set(seen.values()) == {300}


def test_a_claim_after_five_minutes_finds_nothing(center, reader):
    store(center, reader)
    late = TUESDAY_8AM + timedelta(minutes=5)
    assert card_read_claim(center=center, kiosk_label="", session_ref="s", since=BEFORE, now=late) is None


def test_forgetting_a_session_drops_its_read(center, reader):
    store(center, reader)
    card_read_claim(center=center, kiosk_label="", session_ref="s", since=BEFORE, now=TUESDAY_8AM)
    card_reads.card_read_forget("s")
    assert card_reads.card_read_for_session("s") is None


def test_the_number_is_hashed_with_the_sites_key():
    expected = hmac.new(settings.SECRET_KEY.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()
    assert card_reads.national_id_hash(NUMBER) == expected and NUMBER not in expected


@override_settings(MOTCUA={**settings.MOTCUA, "FACE_CHECKS_PER_KIOSK_PER_MINUTE": 1})
def test_the_reader_limit_counts_per_minute(center, reader):
    store(center, reader)
    with pytest.raises(CardReadError) as refused:
        store(center, reader, now=TUESDAY_8AM + timedelta(seconds=30))
    assert refused.value.status == 429
    store(center, reader, now=TUESDAY_8AM + timedelta(seconds=60))


def test_a_demo_read_has_no_device(center):
    read = store(center, None, source="demo")
    assert read.device_id is None and read.source == "demo"
