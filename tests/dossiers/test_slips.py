"""The printed papers: every kind renders an A4 PDF from its payload, in Vietnamese, and prints again the same.

Pages are rasterised with PDFium so a test can tell a blank page from a printed one; the receipt
and the control sheet are kept under screenshots/ for a human to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from motcua.dossiers import payloads, slips
from motcua.dossiers.models import Dossier, DossierSlip

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
A4_POINTS = (595.28, 841.89)


def _document(data: bytes) -> pdfium.PdfDocument:
    assert data.startswith(b"%PDF-")
    return pdfium.PdfDocument(data)


def _page_texts(data: bytes) -> list[str]:
    """Each page's text with whitespace folded, so wrapped lines read as one sentence."""
    document = _document(data)
    return [" ".join(document[i].get_textpage().get_text_bounded().split()) for i in range(len(document))]


def _text(data: bytes) -> str:
    return " ".join(_page_texts(data))


def _png(data: bytes, name: str, page: int = 0):
    """Page `page` as a grey image (about 150 dpi), also saved as screenshots/<name>.png."""
    image = _document(data)[page].render(scale=150 / 72).to_pil().convert("L")
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / f"{name}.png")
    return image


def _ink(image, box=None) -> float:
    """The share of dark pixels in `image` (or in `box` of it)."""
    region = image.crop(box) if box else image
    histogram = region.histogram()
    return sum(histogram[:128]) / (region.width * region.height)


def _slip(dossier: Dossier, slip_kind: str, **extra) -> DossierSlip:
    payload = payloads.build_payload(dossier, slip_kind, actor=dossier.received_by, now=TUESDAY_8AM, extra=extra)
    return DossierSlip(dossier=dossier, kind=slip_kind, payload=payload, created_at=TUESDAY_8AM)


# --- the receipt -------------------------------------------------------------------------------


