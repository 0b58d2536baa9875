"""Tra cứu hồ sơ in a real browser: the kiosk's touch keyboard and scanner, and the phone page behind the QR."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from motcua.core.calendar import LOCAL_TZ, to_local
from tests.browser.keypad import tap
from tests.dossiers.conftest import PROCEDURE_CODE, make_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANDSCAPE = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}
PHONE = {"width": 390, "height": 844}
APPLICANT_ID = "092190001234"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _morning(days_ago: int) -> datetime:
    """08:30 some days back: the server reads the real clock, so the dossier is dated from it."""
    day = to_local(timezone.now()).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(8, 30), tzinfo=LOCAL_TZ)


@pytest.fixture
def dossier(demo_catalog, center, reception_officer):
    """Accepted three days ago, forwarded, the first step handed over: being processed."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import dossier_accept, dossier_forward, dossier_hand_over

    procedure = Procedure.objects.get(code=PROCEDURE_CODE)
    start = _morning(3)
    dossier = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=start)
    dossier_forward(officer=reception_officer, dossier=dossier, expected_version=dossier.version,
                    now=start + timedelta(minutes=40))  # fmt: skip
    dossier = Dossier.objects.get(pk=dossier.pk)
    officer = User.objects.get(username="chuyenvien.khcn")
    dossier_hand_over(officer=officer, dossier=dossier, expected_version=dossier.version,
                      now=start + timedelta(days=1, hours=2))  # fmt: skip
    return Dossier.objects.get(pk=dossier.pk)


def test_kiosk_tile_touch_keyboard_status_and_details(page, dossier, screenshot):
    page.set_viewport_size(LANDSCAPE)
    page.goto("/kiosk/cantho/")
    page.get_by_role("link", name=re.compile("Tra cứu hồ sơ")).click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/tra-cuu-ho-so/$"))
    field = page.get_by_test_id("dossier-code-input")
    expect(field).to_be_focused()  # a scanner can type straight away
    tap(page, dossier.code[:-1] + "9")
    page.locator('[data-key-action="backspace"]').click()
    tap(page, dossier.code[-1])
    expect(field).to_have_value(dossier.code)
    screenshot(page, "kiosk-dossier-lookup-1920x1080", full_page=False)
    page.get_by_test_id("dossier-lookup-submit").click()

    expect(page).to_have_url(re.compile(f"/tra-cuu-ho-so/{re.escape(dossier.code)}/$"))
    expect(page.get_by_test_id("dossier-status-label")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("dossier-status-text")).to_contain_text("Sở Khoa học và Công nghệ")
    expect(page.get_by_test_id("dossier-timeline")).to_contain_text("Chuyển sang bước xử lý tiếp theo")
    expect(page.get_by_text("Nguyễn Thị Ánh")).to_have_count(0)
    screenshot(page, "kiosk-dossier-status-1920x1080", full_page=False)

    page.get_by_test_id("details-button").click()
    tap(page, "0921900012345")
    page.locator('[data-key-action="backspace"]').click()
    expect(page.get_by_test_id("dossier-id-input")).to_have_value(APPLICANT_ID)
    screenshot(page, "kiosk-dossier-verify-1920x1080", full_page=False)
    page.get_by_test_id("dossier-verify-submit").click()
    expect(page.get_by_test_id("dossier-applicant")).to_have_text("Nguyễn Thị Ánh")
    screenshot(page, "kiosk-dossier-details-1920x1080", full_page=False)
    page.get_by_test_id("done-button").click()
    expect(page).to_have_url(re.compile("/kiosk/cantho/$"))


def test_kiosk_qr_scanner_types_the_address_and_enter(page, dossier):
    page.set_viewport_size(LANDSCAPE)
    page.goto("/kiosk/cantho/tra-cuu-ho-so/")
    page.locator(".k-title").click()  # the field lost the focus: the scanner's keys still land in it
    page.keyboard.type(f"https://dichvucong.cantho.gov.vn/tra-cuu/{dossier.code}/")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/tra-cuu-ho-so/{re.escape(dossier.code)}/$"))
    expect(page.get_by_test_id("dossier-status-label")).to_have_text("Đang xử lý")


def test_kiosk_wrong_code_is_explained(page, dossier, screenshot):
    page.set_viewport_size(PORTRAIT)
    page.goto("/kiosk/cantho/tra-cuu-ho-so/")
    tap(page, "000.00.00.H13-1")
    page.get_by_test_id("dossier-lookup-submit").click()
    expect(page.get_by_test_id("dossier-not-found")).to_contain_text("000.00.00.H13-1")
    expect(page.get_by_test_id("dossier-code-input")).to_have_value("000.00.00.H13-1")
    screenshot(page, "kiosk-dossier-not-found-1080x1920", full_page=False)


def test_phone_page_behind_the_qr(page, dossier, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"/tra-cuu/{dossier.code}/")
    expect(page.get_by_test_id("dossier-status-label")).to_have_text("Đang xử lý")
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    expect(page.get_by_text("Nguyễn Thị Ánh")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing overflows the phone's width"
    screenshot(page, "portal-dossier-track-390x844")
    page.get_by_label("Số định danh của người nộp hồ sơ").fill("092190009999")
    page.get_by_role("button", name="Xem chi tiết").click()
    expect(page.get_by_test_id("lookup-message")).to_contain_text("không khớp")
    page.get_by_label("Số định danh của người nộp hồ sơ").fill(APPLICANT_ID)
    page.get_by_role("button", name="Xem chi tiết").click()
    expect(page.get_by_test_id("dossier-applicant")).to_have_text("Nguyễn Thị Ánh")
    screenshot(page, "portal-dossier-details-390x844")


def test_desktop_page_and_not_found(page, dossier, screenshot):
    page.goto(f"/tra-cuu/{dossier.code}/")
    screenshot(page, "portal-dossier-track-1280x800")
    page.locator(".dt-search input").first.fill("000.00.00.H13-000000-0000")
    page.locator(".dt-search button").first.click()
    expect(page.get_by_test_id("dossier-not-found")).to_be_visible()
    screenshot(page, "portal-dossier-not-found-1280x800")


def test_kiosk_details_go_home_after_a_minute_untouched(page, dossier):
    page.set_viewport_size(LANDSCAPE)
    page.clock.install()
    page.goto(f"/kiosk/cantho/tra-cuu-ho-so/{dossier.code}/xac-minh/")
    tap(page, APPLICANT_ID)
    page.get_by_test_id("dossier-verify-submit").click()
    expect(page.get_by_test_id("dossier-applicant")).to_have_text("Nguyễn Thị Ánh")
    page.clock.fast_forward("00:46")
    expect(page.locator("[data-idle-dialog]")).to_be_visible()
    page.clock.fast_forward("00:15")
    expect(page).to_have_url(re.compile("/kiosk/cantho/$"))
    expect(page.get_by_text("Nguyễn Thị Ánh")).to_have_count(0)
