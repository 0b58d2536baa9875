"""Online submission in a real browser, on a phone: choose the center, check the applicant, one
page per document (a program renamed .pdf refused with a clear message), check, submit, follow
the dossier; and the desktop views of the lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.online.conftest import make_citizen, pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files(tmp_path):
    paths = {"fake": tmp_path / "don-de-nghi.pdf", "pdf": tmp_path / "Đơn đề nghị.pdf", "png": tmp_path / "tai-lieu.jpg"}
    paths["fake"].write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500)  # a Windows program, renamed
    paths["pdf"].write_bytes(pdf_bytes())
    paths["png"].write_bytes(png_bytes())  # a PNG that calls itself .jpg
    return paths


def _logged_in(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_submit_a_dossier_on_a_phone(page, live_server, demo_catalog, files, screenshot):
    from motcua.dossiers.models import Dossier

    citizen = make_citizen("binh", "092090001234")
    _logged_in(page, live_server, citizen)
    page.set_viewport_size(PHONE)
    page.goto("/nop-ho-so/1.014390/")
    page.get_by_label("Trung tâm Phục vụ hành chính công thành phố Cần Thơ").check()
    screenshot(page, "online-start-phone")
    page.get_by_role("button", name="Bắt đầu").click()

    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("092090001234")
    page.get_by_label("Nhận bản điện tử trên cổng này").check()
    screenshot(page, "online-applicant-phone")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_test_id("step")).to_have_text("Bước 2/5")
    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(files["fake"])
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    error = page.get_by_test_id("error")
    expect(error).to_contain_text("Tệp này không phải PDF, JPEG hoặc PNG")
    expect(error).to_be_focused()
    screenshot(page, "online-wrong-type-phone")
    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(files["pdf"])
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    expect(page.get_by_test_id("step")).to_have_text("Bước 3/5")
    page.get_by_label("Tôi không thuộc trường hợp này").check()
    screenshot(page, "online-document-phone")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(files["png"])
    expect(page.get_by_label("Tải tệp lên")).to_be_checked()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    documents = page.get_by_test_id("review-documents")
    expect(documents).to_contain_text("Đơn đề nghị.pdf")
    expect(documents).to_contain_text("tai-lieu.jpg")
    expect(documents).to_contain_text("PNG")
    screenshot(page, "online-review-phone")
    page.get_by_role("button", name="Gửi hồ sơ").click()

    expect(page.get_by_test_id("submitted")).to_contain_text("Hồ sơ của bạn đã được gửi")
    dossier = Dossier.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(str(dossier.pk))
    screenshot(page, "online-submitted-phone")
    assert (dossier.status, dossier.channel) == (1, "online")
    assert dossier.documents.exclude(scan="").count() == 2

    page.get_by_test_id("track-link").click()
    expect(page.get_by_test_id("dossier-status-label")).to_have_text("Mới đăng ký")
    expect(page.get_by_test_id("waiting")).to_contain_text("tiếp nhận hoặc từ chối")
    screenshot(page, "online-my-dossier-phone")


def test_lists_and_a_document_page_on_a_desktop(page, live_server, demo_catalog, screenshot):
    from motcua.catalog.models import Procedure
    from motcua.core.models import Center
    from motcua.online import services
    from tests.online.conftest import NOW, stream

    citizen = make_citizen("binh", "092090001234")
    workhorse = Procedure.objects.get(code="1.014390")
    center = Center.objects.get(code="cantho")
    first = services.draft_start(citizen=citizen, procedure=workhorse, center=center, now=NOW)
    services.draft_upload(draft=first, index=0, stream=stream(pdf_bytes()), original_name="Đơn đề nghị.pdf", now=NOW)
    second = services.draft_start(citizen=citizen, procedure=Procedure.objects.get(code="1.004873"),
                                  center=Center.objects.get(code="ninhkieu"), now=NOW)  # fmt: skip
    _logged_in(page, live_server, citizen)

    page.goto("/nop-ho-so/")
    expect(page.get_by_test_id("drafts").get_by_role("listitem")).to_have_count(2)
    screenshot(page, "online-drafts-desktop")
    page.goto(f"/nop-ho-so/ban-nhap/{second.pk}/giay-to/2/")
    expect(page.get_by_label("Không cần nộp — có trong CSDL quốc gia")).to_be_checked()
    expect(page.get_by_text("Đơn đề nghị.pdf")).to_be_visible()  # offered for reuse
    screenshot(page, "online-document-desktop")
    page.goto("/tai-khoan/ho-so/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    screenshot(page, "online-my-dossiers-desktop")