def test_receipt_is_one_a4_page_with_every_fact_in_vietnamese(accepted):
    data = slips.slip_pdf(accepted.slips.get())
    document = _document(data)
    assert len(document) == 1
    assert document[0].get_size() == pytest.approx(A4_POINTS, abs=0.5)
    text = _text(data)
    for expected in (
        "UBND THÀNH PHỐ CẦN THƠ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ CẦN THƠ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Cần Thơ, ngày 10 tháng 03 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: 000.00.00.H13-260310-0001",
        "Ông/Bà: Nguyễn Thị Ánh", "12 Hòa Bình, Ninh Kiều, Cần Thơ",
        "Thay đổi, bổ sung, cấp lại giấy chứng nhận đăng ký tổ chức khoa học và công nghệ (mã thủ tục 1.014390)",
        "Bản chính", "Bản sao chứng thực", "Tài liệu chứng minh nội dung thay đổi, bổ sung 01",
        "10 ngày làm việc", "Thời gian nhận hồ sơ: 08:00 ngày 10/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 08:00 ngày 24/03/2026", "Tại quầy",
        "Lệ phí 50.000 đ Đã thu Tiền mặt BL-0001", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Hoa",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Nguyễn Thị Ánh - số định danh 092190001234" in text  # on the paper (DOMAIN §2.2), never in the QR


def test_receipt_qr_holds_the_tracking_address_only(accepted, monkeypatch):
    drawn: list[str] = []
    real = slips.qr_image

    def spy(url: str, size: int):
        drawn.append(url)
        return real(url, size)

    monkeypatch.setattr(slips, "qr_image", spy)
    slips.slip_pdf(accepted.slips.get())
    assert drawn == ["http://127.0.0.1:8000/tra-cuu/000.00.00.H13-260310-0001/"]


def test_reprint_is_the_same_file_even_after_the_dossier_changed(accepted):
    slip = accepted.slips.get()
    first = slips.slip_pdf(slip)
    Dossier.objects.filter(pk=accepted.pk).update(applicant_name="Tên Đã Sửa")
    again = slips.slip_pdf(DossierSlip.objects.get(pk=slip.pk))
    assert again == first
    assert "Tên Đã Sửa" not in _text(again)


def test_receipt_page_is_printed_not_blank(accepted):
    image = _png(slips.slip_pdf(accepted.slips.get()), "dossier-receipt")
    assert 0.01 < _ink(image) < 0.25
    # The QR code sits at the top right, under the title: about half its modules are dark.
    px = image.width / 210  # pixels per millimetre
    assert _ink(image, (int(167 * px), int(48 * px), int(193 * px), int(70 * px))) > 0.3


def test_a_long_checklist_runs_onto_a_second_page_with_its_headings(accepted):
    slip = accepted.slips.get()
    documents = [{**slip.payload["documents"][0], "name": f"Giấy tờ số {i} kèm theo hồ sơ"} for i in range(1, 41)]
    data = slips.payload_pdf("receipt", {**slip.payload, "documents": documents})
    pages = _page_texts(data)
    assert len(pages) >= 2
    assert "Tên giấy tờ Bản chính" in pages[1]  # headings repeated on the new page
    text = " ".join(pages)
    assert all(f"Giấy tờ số {i} kèm theo hồ sơ" in text for i in range(1, 41))
    assert text.count("NGƯỜI TIẾP NHẬN HỒ SƠ") == 1
    assert "Trang 2/" in pages[1]


# --- the other papers ----------------------------------------------------------------------------


def test_supplement_guidance_lists_items_reason_and_helper(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_request_reception_supplement

    items: list[dict[str, Any]] = [
        {"document": "Bản sao Giấy chứng nhận đăng ký", "note": "Bản sao có chứng thực", "certified_copies": 1},
        {"document": "Tờ khai điều chỉnh", "note": "Ký, ghi rõ họ tên"},
    ]
    dossier = dossier_request_reception_supplement(
        officer=reception_officer, items=items, reason="Thiếu bản sao chứng thực", intake=make_intake(procedure),
        center=center, now=TUESDAY_8AM,
    )  # fmt: skip
    text = _text(slips.slip_pdf(dossier.slips.get()))
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Ông/Bà: Nguyễn Thị Ánh",
        "1 Bản sao Giấy chứng nhận đăng ký 01 Bản sao có chứng thực", "2 Tờ khai điều chỉnh Ký, ghi rõ họ tên",
        "Lý do: Thiếu bản sao chứng thực", "điện thoại 0292 3 800 800", "NGƯỜI HƯỚNG DẪN", "Trần Thị Hoa",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Mã hồ sơ:" not in text  # no code before acceptance


def test_refusal_gives_the_specific_reason(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_refuse

    dossier = dossier_refuse(officer=reception_officer, reason="Thủ tục thuộc thẩm quyền cấp xã, đề nghị nộp tại UBND phường",
                             intake=make_intake(procedure), center=center, now=TUESDAY_8AM)  # fmt: skip
    text = _text(slips.slip_pdf(dossier.slips.get()))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Thủ tục thuộc thẩm quyền cấp xã, đề nghị nộp tại UBND phường" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_apology_names_the_late_agency_and_both_appointments(accepted):
    # The extras the apology service writes (services/late.py).
    slip = _slip(accepted, DossierSlip.Kind.APOLOGY, reason="Chờ kết quả xác minh của cơ quan phối hợp",
                 previous_due_at="08:00 ngày 24/03/2026", new_due_at="16:00 ngày 31/03/2026",
                 agency="Sở Khoa học và Công nghệ thành phố Cần Thơ", number=1)  # fmt: skip
    text = _text(slips.slip_pdf(slip))
    for expected in (
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ THÀNH PHỐ CẦN THƠ", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Ông/Bà Nguyễn Thị Ánh", "08:00 ngày 24/03/2026", "Chờ kết quả xác minh của cơ quan phối hợp",
        "xin lỗi Ông/Bà", "Thời gian trả kết quả mới: 16:00 ngày 31/03/2026", "THỦ TRƯỞNG CƠ QUAN",
    ):  # fmt: skip
        assert expected in text, expected


def test_apology_title_follows_the_form_set(accepted):
    title = "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    slip = _slip(accepted, DossierSlip.Kind.APOLOGY, reason="Chậm", new_due_at="16:00 ngày 31/03/2026", title=title)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in _text(slips.slip_pdf(slip))


@pytest.mark.parametrize(
    ("kind", "label"), [("withdrawn", "Công dân yêu cầu rút hồ sơ"), ("stopped", "Dừng xử lý")]
)  # fmt: skip
def test_stop_notice_says_why_and_how(accepted, kind, label):
    slip = _slip(accepted, DossierSlip.Kind.STOP, reason="Công dân đề nghị rút để bổ sung sau", kind=kind)
    text = _text(slips.slip_pdf(slip))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert f"Hình thức: {label}" in text
    assert "Lý do: Công dân đề nghị rút để bổ sung sau" in text


def test_withdrawal_prints_the_notice_the_service_issued(accepted, reception_officer):
    from motcua.dossiers.services import dossier_withdraw

    dossier = dossier_withdraw(officer=reception_officer, dossier=accepted, reason="Công dân xin rút để nộp lại sau",
                               expected_version=accepted.version, now=local(2026, 3, 11, 9, 0))  # fmt: skip
    text = _text(slips.slip_pdf(dossier.slips.get(kind=DossierSlip.Kind.STOP)))
    assert "Hình thức: Công dân yêu cầu rút hồ sơ" in text
    assert "thông báo dừng giải quyết hồ sơ nêu trên kể từ 09:00 ngày 11/03/2026" in text
    assert "Lý do: Công dân xin rút để nộp lại sau" in text


@pytest.mark.parametrize("kind", [k.value for k in DossierSlip.Kind])
def test_every_kind_renders_a_pdf_with_its_title(accepted, kind):
    extra = {"reason": "Lý do thử", "new_due_at": "16:00 ngày 31/03/2026", "items": [{"document": "Tờ khai"}]}
    data = slips.slip_pdf(DossierSlip(kind=kind, payload={**accepted.slips.get().payload, **extra}))
    assert len(_document(data)) >= 1
    with_label = str(DossierSlip.Kind(kind).label).upper()
    assert with_label in _text(data)
    assert _ink(_png(data, f"dossier-slip-{kind}")) > 0.01


# --- the control sheet -------------------------------------------------------------------------


def test_control_sheet_shows_the_steps_as_they_stand(accepted, reception_officer):
    from motcua.dossiers.models import DossierStep

    DossierStep.objects.filter(dossier=accepted, ordering=1).update(
        started_at=TUESDAY_8AM, due_at=local(2026, 3, 10, 17, 0), handed_over_at=local(2026, 3, 10, 10, 15),
        handed_by=reception_officer, outcome=DossierStep.Outcome.EARLY,
    )  # fmt: skip
    data = slips.control_sheet_pdf(accepted, actor=reception_officer, now=local(2026, 3, 10, 10, 30))
    text = _text(data)
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: 000.00.00.H13-260310-0001",
        "Người nộp: Nguyễn Thị Ánh", "Cơ quan chủ trì giải quyết: Sở Khoa học và Công nghệ thành phố Cần Thơ",
        "Thời gian hẹn trả kết quả: 08:00 ngày 24/03/2026", "Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Trả kết quả",
        "10:15 10/03/2026", "Giao: Trần Thị Hoa", "Trước hạn", "Phiếu in lúc 10:30 ngày 10/03/2026",
    ):  # fmt: skip
        assert expected in text, text
    assert not accepted.slips.filter(kind=DossierSlip.Kind.CONTROL_SHEET).exists()  # built live, not stored
    image = _png(data, "dossier-control-sheet")
    assert 0.01 < _ink(image) < 0.25


def test_control_sheet_with_many_steps_breaks_cleanly(accepted):
    payload = payloads.build_payload(accepted, DossierSlip.Kind.CONTROL_SHEET, actor=None, now=TUESDAY_8AM)
    step = payload["steps"][1]
    payload["steps"] = [{**step, "ordering": i, "name": f"Bước liên thông số {i}"} for i in range(1, 41)]
    pages = _page_texts(slips.payload_pdf(DossierSlip.Kind.CONTROL_SHEET, payload))
    assert len(pages) >= 3
    assert all("Bước xử lý, cơ quan" in page for page in pages if "Bước liên thông" in page)
    text = " ".join(pages)
    assert all(f"Bước liên thông số {i} " in text for i in range(1, 41))
    assert f"Trang {len(pages)}/{len(pages)}" in pages[-1]
