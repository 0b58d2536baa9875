"""Kiosk screens: home with its tiles, look-up, procedure page and the placeholder pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from motcua.core.models import Center
from tests.portal.samples import CERTIFY_COPY, CERTIFY_WILL, COMMUNE_ONLY

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
HOME = "/kiosk/cantho/"
SEARCH = "/kiosk/cantho/thu-tuc/"
TILES = ["Lấy số thứ tự", "Tra cứu thủ tục", "Tra cứu hồ sơ", "Đánh giá", "Đăng ký dịch vụ công"]


def text(response) -> str:
    return response.content.decode()


def test_home_has_the_five_tiles_and_the_center_name(client, organisation):
    body = text(client.get(HOME))
    for tile in TILES:
        assert tile in body
    assert "Trung tâm Phục vụ hành chính công thành phố Cần Thơ" in body
    assert 'data-idle-seconds="0"' in body  # home itself never times out


@time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=LOCAL), tick=False)
def test_home_says_reception_is_open_on_a_monday_morning(client, organisation):
    body = text(client.get(HOME))
    assert "Đang tiếp nhận hồ sơ" in body
    assert "09:00" in body and "Thứ Hai, 02/03/2026" in body


@time_machine.travel(datetime(2026, 3, 2, 11, 0, tzinfo=LOCAL), tick=False)
def test_home_says_reception_is_closed_at_lunch(client, organisation):
    assert "Ngoài giờ tiếp nhận" in text(client.get(HOME))


@time_machine.travel(datetime(2026, 3, 7, 9, 0, tzinfo=LOCAL), tick=False)
def test_home_says_reception_is_closed_on_saturday(client, organisation):
    assert "Ngoài giờ tiếp nhận" in text(client.get(HOME))


def test_unknown_or_inactive_center_is_a_vietnamese_404(client, organisation):
    response = client.get("/kiosk/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)
    Center.objects.filter(code="cairang").update(is_active=False)
    assert client.get("/kiosk/cairang/").status_code == 404
    assert client.get("/kiosk/khong-co/thu-tuc/").status_code == 404


def test_search_lists_only_what_this_center_receives(client, sample_catalog):
    body = text(client.get(SEARCH))
    assert "Chứng thực di chúc" in body
    assert "Cấp bản sao Trích lục hộ tịch" not in body  # received in Ninh Kiều only
    assert "Cấp bản sao Trích lục hộ tịch" in text(client.get("/kiosk/ninhkieu/thu-tuc/"))


@pytest.mark.parametrize("query", ["chứng thực", "chung thuc"])
def test_search_with_or_without_accents(client, sample_catalog, query):
    body = text(client.get(SEARCH, {"q": query}))
    assert "Chứng thực bản sao từ bản chính giấy tờ, văn bản" in body
    assert f'href="/kiosk/cantho/thu-tuc/{CERTIFY_COPY}/"' in body


def test_search_has_an_on_screen_keyboard_and_sector_chips(client, sample_catalog):
    body = text(client.get(SEARCH))
    assert 'data-key="Đ"' in body and "data-keyboard" in body
    assert "?sector=chung-thuc" in body
    assert 'data-idle-seconds="90"' in body


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-5"}, {"agency": "x"}, {"sector": "x"}, {"page": "50"}])
def test_search_bad_parameters_never_fail(client, sample_catalog, params):
    assert client.get(SEARCH, params).status_code == 200


def test_empty_search_explains_and_offers_the_full_list(client, sample_catalog):
    body = text(client.get(SEARCH, {"q": "zzzqqq"}))
    assert "Không tìm thấy thủ tục phù hợp" in body
    assert f'href="{SEARCH}"' in body


@time_machine.travel(datetime(2026, 2, 26, 16, 30, tzinfo=LOCAL), tick=False)
def test_detail_shows_documents_fees_and_the_appointment(client, sample_catalog):
    body = text(client.get(f"{SEARCH}{CERTIFY_WILL}/"))
    assert "Bản sao chứng thực" in body and "Dự thảo di chúc" in body
    assert "50.000 đ" in body
    assert "thứ Hai, 02/03/2026" in body
    # The print button opens the 80 mm slip for this kiosk's center.
    assert f"/thu-tuc/{CERTIFY_WILL}/in/?kho=80&amp;trung_tam=cantho&amp;tu_dong=1" in body


def test_detail_warns_when_this_center_does_not_receive_the_procedure(client, sample_catalog):
    body = text(client.get(f"{SEARCH}{COMMUNE_ONLY}/"))
    assert "Thủ tục này không tiếp nhận tại Trung tâm này" in body
    assert "Trung tâm PVHCC phường Ninh Kiều" in body


def test_detail_unknown_procedure_is_404_with_a_way_home(client, sample_catalog):
    response = client.get(f"{SEARCH}9.999999/")
    assert response.status_code == 404
    assert 'href="/kiosk/cantho/"' in text(response)


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        ("dang-ky-dvc", "đăng ký tài khoản dịch vụ công trực tuyến"),
    ],
)
def test_tiles_not_built_yet_explain_themselves(client, organisation, feature, message):
    body = text(client.get(reverse("kiosk:coming_soon", args=["cantho", feature])))
    assert message in body
    assert "Về trang chính" in body and 'href="/kiosk/cantho/"' in body


def test_unknown_placeholder_is_404(client, organisation):
    assert client.get("/kiosk/cantho/sap-co/khong-co/").status_code == 404
    assert client.get("/kiosk/cantho/sap-co/lay-so/").status_code == 404  # built now: /kiosk/<center>/lay-so/


def test_home_tiles_lead_to_working_pages(client, organisation):
    body = text(client.get(HOME))
    for url in [SEARCH, "/kiosk/cantho/lay-so/", "/kiosk/cantho/danh-gia/"]:
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200


def test_idle_form_resets_to_vietnamese_and_goes_home(client, organisation):
    body = text(client.get("/kiosk/cantho/sap-co/dang-ky-dvc/"))
    assert 'id="idle-home"' in body and 'name="language" value="vi"' in body
    assert 'name="next" value="/kiosk/cantho/"' in body
