"""The public web in a real browser, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_home_search_and_detail_on_desktop(page, demo_catalog, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu thủ tục hành chính")
    expect(page.locator(".center-card")).to_have_count(3)
    screenshot(page, "public-home-1280x800")
    page.get_by_role("searchbox").fill("chứng thực")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q="))
    titles = page.locator(".proc-card__title")
    expect(titles.filter(has_text="Chứng thực bản sao từ bản chính giấy tờ, văn bản")).to_be_visible()
    expect(titles.filter(has_text="Chứng thực di chúc")).to_be_visible()
    screenshot(page, "public-search-1280x800")
    titles.filter(has_text="Chứng thực di chúc").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chứng thực di chúc")
    table = page.locator("table.docs")
    for column in ["Bản chính", "Bản sao chứng thực", "Bản sao"]:
        expect(table.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
    expect(page.locator(".fee-list")).to_contain_text("50.000 đ")
    expect(page.get_by_test_id("appointment")).to_contain_text(
        "Nếu nộp hồ sơ ngay bây giờ, ngày hẹn trả kết quả dự kiến:"
    )
    expect(page.get_by_test_id("due-at")).to_have_text(re.compile(r"\d{2}:\d{2} .+, \d{2}/\d{2}/\d{4}"))
    screenshot(page, "public-detail-1280x800")


def test_search_without_accents_and_filters(page, demo_catalog):
    page.goto("/thu-tuc/?q=chung+thuc")
    expect(
        page.locator(".proc-card__title", has_text="Chứng thực bản sao từ bản chính giấy tờ, văn bản")
    ).to_be_visible()
    page.get_by_label("Lĩnh vực").select_option(label="Hộ tịch")
    expect(page).to_have_url(re.compile("sector=ho-tich"))
    expect(page.get_by_role("heading", name="Không tìm thấy thủ tục phù hợp")).to_be_visible()


def test_center_chooser_recomputes_the_appointment(page, demo_catalog):
    page.goto("/thu-tuc/2.001019/")
    page.get_by_label("Nộp tại").select_option(value="cairang")
    expect(page).to_have_url(re.compile("trung_tam=cairang"))
    expect(page.get_by_label("Nộp tại")).to_have_value("cairang")


def test_phone_layout(page, demo_catalog, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/")
    screenshot(page, "public-home-390x844", full_page=False)
    page.goto("/thu-tuc/?q=chung+thuc")
    screenshot(page, "public-search-390x844", full_page=False)
    page.goto("/thu-tuc/2.001019/")
    # On a phone the appointment comes right after the title, before the documents.
    appointment = page.get_by_test_id("appointment").bounding_box()
    documents = page.locator("#ho-so").bounding_box()
    assert appointment["y"] < documents["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "public-detail-390x844", full_page=False)
    screenshot(page, "public-detail-390x844-full")


def test_printouts_render(page, demo_catalog, screenshot):
    page.goto("/thu-tuc/2.001019/in/")
    sheet = page.locator(".sheet")
    expect(sheet).to_contain_text("UBND THÀNH PHỐ CẦN THƠ")
    expect(sheet).to_contain_text("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
    expect(sheet).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(sheet).to_contain_text("Độc lập - Tự do - Hạnh phúc")
    expect(sheet.locator("table.grid")).to_contain_text("Bản sao chứng thực")
    expect(sheet).to_contain_text("50.000 đ")
    expect(sheet).to_contain_text("In lúc")
    screenshot(page, "print-a4")
    page.set_viewport_size({"width": 480, "height": 900})
    page.goto("/thu-tuc/2.001019/in/?kho=80")
    slip = page.locator(".slip")
    expect(slip.locator(".slip__code")).to_have_text("2.001019")
    width = slip.bounding_box()["width"]
    assert 290 <= width <= 315  # 80 mm at 96 dpi is about 302 px
    screenshot(page, "print-80mm")


def test_english_toggle_switches_headings(page, demo_catalog, screenshot):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Look up administrative procedures")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/thu-tuc/2.001019/")
    expect(page.get_by_role("heading", name="Required documents")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Certified copy")).to_be_visible()
    screenshot(page, "public-detail-english-1280x800", full_page=False)
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()


def test_unknown_procedure_is_a_vietnamese_404(page, organisation, screenshot):
    response = page.goto("/thu-tuc/9.999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    screenshot(page, "public-404", full_page=False)
