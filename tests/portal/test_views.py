"""Public web: landing page, search, procedure page, printouts and error pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from motcua.catalog.models import Procedure
from tests.portal.samples import BIRTH, CERTIFY_COPY, CERTIFY_WILL, COMMUNE_ONLY, LAB_PERMIT, NO_LIMIT

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SEARCH = reverse("portal:search")


def text(response) -> str:
    return response.content.decode()


def detail_url(code: str) -> str:
    return reverse("portal:detail", args=[code])


def test_home_shows_search_box_and_centers(client, sample_catalog):
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert 'action="/thu-tuc/"' in body
    assert "Trung tâm Phục vụ hành chính công phường Ninh Kiều" in body
    assert "109 Nguyễn Trãi" in body
    assert "Chứng thực" in body  # a sector link


def test_home_works_without_any_data(client, db):
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("query", ["chứng thực", "chung thuc", "CHỨNG THỰC"])
def test_search_finds_certification_with_or_without_accents(client, sample_catalog, query):
    body = text(client.get(SEARCH, {"q": query}))
    assert "Chứng thực bản sao từ bản chính giấy tờ, văn bản" in body
    assert "Chứng thực di chúc" in body
    assert "Thủ tục đăng ký khai sinh" not in body


def test_search_cards_show_time_fee_and_online_level(client, sample_catalog):
    body = text(client.get(SEARCH, {"q": "di chuc"}))
    assert "2 ngày làm việc" in body
    assert "50.000 đ" in body
    body = text(client.get(SEARCH, {"q": "khai sinh"}))
    assert "Toàn trình" in body and "Miễn phí" in body


def test_search_filters_by_agency_and_sector(client, sample_catalog):
    body = text(client.get(SEARCH, {"agency": "so-noi-vu"}))
    assert "Cấp giấy phép lao động" in body and "Chứng thực di chúc" not in body
    body = text(client.get(SEARCH, {"sector": "ho-tich"}))
    assert "Thủ tục đăng ký khai sinh" in body and "Chứng thực di chúc" not in body


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "-1"}, {"page": "0"}, {"page": "99999"}, {"agency": "khong-co"},
     {"sector": "khong-co"}, {"q": "x" * 5000}, {"page": "1e9"}],
)  # fmt: skip
def test_bad_parameters_never_fail(client, sample_catalog, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "Chứng thực di chúc" in text(response) or "Không tìm thấy thủ tục phù hợp" in text(response)


def test_unknown_agency_is_ignored_rather_than_emptying_the_list(client, sample_catalog):
    assert "Chứng thực di chúc" in text(client.get(SEARCH, {"agency": "khong-co"}))


def test_empty_result_explains_what_to_try(client, sample_catalog):
    body = text(client.get(SEARCH, {"q": "zzzqqq"}))
    assert "Không tìm thấy thủ tục phù hợp" in body
    assert "gõ không dấu" in body


def test_pagination_keeps_the_filters(client, demo_catalog):
    first = text(client.get(SEARCH, {"sector": "chung-thuc", "page": "1"}))
    assert 'rel="next"' not in first or "sector=chung-thuc&amp;page=2" in first
    everything = text(client.get(SEARCH))
    assert "page=2" in everything and 'rel="next"' in everything
    last = client.get(SEARCH, {"page": "999"})
    assert last.status_code == 200 and 'aria-current="page">6<' in text(last)


def test_search_page_queries_do_not_grow_with_results(client, demo_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(SEARCH)


def test_search_refuses_post(client, db):
    assert client.post(SEARCH).status_code == 405


def test_detail_shows_documents_with_copy_columns_and_national_database_note(client, sample_catalog):
    body = text(client.get(detail_url(CERTIFY_WILL)))
    for heading in ["Bản chính", "Bản sao chứng thực", "Bản sao", "Thành phần hồ sơ"]:
        assert heading in body
    assert "Chỉ xuất trình" in body
    assert "Không phải nộp nếu đã có trong CSDL quốc gia về dân cư" in body
    assert "50.000 đ" in body
    assert "Tiếp nhận hồ sơ" in body and "0,5 ngày làm việc" in body  # a step with its time


def test_detail_shows_badges_dates_and_tiered_fee(client, sample_catalog):
    body = text(client.get(detail_url(CERTIFY_COPY)))
    assert "Tiếp nhận không phụ thuộc địa giới hành chính" in body
    assert "Một phần" in body
    assert "01/07/2025" in body
    assert "Trong ngày (nhận sau 15:00 trả ngày làm việc tiếp theo)" in body
    assert "2.000 đ/trang" in body and "200.000 đ" in body
    assert "Nghị định 23/2015/NĐ-CP" in body and "Bản sao có chứng thực" in body


def test_detail_fee_note_or_free_when_no_fee_rows(client, sample_catalog):
    assert "Theo mức thu của Hội đồng nhân dân thành phố" in text(client.get(detail_url(LAB_PERMIT)))
    assert "Miễn phí" in text(client.get(detail_url(BIRTH)))


@time_machine.travel(datetime(2026, 2, 26, 16, 30, tzinfo=LOCAL), tick=False)
def test_detail_estimates_the_appointment_from_the_working_calendar(client, sample_catalog):
    # Thursday 16:30 + 2 working days (16 working hours) = Monday 16:30.
    body = text(client.get(detail_url(CERTIFY_WILL)))
    assert "Nếu nộp hồ sơ ngay bây giờ, ngày hẹn trả kết quả dự kiến:" in body
    assert '16:30 <span class="weekday">thứ Hai, 02/03/2026</span>' in body


@time_machine.travel(datetime(2026, 2, 26, 15, 30, tzinfo=LOCAL), tick=False)
def test_same_day_procedure_after_the_cutoff_is_due_the_next_working_day(client, sample_catalog):
    body = text(client.get(reverse("portal:print", args=[CERTIFY_COPY]), {"kho": "80"}))
    assert "17:00 thứ Sáu, 27/02/2026" in body


def test_detail_without_time_limit_says_so(client, sample_catalog):
    assert "Không quy định thời hạn" in text(client.get(detail_url(NO_LIMIT)))


def test_detail_center_chooser_picks_the_requested_center(client, sample_catalog):
    body = text(client.get(detail_url(CERTIFY_COPY), {"trung_tam": "ninhkieu"}))
    assert '<option value="ninhkieu" selected>' in body
    body = text(client.get(detail_url(CERTIFY_COPY), {"trung_tam": "khong-co"}))
    assert '<option value="cantho" selected>' in body
    # Received only at one commune center: that center is used, and no chooser is needed.
    body = text(client.get(detail_url(COMMUNE_ONLY)))
    assert "Trung tâm PVHCC phường Ninh Kiều" in body and 'name="trung_tam"' not in body


def test_unknown_or_withdrawn_procedure_is_a_vietnamese_404(client, sample_catalog):
    response = client.get(detail_url("9.999999"))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)
    Procedure.objects.filter(code=BIRTH).update(is_active=False)
    assert client.get(detail_url(BIRTH)).status_code == 404
    assert client.get(reverse("portal:print", args=["9.999999"])).status_code == 404


def test_a4_printout_has_the_official_header_and_page_size(client, sample_catalog):
    body = text(client.get(reverse("portal:print", args=[CERTIFY_WILL])))
    assert "@page { size: A4" in body
    assert "UBND THÀNH PHỐ CẦN THƠ" in body and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Độc lập - Tự do - Hạnh phúc" in body
    assert "Dự thảo di chúc" in body and "50.000 đ" in body and "In lúc" in body


def test_receipt_printout_is_80mm_and_may_be_framed_by_the_kiosk(client, sample_catalog):
    response = client.get(reverse("portal:print", args=[CERTIFY_WILL]), {"kho": "80", "tu_dong": "1"})
    body = text(response)
    assert "@page { size: 80mm auto; margin: 0; }" in body
    assert "data-autoprint" in body
    assert "1 bản chính, 2 bản sao chứng thực" in body
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_unknown_print_width_falls_back_to_a4(client, sample_catalog):
    assert "size: A4" in text(client.get(reverse("portal:print", args=[CERTIFY_WILL]), {"kho": "abc"}))


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html


def test_english_is_served_after_switching_language(client, sample_catalog):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = text(client.get("/"))
    assert "Look up administrative procedures" in body
    body = text(client.get(detail_url(CERTIFY_WILL)))
    assert "2 working days" in body and "Original" in body
