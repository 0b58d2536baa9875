"""Tra cứu hồ sơ at the kiosk: code by touch keyboard or scanner, public status, details after the ID keypad."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import PROCEDURE_CODE, TUESDAY_8AM, make_intake

pytestmark = pytest.mark.django_db
HOME = "/kiosk/cantho/"
LOOKUP = "/kiosk/cantho/tra-cuu-ho-so/"
APPLICANT_ID = "092190001234"
PERSONAL = ("Nguyễn Thị Ánh", APPLICANT_ID, "0912345678", "anh@example.com", "12 Hòa Bình")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TUESDAY_8AM + timedelta(days=1, hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(demo_catalog, center, reception_officer):
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import dossier_accept

    procedure = Procedure.objects.get(code=PROCEDURE_CODE)
    return dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)


def status_url(dossier: Dossier) -> str:
    return f"{LOOKUP}{dossier.code}/"


def verify_url(dossier: Dossier) -> str:
    return f"{LOOKUP}{dossier.code}/xac-minh/"


def text(response) -> str:
    return response.content.decode()


def idle_seconds(body: str) -> int:
    return int(re.search(r'data-idle-seconds="(\d+)"', body).group(1))


def test_home_tile_opens_the_dossier_look_up(client, organisation):
    body = text(client.get(HOME))
    assert f'href="{LOOKUP}"' in body and "Tra cứu hồ sơ" in body
    assert "/sap-co/tra-cuu-ho-so/" not in body


def test_look_up_page_has_a_touch_keyboard_for_codes(client, organisation):
    response = client.get(LOOKUP)
    body = text(response)
    assert response.status_code == 200 and 'name="ma"' in body and 'inputmode="none"' in body
    for key in [*"0123456789", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ", ".", "-"]:
        assert f'data-key="{key}"' in body, key
    assert 'data-key-action="backspace"' in body and 'data-key-action="clear"' in body
    assert idle_seconds(body) > 0  # goes home by itself like the other kiosk pages


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "https://dichvucong.cantho.gov.vn/tra-cuu/{code}/"])
def test_typed_or_scanned_code_opens_the_status(client, dossier, typed):
    response = client.get(LOOKUP, {"ma": typed.format(code=dossier.code, lower=dossier.code.lower())})
    assert response.status_code == 302 and response.url == status_url(dossier)


def test_unknown_code_says_so_and_keeps_it(client, dossier):
    response = client.get(LOOKUP, {"ma": "000.00.00.h13-260310-9999"})
    body = text(response)
    assert response.status_code == 404 and "Không tìm thấy hồ sơ có mã" in body
    assert 'value="000.00.00.H13-260310-9999"' in body


def test_status_page_is_public_and_has_nothing_personal(client, dossier, reception_officer):
    response = client.get(status_url(dossier))
    body = text(response)
    assert response.status_code == 200
    assert "Được tiếp nhận" in body and "Sở Khoa học và Công nghệ thành phố Cần Thơ" in body
    assert "24/03/2026 08:00" in body and "Đã tiếp nhận hồ sơ" in body
    for value in (*PERSONAL, reception_officer.full_name):
        assert value not in body, value
    assert f'href="{verify_url(dossier)}"' in body


def test_verify_page_has_a_digit_keypad_and_goes_home_sooner(client, dossier):
    body = text(client.get(verify_url(dossier)))
    for key in "0123456789":
        assert f'data-key="{key}"' in body
    assert 'name="so_dinh_danh"' in body and idle_seconds(body) == 60


def test_right_number_shows_the_details_once_and_is_audited(client, dossier):
    response = client.post(verify_url(dossier), {"so_dinh_danh": APPLICANT_ID})
    body = text(response)
    assert response.status_code == 200 and "Nguyễn Thị Ánh" in body and "50.000 đ" in body
    assert idle_seconds(body) == 60
    assert AuditLog.objects.get(action="dossiers.dossier.public_lookup").data == {"matched": True}
    # A shared screen: nothing stays open for the next person, on the kiosk or the portal.
    assert "Nguyễn Thị Ánh" not in text(client.get(status_url(dossier)))
    assert "Nguyễn Thị Ánh" not in text(client.get(f"/tra-cuu/{dossier.code}/"))


def test_wrong_number_is_refused_and_audited(client, dossier):
    body = text(client.post(verify_url(dossier), {"so_dinh_danh": "092190009999"}))
    assert "Số định danh không khớp" in body and "Nguyễn Thị Ánh" not in body
    assert AuditLog.objects.get(action="dossiers.dossier.public_lookup").data == {"matched": False}


def test_too_many_wrong_numbers_stop_the_checks(client, dossier, settings):
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_LOOKUP_PER_HOUR": 2}
    for _n in range(2):
        client.post(verify_url(dossier), {"so_dinh_danh": "000000000000"})
    response = client.post(verify_url(dossier), {"so_dinh_danh": APPLICANT_ID})
    assert response.status_code == 429 and "nhập sai quá nhiều lần" in text(response)
    assert "Nguyễn Thị Ánh" not in text(response)


def test_unknown_code_in_the_address(client, organisation):
    assert client.get(f"{LOOKUP}KHONG-CO/").status_code == 404
    assert client.post(f"{LOOKUP}KHONG-CO/xac-minh/", {"so_dinh_danh": APPLICANT_ID}).status_code == 404
    assert AuditLog.objects.filter(action="dossiers.dossier.public_lookup").count() == 0
