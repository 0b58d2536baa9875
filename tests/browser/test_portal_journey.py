"""Issue 5's portal journey in one Chromium run: a citizen registers on the phone, submits a
dossier online with an attachment (a wrong file type first, refused with a clear message), the
reception officer accepts it on the center's desk, the agency works it to an electronic result
(through the services, as tested in the dossier journey), and the citizen sees the status and
downloads the result from "Hồ sơ của tôi"."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from tests.browser.test_dossier_work import open_as
from tests.dossiers.conftest import local
from tests.online.conftest import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "Song-Hau-2026!"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def _register(page):
    page.goto("/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Số định danh cá nhân").fill("092185001234")
    page.get_by_label("Ngày sinh").fill("05/09/1985")
    page.get_by_label("Số điện thoại").fill("0901 234 567")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đã đọc và đồng ý").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")


def _submit_online(page, tmp_path):
    fake, form, extra = tmp_path / "don.pdf", tmp_path / "Đơn đề nghị.pdf", tmp_path / "tai-lieu.png"
    fake.write_text("đây không phải PDF")
    form.write_bytes(pdf_bytes())
    extra.write_bytes(png_bytes())
    page.goto("/thu-tuc/1.014390/")
    page.get_by_test_id("submit-online").click()
    page.get_by_label("Trung tâm Phục vụ hành chính công thành phố Cần Thơ").check()
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_label("Nhận bản điện tử trên cổng này").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    picker = page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ")
    picker.set_input_files(fake)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("error")).to_contain_text("Tệp này không phải PDF, JPEG hoặc PNG")
    picker.set_input_files(form)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_label("Tôi không thuộc trường hợp này").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    picker.set_input_files(extra)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_test_id("submitted")).to_contain_text("Hồ sơ của bạn đã được gửi")


def _work_to_an_electronic_result(dossier):
    """Sở KH&CN examines and signs; the leader approves a PDF result and marks it ready."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.accounts.models import User
    from motcua.dossiers import services as s

    officer, leader = User.objects.get(username="chuyenvien.khcn"), User.objects.get(username="lanhdao.khcn")
    while dossier.steps.filter(started_at__isnull=True).exists():
        s.dossier_hand_over(officer=officer, dossier=dossier, expected_version=dossier.version)
        dossier.refresh_from_db()
    pdf = SimpleUploadedFile("giay-chung-nhan.pdf", pdf_bytes(), content_type="application/pdf")
    s.dossier_approve_result(officer=leader, dossier=dossier, kind="electronic", document_number="7/GCN",
                             file=pdf, expected_version=dossier.version)  # fmt: skip
    dossier.refresh_from_db()
    s.dossier_mark_result_ready(officer=leader, dossier=dossier, expected_version=dossier.version)


def test_register_submit_accept_follow_and_download(page, chromium, live_server, demo_catalog, tmp_path, screenshot):
    page.set_viewport_size(PHONE)
    with time_machine.travel(local(2026, 3, 10, 8, 0), tick=True):
        _register(page)
        _submit_online(page, tmp_path)
        dossier = Dossier.objects.get()
        assert (dossier.status, dossier.channel, dossier.code) == (Dossier.Status.SUBMITTED, "online", None)

        desk = open_as(chromium, live_server, "tiepnhan", "/console/ho-so/trung-tam/")
        desk.get_by_test_id("tab-online_waiting").click()
        desk.get_by_test_id(f"desk-row-{dossier.pk}").get_by_role("button", name="Tiếp nhận").click()
        expect(desk.get_by_test_id("dossier-code")).not_to_be_empty()
        dossier.refresh_from_db()
        assert dossier.status == Dossier.Status.PROCESSING and dossier.code  # online: sent on at once

        _work_to_an_electronic_result(dossier)
        page.goto("/tai-khoan/ho-so/")
        page.get_by_role("link", name="Thay đổi, bổ sung, cấp lại giấy chứng nhận").first.click()
        expect(page.get_by_test_id("dossier-status-label")).to_have_text("Đã xử lý xong")
        screenshot(page, "portal-journey-result-390x844")
        with page.expect_download() as download:
            page.get_by_test_id("result-download").click()
        assert download.value.path().read_bytes().startswith(b"%PDF")
