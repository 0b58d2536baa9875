"""The kiosk in a real browser, at the sizes of the center's touch screens."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}
TILES = ["Lấy số thứ tự", "Tra cứu thủ tục", "Tra cứu hồ sơ", "Đánh giá", "Đăng ký dịch vụ công"]


def test_home_shows_five_tiles_and_opens_the_look_up(page, demo_catalog, screenshot):
    page.set_viewport_size(PORTRAIT)
    page.goto("/kiosk/cantho/")
    tiles = page.locator(".k-tile")
    expect(tiles).to_have_count(5)
    for title in TILES:
        expect(page.locator(".k-tile__title", has_text=title)).to_be_visible()
    expect(page.get_by_test_id("reception-status")).to_have_text(re.compile("Đang tiếp nhận hồ sơ|Ngoài giờ tiếp nhận"))
    expect(page.locator("[data-clock-time]")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
    # Every tile is a big touch target.
    for box in (tiles.nth(i).bounding_box() for i in range(5)):
        assert box["height"] >= 64 and box["width"] >= 64
    screenshot(page, "kiosk-home-1080x1920", full_page=False)
    page.set_viewport_size(LANDSCAPE)
    screenshot(page, "kiosk-home-1920x1080", full_page=False)
    page.get_by_role("link", name=re.compile("Tra cứu thủ tục")).click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/thu-tuc/$"))
    expect(page.get_by_role("heading", name="Tra cứu thủ tục hành chính")).to_be_visible()


@pytest.mark.parametrize("query", ["chứng thực", "chung thuc"])
def test_search_with_and_without_accents(page, demo_catalog, screenshot, query):
    page.set_viewport_size(PORTRAIT)
    page.goto("/kiosk/cantho/thu-tuc/")
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    results = page.locator(".proc-card__title")
    expect(results.filter(has_text="Chứng thực bản sao từ bản chính giấy tờ, văn bản")).to_be_visible()
    expect(results.filter(has_text="Chứng thực chữ ký trong giấy tờ, văn bản")).to_be_visible()
    if query == "chung thuc":
        screenshot(page, "kiosk-search-1080x1920", full_page=False)


def test_on_screen_keyboard_types_a_query(page, demo_catalog, screenshot):
    page.set_viewport_size(LANDSCAPE)
    page.goto("/kiosk/cantho/thu-tuc/")
    keyboard = page.locator("[data-keyboard]")
    expect(keyboard).to_be_hidden()
    page.get_by_role("button", name="Bàn phím").click()
    expect(keyboard).to_be_visible()
    for key in "CHUNGX":
        keyboard.locator(f'[data-key="{key}"]').click()
    keyboard.get_by_role("button", name="Xóa một chữ").click()
    keyboard.locator('[data-key=" "]').click()
    for key in "THUC":
        keyboard.locator(f'[data-key="{key}"]').click()
    expect(page.get_by_role("searchbox")).to_have_value("chung thuc")
    screenshot(page, "kiosk-keyboard-1920x1080", full_page=False)
    keyboard.get_by_role("button", name="Tìm").click()
    expect(page.locator(".proc-card__title", has_text="Chứng thực bản sao từ bản chính")).to_be_visible()


def test_procedure_page_shows_documents_fees_and_appointment(page, demo_catalog, screenshot):
    page.set_viewport_size(PORTRAIT)
    page.goto("/kiosk/cantho/thu-tuc/?q=chung+thuc+chu+ky")
    page.locator(".proc-card__title a", has_text="Chứng thực chữ ký").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chứng thực chữ ký trong giấy tờ, văn bản")
    table = page.locator("table.docs")
    for column in ["Bản chính", "Bản sao chứng thực", "Bản sao"]:
        expect(table.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
    expect(page.locator(".fee-list")).to_contain_text(re.compile(r"\d{1,3}(\.\d{3})* đ"))
    expect(page.get_by_test_id("appointment")).to_contain_text(
        "Nếu nộp hồ sơ ngay bây giờ, ngày hẹn trả kết quả dự kiến:"
    )
    expect(page.get_by_test_id("due-at")).to_have_text(
        re.compile(r"\d{2}:\d{2} (thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|chủ nhật), \d{2}/\d{2}/\d{4}")
    )
    screenshot(page, "kiosk-detail-1080x1920", full_page=False)
    page.set_viewport_size(LANDSCAPE)
    screenshot(page, "kiosk-detail-1920x1080", full_page=False)


def test_print_button_loads_the_80mm_slip_without_leaving_the_page(page, demo_catalog):
    page.goto("/kiosk/cantho/thu-tuc/2.000884/")
    page.evaluate("window.print = () => { window.__printed = true }")  # no dialog in a test
    page.get_by_role("button", name="In hướng dẫn").click()
    frame = page.locator("iframe.print-frame")
    expect(frame).to_have_attribute("src", re.compile(r"/thu-tuc/2\.000884/in/\?kho=80&trung_tam=cantho&tu_dong=1"))
    expect(page.frame_locator("iframe.print-frame").locator(".slip__code")).to_have_text("2.000884")
    expect(page.locator("[data-print-status]")).to_be_visible()
    expect(page).to_have_url(re.compile("/kiosk/cantho/thu-tuc/2.000884/$"))


@pytest.mark.parametrize("tile", ["Đăng ký dịch vụ công"])
def test_tile_not_built_yet_explains_and_returns_home(page, organisation, screenshot, tile):
    page.set_viewport_size(LANDSCAPE)
    page.goto("/kiosk/cantho/")
    page.locator(".k-tile", has_text=tile).click()
    expect(page.get_by_role("heading", name=tile)).to_be_visible()
    expect(page.get_by_test_id("coming-soon-message")).to_contain_text("sẽ có trong bản cập nhật tới")
    screenshot(page, "kiosk-coming-soon-1920x1080", full_page=False)
    page.get_by_test_id("home-button").click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/$"))
    expect(page.locator(".k-tile")).to_have_count(5)


def test_english_toggle_and_idle_return_to_vietnamese_home(page, organisation):
    page.clock.install()
    page.goto("/kiosk/cantho/sap-co/dang-ky-dvc/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register for online services")
    # Nobody touches the screen: a warning first, then home in Vietnamese.
    page.clock.fast_forward("01:20")
    expect(page.locator("[data-idle-dialog]")).to_be_visible()
    page.clock.fast_forward("00:15")
    expect(page).to_have_url(re.compile("/kiosk/cantho/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin kính chào quý khách")


def test_unknown_center_shows_a_vietnamese_not_found_page(page, organisation):
    response = page.goto("/kiosk/khong-co/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
