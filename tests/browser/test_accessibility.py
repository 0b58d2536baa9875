"""WCAG 2.2 AA on the citizen's screens, checked by axe-core in Chromium (issue 5).

The portal on a desktop (1366×768) and a phone (390×844): home, search, a procedure, dossier
lookup and tracking, registration (also with its errors on screen), login, password reset, the
account, "Hồ sơ của tôi", online submission (start, applicant, a document page with a wrong file
type refused, review), today's number from the phone and its ticket page. The kiosk at 1920×1080:
home and the face check's consent, card and outcome screens. Every page is checked as the citizen
sees it; all violations of a run are reported together, page by page.

Also the keyboard alone through a document page and the review page of online submission.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.axe import audit, describe
from tests.dossiers.conftest import make_intake
from tests.online.conftest import make_citizen, pdf_bytes
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1920, "height": 1080}
WORKHORSE = "1.014390"
CANTHO = "Trung tâm Phục vụ hành chính công thành phố Cần Thơ"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


class Audit:
    """Checks each page it is shown and keeps the violations; `done()` fails with all of them."""

    def __init__(self, page, size: str, screenshot) -> None:
        self.page, self.size, self.screenshot = page, size, screenshot
        self.found: list[str] = []

    def check(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.screenshot(self.page, f"a11y-{name}-{self.size}", full_page=False)
        violations = audit(self.page)
        if violations:
            self.found.append(describe(violations, where=f"{name} ({self.size}) {self.page.url}"))

    def done(self) -> None:
        if self.found:
            pytest.fail("\n\n".join(self.found), pytrace=False)


def _context(chromium, live_server, viewport):
    context = chromium.new_context(viewport=viewport, locale="vi-VN", base_url=live_server.url)
    return context, context.new_page()


def _log_in(page, live_server, user) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _tracked_dossier(center, officer):
    """A dossier accepted at the counter yesterday: it has a code and a public tracking page."""
    from django.utils import timezone

    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import dossier_accept

    procedure = Procedure.objects.get(code=WORKHORSE)
    when = timezone.now() - timedelta(days=1)
    return dossier_accept(officer=officer, intake=make_intake(procedure), center=center, now=when)


def _queues(center) -> None:
    for number, (code, name) in enumerate(
        (("a", "Tư pháp – Chứng thực, hộ tịch"), ("b", "Công an – Cư trú, căn cước")), 1
    ):
        make_counter(center, number, [make_queue(center, code, name=name)])


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_portal_meets_wcag_22_aa(size, chromium, live_server, demo_catalog, center, reception_officer,
                                     tmp_path, screenshot):  # fmt: skip
    viewport = DESKTOP if size == "desktop" else PHONE
    dossier = _tracked_dossier(center, reception_officer)
    _queues(center)
    citizen = make_citizen("binh", "092090001234")
    wrong, form = tmp_path / "don-de-nghi.pdf", tmp_path / "Đơn đề nghị.pdf"
    wrong.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500)  # a program renamed .pdf
    form.write_bytes(pdf_bytes())
    context, page = _context(chromium, live_server, viewport)
    a11y = Audit(page, f"{viewport['width']}x{viewport['height']}", screenshot)
    check = a11y.check

    # Anyone: the catalogue, tracking a dossier, the account pages before signing in.
    page.goto("/")
    check("home")
    page.goto("/thu-tuc/?q=khai+sinh")
    check("search")
    page.goto(f"/thu-tuc/{WORKHORSE}/")
    check("procedure")
    page.goto("/tra-cuu/")
    check("lookup")
    page.goto(f"/tra-cuu/{dossier.code}/")
    check("track")
    page.goto("/tai-khoan/dang-ky/")
    check("register")
    page.get_by_label("Họ và tên").fill("Trần Thị Mai")
    page.get_by_label("Số định danh cá nhân").fill("092285001234")
    page.get_by_label("Ngày sinh").fill("05/09/1985")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    check("register-errors")
    page.goto("/tai-khoan/dang-nhap/")
    check("login")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0901234567")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    check("login-error")
    page.goto("/tai-khoan/quen-mat-khau/")
    check("password-reset")

    # A signed-in citizen: the account, online submission, "Hồ sơ của tôi".
    _log_in(page, live_server, citizen)
    page.goto("/tai-khoan/")
    check("account")
    page.goto(f"/nop-ho-so/{WORKHORSE}/")
    check("online-start")
    page.get_by_label(CANTHO).check()
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("092090001234")
    check("online-applicant")
    page.get_by_label("Nhận bản điện tử trên cổng này").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("step")).to_have_text("Bước 2/5")
    check("online-document")
    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(wrong)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("error")).to_be_focused()
    check("online-document-error")
    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(form)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_label("Tôi không thuộc trường hợp này").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("step")).to_have_text("Bước 4/5")
    page.get_by_label("Chọn tệp từ máy hoặc chụp ảnh giấy tờ").set_input_files(form)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_test_id("review-documents")).to_be_visible()
    check("online-review")
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.get_by_test_id("submitted")).to_be_visible()
    check("online-submitted")
    page.goto("/tai-khoan/ho-so/")
    check("my-dossiers")
    page.get_by_role("link", name=re.compile("^Thay đổi, bổ sung, cấp lại")).first.click()
    expect(page.get_by_test_id("dossier-status-label")).to_be_visible()
    check("my-dossier")

    # Today's number from the phone, then the ticket's page.
    with time_machine.travel(TUESDAY_8AM, tick=True):
        page.goto("/lay-so-truc-tuyen/")
        check("queue-online")
        page.get_by_role("link", name=re.compile(CANTHO)).click()
        page.get_by_test_id("queue-b").click()
        check("queue-online-center")
        page.get_by_role("button", name="Lấy số").click()
        expect(page).to_have_url(re.compile(r"/so/[\w-]+/$"))
        check("ticket")
    context.close()
    a11y.done()


def _session_of(page):
    from django.contrib.sessions.backends.db import SessionStore

    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=cookie["value"])


def test_the_kiosk_meets_wcag_22_aa(chromium, live_server, center, screenshot):
    from django.utils import timezone

    from motcua.kiosk.identity_views import FLOW, VERIFIED
    from motcua.queueing.models import PriorityClass

    _queues(center)
    PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1)
    context, page = _context(chromium, live_server, KIOSK)
    audit_ = Audit(page, "1920x1080", screenshot)
    with time_machine.travel(TUESDAY_8AM, tick=True):
        page.goto("/kiosk/cantho/")
        audit_.check("kiosk-home")
        page.goto("/kiosk/cantho/lay-so/")
        audit_.check("kiosk-queue-start")
        page.locator('.q-tile[data-queue="b"]').click()
        audit_.check("kiosk-queue-priority")
        page.locator(".q-choice--none").click()
        expect(page.get_by_test_id("take-number")).to_be_visible()
        audit_.check("kiosk-queue-confirm")
        page.get_by_test_id("take-number").click()
        expect(page.get_by_test_id("slip-code")).to_be_visible()
        audit_.check("kiosk-queue-slip")
        page.goto("/kiosk/cantho/lay-so/")
        page.get_by_test_id("face-offer").click()
        expect(page.get_by_test_id("face-consent")).to_be_visible()
        audit_.check("kiosk-face-consent")
        page.get_by_test_id("consent-agree").click()
        expect(page.get_by_test_id("face-card")).to_be_visible()
        audit_.check("kiosk-face-card")

        for result in ("no_match", "match"):
            session = _session_of(page)
            flow = dict(session[FLOW])
            flow.update(result=result, message="")
            session[FLOW] = flow
            if result == "match":
                session[VERIFIED] = {
                    "national_id": "092090001234", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-12",
                    "address": "12 Hòa Bình, Ninh Kiều, Cần Thơ", "face_check_id": 1,
                    "verified_at": timezone.now().isoformat(),
                }  # fmt: skip
            session.save()
            page.goto("/kiosk/cantho/xac-thuc/ket-qua/")
            expect(page.get_by_test_id("face-outcome")).to_be_visible()
            audit_.check(f"kiosk-face-outcome-{result}")
    context.close()
    audit_.done()


FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const shown = (node) => {
        if (!node) return false;
        const s = getComputedStyle(node);
        return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
    };
    const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
    return {
        tag: el.tagName, type: el.type || "", text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
        shown: shown(el) || shown(label), inView: (() => { const r = el.getBoundingClientRect();
            return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; })(),
    };
}"""


