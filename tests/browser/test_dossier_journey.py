"""A dossier's whole life in one Chromium run (issue 4, "Done when"):

the citizen's number is called → the dossier is accepted at the counter with its receipt → the
one-stop forwards it → Sở KH&CN examines it and hands it to Sở Tư pháp (inter-agency) → Sở Tư
pháp asks for a supplement and the clock stops → reception receives it the next day and the due
time moves → the dossier runs late and the deadline job flags it → Sở KH&CN's leader apologises
with a new appointment → approves the result and marks it ready → reception returns it → the
public tracking page shows the timeline, with no personal data.

Time moves with time-machine (the live server runs in this process, so it sees the same clock).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from motcua.dossiers.models import Dossier
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_issue
from tests.browser.test_dossier_intake import fill_applicant, open_procedure, sit_and_call
from tests.browser.test_dossier_work import PDF, do, message, open_as, status
from tests.conftest import SCREENSHOTS
from tests.dossiers.conftest import local
from tests.dossiers.test_processing import make_procedure
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Sở KH&CN examines, Sở Tư pháp gives its legal opinion, Sở KH&CN signs: 4 working days in all.
STEPS = [
    {"name": "Thẩm định hồ sơ", "agency": "so-khcn", "time_value": "1", "time_unit": "working_days"},
    {"name": "Thẩm định pháp lý", "agency": "so-tu-phap", "time_value": "2", "time_unit": "working_days"},
    {"name": "Ký Giấy chứng nhận", "agency": "so-khcn", "time_value": "1", "time_unit": "working_days"},
]


@pytest.fixture
def floor(center, demo_catalog):
    """Tuesday 10/03/2026 08:00: one citizen waiting in queue B, counter 1 free, the procedure on offer."""
    with time_machine.travel(TUESDAY_8AM, tick=True) as traveller:
        make_procedure("9.000001", time_value=4, steps=STEPS)
        queue = make_queue(center, "b", name="Khoa học và Công nghệ")
        counter = make_counter(center, 1, [queue])
        ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=timezone.now())
        yield counter, traveller


def _pdf_page_png(data: bytes, name: str) -> float:
    """Render page 1 of a PDF, keep it under screenshots/ for a human, return its share of ink."""
    image = pdfium.PdfDocument(io.BytesIO(data))[0].render(scale=150 / 72).to_pil().convert("L")
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / f"{name}.png")
    return sum(image.histogram()[:128]) / (image.width * image.height)


def test_a_dossier_from_the_counter_to_the_public_timeline(chromium, live_server, page, floor, screenshot):
    counter, traveller = floor
    # 1. At the counter: call the number, accept the dossier, get the receipt.
    sit_and_call(page, counter)
    open_procedure(page, "thu tuc thu nghiem 9.000001", "9.000001")
    fill_applicant(page)
    page.get_by_test_id("outcome-accept").click()
    expect(page.get_by_test_id("intake-outcome")).to_contain_text("Đã tiếp nhận hồ sơ")
    dossier = Dossier.objects.get()
    expect(page.get_by_test_id("dossier-code")).to_have_text(dossier.code)
    assert dossier.ticket.code == "B001" and dossier.counter == counter
    receipt = page.request.get(page.get_by_test_id("slip-link").get_attribute("href"))
    assert receipt.headers["content-type"] == "application/pdf"
    assert _pdf_page_png(receipt.body(), "journey-receipt") > 0.01
    original_due = dossier.due_at

    # 2. The one-stop forwards it; Sở KH&CN takes it and hands it to Sở Tư pháp.
    page.goto(f"/console/ho-so/{dossier.pk}/")
    do(page, "chuyen-xu-ly")
    expect(status(page)).to_have_text("Đang xử lý")
    khcn = open_as(chromium, live_server, "chuyenvien.khcn")
    khcn.get_by_test_id("tab-unassigned").click()
    khcn.get_by_role("link", name=dossier.code).click()
    do(khcn, "nhan-xu-ly")
    do(khcn, "chuyen-buoc", {"Ghi chú": "Đủ điều kiện, xin ý kiến Sở Tư pháp"})
    expect(message(khcn)).to_contain_text("Đã chuyển hồ sơ sang bước tiếp theo")

    # 3. Sở Tư pháp asks for a supplement: the clock stops.
    tuphap = open_as(chromium, live_server, "chuyenvien.tuphap", f"/console/ho-so/{dossier.pk}/")
    do(tuphap, "yeu-cau-bo-sung", {"Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)": "Điều lệ tổ chức (bản 2026)",
                                   "Lý do": "Điều lệ nộp kèm đã hết hiệu lực"})  # fmt: skip
    expect(status(tuphap)).to_have_text("Yêu cầu bổ sung giấy tờ")

    # 4. Wednesday 09:00: the citizen brings it to reception; the due time moves by the pause.
    traveller.move_to(local(2026, 3, 11, 9, 0))
    page.reload()
    do(page, "nhan-bo-sung", {"Ghi chú": "Công dân nộp bổ sung tại quầy 1"})
    expect(message(page)).to_contain_text("Đã nhận hồ sơ bổ sung")
    dossier.refresh_from_db()
    assert dossier.due_at > original_due and dossier.original_due_at == dossier.due_at
    tuphap.reload()
    do(tuphap, "chuyen-buoc", {"Ghi chú": "Ý kiến pháp lý: đồng ý"})
    expect(message(tuphap)).to_contain_text("Đã chuyển hồ sơ sang bước tiếp theo")

    # 5. Nobody signs in time: the deadline job flags it overdue on Wednesday 18/03.
    traveller.move_to(local(2026, 3, 18, 10, 0))
    from motcua.dossiers.deadlines import dossier_flag_deadlines

    assert dossier_flag_deadlines(now=timezone.now()).overdue == 1
    leader = open_as(chromium, live_server, "lanhdao.khcn", "/console/ho-so/xu-ly/?ds=overdue")
    expect(leader.get_by_test_id("work-list")).to_contain_text(dossier.code)
    leader.get_by_role("link", name=dossier.code).click()

    # 6. The leader apologises with a new appointment, approves the result and marks it ready.
    do(leader, "xin-loi", {"Hẹn trả mới (dd/mm/yyyy HH:MM)": "20/03/2026 16:00",
                           "Lý do chậm": "Phải lấy thêm ý kiến pháp lý"})  # fmt: skip
    expect(message(leader)).to_contain_text("xin lỗi")
    upload = {"name": "giay-chung-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    do(leader, "phe-duyet", {"Loại kết quả": "Bản giấy và bản điện tử", "Số, ký hiệu văn bản": "31/GCN-SKHCN"},
       files={"Tệp kết quả (PDF)": upload})  # fmt: skip
    do(leader, "co-ket-qua")
    expect(status(leader)).to_have_text("Đã xử lý xong")
    sheet = leader.request.get(f"/console/ho-so/{dossier.pk}/phieu-kiem-soat.pdf")
    assert sheet.headers["content-type"] == "application/pdf"
    assert _pdf_page_png(sheet.body(), "journey-control-sheet") > 0.01

    # 7. Thursday: reception hands the result over at the counter.
    traveller.move_to(local(2026, 3, 19, 14, 0))
    page.reload()
    do(page, "tra-tai-quay", {"Người nhận kết quả": "Nguyễn Thị Ánh", "Số định danh người nhận": "092190001234"})
    expect(status(page)).to_have_text("Đã trả kết quả")
    screenshot(page, "journey-dossier-returned", full_page=True)

    # 8. Anyone with the code sees the whole story, and nothing personal.
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.RETURNED and dossier.is_late is True  # the apology hides nothing
    assert dossier.original_due_at < dossier.due_at
    public = chromium.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", base_url=live_server.url)
    phone = public.new_page()
    phone.goto(f"/tra-cuu/{dossier.code}/")
    timeline = phone.get_by_test_id("dossier-timeline")
    for label in ("Đã tiếp nhận hồ sơ", "Đã chuyển hồ sơ đến cơ quan giải quyết", "Yêu cầu bổ sung giấy tờ",
                  "Đã nhận giấy tờ bổ sung", "Xin lỗi và hẹn lại ngày trả kết quả", "Đã có kết quả giải quyết",
                  "Đã trả kết quả"):  # fmt: skip
        expect(timeline).to_contain_text(label)
    expect(timeline).to_contain_text("Sở Tư pháp")
    html = phone.content()
    for personal in ("Nguyễn Thị Ánh", "092190001234", "0912345678", "anh@example.com"):
        assert personal not in html
    screenshot(phone, "journey-public-timeline-390x844", full_page=True)
    events = list(dossier.events.values_list("action", flat=True))
    assert events.count("dossier.handed_over") == 2 and "dossier.flagged_overdue" in events
    assert dossier.steps.get(ordering=2).agency.code == "so-tu-phap"
    assert dossier.handover.collected_by_name == "Nguyễn Thị Ánh"
    assert timezone.now() - dossier.returned_at < timedelta(hours=1)
