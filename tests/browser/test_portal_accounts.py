"""Citizen accounts in a real browser: register → log out → log in → account page, on a phone
and on a desktop; mistakes shown next to their fields and reachable from the summary."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "Song-Hau-2026!"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _fill_register(page, *, national_id="092185001234", phone="0901 234 567"):
    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Số định danh cá nhân").fill(national_id)
    page.get_by_label("Ngày sinh").fill("05/09/1985")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Thư điện tử").fill("mai.tran@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)


def _journey(page, screenshot, size):
    page.goto("/tai-khoan/dang-ky/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản")
    screenshot(page, f"account-register-{size}", full_page=False)
    _fill_register(page, national_id="092285001234")  # the century digit disagrees with 1985
    page.get_by_role("button", name="Đăng ký").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Số định danh cá nhân")
    expect(summary).to_contain_text("Điều khoản sử dụng")
    expect(page.get_by_label("Họ và tên")).to_have_value("Trần Thị Mai")  # nothing typed is lost
    field = page.get_by_label("Số định danh cá nhân")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(
        "12 chữ số in trên thẻ căn cước (căn cước công dân). Chữ số thứ tư của số định danh (2) ứng với người sinh "
        "trong các năm 2000–2099, không khớp với năm sinh 1985. Vui lòng kiểm tra lại số định danh hoặc ngày sinh."
    )
    screenshot(page, f"account-register-errors-{size}")
    summary.get_by_role("link").first.click()
    expect(field).to_be_focused()
    field.fill("092 185 001 234")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đã đọc và đồng ý").check()
    page.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.get_by_role("status")).to_contain_text("Đăng ký thành công")
    expect(page.get_by_test_id("profile")).to_contain_text("092••••••234")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất")

    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0901234567")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("chưa đúng")
    screenshot(page, f"account-login-error-{size}", full_page=False)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.get_by_test_id("profile")).to_contain_text("mai.tran@example.vn")
    screenshot(page, f"account-home-{size}")


def test_register_logout_login_on_a_desktop(page, organisation, screenshot):
    _journey(page, screenshot, "1280x800")


def test_register_logout_login_on_a_phone(page, organisation, screenshot):
    page.set_viewport_size(PHONE)
    _journey(page, screenshot, "390x844")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing sticks out sideways


def test_keyboard_only_login(page, organisation, screenshot):
    from motcua.identity.services.accounts import citizen_register

    citizen_register(full_name="Lê Văn Hùng", national_id="092079004321", phone="0912345678", password=PASSWORD,
                     terms_version="2026-11")  # fmt: skip
    page.goto("/tai-khoan/dang-nhap/")
    expect(page.get_by_label("Số điện thoại hoặc thư điện tử")).to_be_focused()
    page.keyboard.type("0912 345 678")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    screenshot(page, "account-login-1280x800-after", full_page=False)


def test_reset_and_assisted_pages(page, organisation, reception_officer, screenshot):
    page.goto("/tai-khoan/quen-mat-khau/")
    page.get_by_label("Thư điện tử đã đăng ký").fill("0901234567")
    page.get_by_role("button", name="Gửi đường dẫn đặt lại mật khẩu").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text("đến Trung tâm")
    screenshot(page, "account-reset-phone-1280x800", full_page=False)
    page.goto("/console/dang-nhap/?next=/tai-khoan/ho-tro-dang-ky/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill("motcua-demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hỗ trợ công dân đăng ký tài khoản")
    _fill_register(page)
    page.get_by_label("Công dân đã đọc").check()
    screenshot(page, "account-assisted-1280x800")
    page.get_by_role("button", name="Đăng ký cho công dân").click()
    expect(page.get_by_test_id("assisted-done")).to_contain_text("Trần Thị Mai")
    page.goto("/tai-khoan/")
    expect(page.get_by_test_id("staff-refused")).to_be_visible()
    screenshot(page, "account-staff-refused-1280x800", full_page=False)
