"""The slip in three outputs: PNG for screens, PDF, and ESC/POS bytes for thermal printers."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from motcua.queueing.eta import Estimate
from motcua.queueing.services import ticket_issue
from motcua.queueing.slip import SlipData, slip_data, slip_escpos, slip_pdf, slip_png, wait_text

from .conftest import TUESDAY_8AM

DATA = SlipData(
    province="UBND THÀNH PHỐ CẦN THƠ",
    center_name="Trung tâm Phục vụ hành chính công thành phố Cần Thơ",
    queue_name="Sở Tư pháp",
    code="B023",
    priority_name="Người cao tuổi",
    issued_at="08:00 10/03/2026",
    people_ahead=3,
    wait_text="khoảng 24 phút",
    qr_url="http://127.0.0.1:8000/so/abcdefghijklmnopqrstuv/",
)


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("L")


def inked_bands(picture: Image.Image) -> list[tuple[int, int]]:
    """Runs of consecutive rows that contain ink, as (first row, height)."""
    bands, start = [], None
    for y in range(picture.height):
        inked = picture.crop((0, y, picture.width, y + 1)).getextrema()[0] < 128
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y - start))
            start = None
    return bands


@pytest.mark.django_db
def test_slip_data_from_a_ticket(queue, counter, elderly, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PUBLIC_URL": "https://motcua.cantho.gov.vn/"}
    ticket = ticket_issue(queue=queue, channel="kiosk", priority=elderly, now=TUESDAY_8AM)
    data = slip_data(ticket, Estimate(people_ahead=2, minutes=16, basis="default"))
    assert data.code == "B001" and data.queue_name == queue.name and data.priority_name == "Người cao tuổi"
    assert data.center_name == "Trung tâm Phục vụ hành chính công thành phố Cần Thơ"
    assert data.province == "UBND THÀNH PHỐ CẦN THƠ"
    assert data.issued_at == "08:00 10/03/2026"
    assert data.qr_url == f"https://motcua.cantho.gov.vn/so/{ticket.token}/"
    assert data.lines == [
        ("Thời gian lấy số", "08:00 10/03/2026"), ("Số người đang chờ trước", "2"),
        ("Thời gian chờ dự kiến", "khoảng 16 phút"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("minutes", "text"), [(None, "chưa có quầy mở"), (0, "được gọi ngay"), (1, "khoảng 1 phút"), (45, "khoảng 45 phút")]
)
def test_wait_in_words(minutes, text):
    assert wait_text(Estimate(people_ahead=1, minutes=minutes, basis="default")) == text


@pytest.mark.parametrize("width", [576, 384])
def test_png_is_as_wide_as_the_printer_head(width):
    picture = image(slip_png(DATA, width_px=width))
    assert picture.width == width
    assert 1.2 * width < picture.height < 2.5 * width
    assert picture.getpixel((0, 0)) == 255 and picture.getpixel((width - 1, picture.height - 1)) == 255


def test_png_prints_the_number_large_and_dark():
    picture = image(slip_png(DATA))
    bands = inked_bands(picture)
    # The code is one band of capitals ~107 px tall (150 px Roboto Bold); text lines are < 40 px.
    [number] = [band for band in bands if 90 <= band[1] <= 125]
    top, height = number
    ink = picture.crop((0, top, picture.width, top + height))
    dark = sum(ink.histogram()[:128])
    assert dark > 0.2 * ink.width * ink.height
    # Every text line is black on white, with the dark pixels centered like the slip's layout.
    left, _top, right, _bottom = ink.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert abs((left + right) / 2 - picture.width / 2) < 10


def test_png_draws_vietnamese_marks_not_boxes():
    """Ư, Ố, ẩ… come from Roboto itself: a line with marks has ink above the capitals' height."""
    plain = SlipData(**{**DATA.__dict__, "queue_name": "SO TU PHAP"})
    marked = SlipData(**{**DATA.__dict__, "queue_name": "SỞ TƯ PHÁP"})
    assert slip_png(plain) != slip_png(marked)


def test_pdf_is_one_80mm_page_with_the_font_and_qr_embedded():
    pdf = slip_pdf(DATA)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1 and b"/Count 1" in pdf
    [box] = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert float(box[0]) == pytest.approx(80 / 25.4 * 72, abs=0.1)  # 80 mm in points
    assert 100 < float(box[1]) / 72 * 25.4 < 200  # as long as the slip, not an A4 sheet
    assert b"/FontFile2" in pdf and b"Roboto" in pdf  # TrueType embedded: diacritics print anywhere
    assert b"/Subtype /Image" in pdf  # the QR code
    assert b"/Subject (B023)" in pdf


def test_escpos_bytes_reset_print_a_raster_image_and_cut():
    data = slip_escpos(DATA)
    assert data.startswith(b"\x1b@")  # ESC @: initialise
    assert b"\x1dv0" in data  # GS v 0: raster bit image
    width_bytes = int.from_bytes(data[data.index(b"\x1dv0") + 4 : data.index(b"\x1dv0") + 6], "little")
    assert width_bytes == 576 // 8
    assert data.endswith(b"\x1dV\x00")  # GS V 0: full cut


def test_escpos_for_a_58mm_head():
    data = slip_escpos(DATA, width_px=384)
    start = data.index(b"\x1dv0")
    assert int.from_bytes(data[start + 4 : start + 6], "little") == 384 // 8