def _tab_to(page, wanted, *, limit: int = 40) -> dict:
    """Tab until `wanted(focused)` is true; every stop on the way must show its focus and be in view."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_SHOWN)
        assert focused is not None, "Tab left the page"
        assert focused["shown"], f"no visible focus on {focused}"
        assert focused["inView"], f"the focused element is scrolled out of view: {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached in {limit} Tab presses")


def test_a_document_page_and_the_review_with_the_keyboard_alone(page, live_server, demo_catalog, center, tmp_path,
                                                                screenshot):  # fmt: skip
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier
    from motcua.online import services
    from tests.online.conftest import stream

    citizen = make_citizen("binh", "092090001234")
    draft = services.draft_start(citizen=citizen, procedure=Procedure.objects.get(code=WORKHORSE), center=center)
    services.draft_save_applicant(draft=draft, return_method="online", applicant={
        "name": "Trần Văn Bình", "national_id": "092090001234", "phone": "0912345678", "email": "binh@example.vn",
        "address": "12 Trần Hưng Đạo, Ninh Kiều, Cần Thơ",
    })  # fmt: skip
    services.draft_upload(draft=draft, index=0, stream=stream(pdf_bytes()), original_name="Đơn đề nghị.pdf")
    services.draft_answer(draft=draft, index=1, answer="not_applicable")
    scan = tmp_path / "giay-to.pdf"
    scan.write_bytes(pdf_bytes())
    _log_in(page, live_server, citizen)
    page.set_viewport_size(PHONE)
    page.goto(f"/nop-ho-so/ban-nhap/{draft.pk}/giay-to/3/")
    expect(page.get_by_test_id("step")).to_have_text("Bước 4/5")

    # The way of handing in the paper: Tab into the group, the arrow keys choose, Space confirms.
    _tab_to(page, lambda f: f["type"] == "radio")
    upload = page.locator('input[type="radio"][value="upload"]')
    for _ in range(4):
        if upload.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(upload).to_be_checked()
    page.keyboard.press("Space")
    screenshot(page, "a11y-keyboard-radio-390x844", full_page=False)
    # The file picker opens from the keyboard too (the system dialog answers for the citizen).
    _tab_to(page, lambda f: f["type"] == "file")
    screenshot(page, "a11y-keyboard-file-390x844", full_page=False)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(scan)
    _tab_to(page, lambda f: f["text"].startswith("Lưu và tiếp tục"))
    screenshot(page, "a11y-keyboard-save-390x844", full_page=False)
    page.keyboard.press("Enter")

    documents = page.get_by_test_id("review-documents")
    expect(documents).to_contain_text("giay-to.pdf")
    # Every "Sửa" link and then the send button, in order, each with its focus shown.
    _tab_to(page, lambda f: f["text"].startswith("Gửi hồ sơ"), limit=60)
    screenshot(page, "a11y-keyboard-send-390x844", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("submitted")).to_contain_text("Hồ sơ của bạn đã được gửi")
    assert Dossier.objects.get().documents.exclude(scan="").count() == 2
