"""The queue slip (phiếu số thứ tự) in three outputs: an image, a PDF and ESC/POS bytes.

All three draw from one `SlipData`, whose texts are already written in the active language.
Thermal printers get the slip as a raster image rendered with Roboto, so Vietnamese diacritics
print on any printer head whatever fonts (code pages) it has built in.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from functools import cache

import font_roboto
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from motcua.core.calendar import to_local

from .eta import Estimate
from .models import Ticket

_FONT_DIR = os.path.join(os.path.dirname(font_roboto.__file__), "files")
_REGULAR = os.path.join(_FONT_DIR, "Roboto-Regular.ttf")
_BOLD = os.path.join(_FONT_DIR, "Roboto-Bold.ttf")
# fpdf2 subsets the font with fontTools, which logs every glyph at INFO: noise in the server log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class SlipData:
    province: str
    center_name: str
    queue_name: str
    code: str
    priority_name: str
    issued_at: str  # "08:00 10/03/2026"
    people_ahead: int
    wait_text: str
    qr_url: str

    @property
    def lines(self) -> list[tuple[str, str]]:
        """The facts under the number, as (label, value) rows."""
        rows = [(_("Thời gian lấy số"), self.issued_at), (_("Số người đang chờ trước"), str(self.people_ahead))]
        rows.append((_("Thời gian chờ dự kiến"), self.wait_text))
        return rows


def wait_text(estimate: Estimate) -> str:
    """`khoảng 24 phút`, `được gọi ngay`, or — with no counter open — `chưa có quầy mở`."""
    if estimate.minutes is None:
        return _("chưa có quầy mở")
    if estimate.minutes == 0:
        return _("được gọi ngay")
    return _("khoảng %(minutes)s phút") % {"minutes": estimate.minutes}


def ticket_public_url(ticket: Ticket) -> str:
    """The phone page behind the slip's QR code, on the address citizens' phones can reach."""
    base = str(settings.MOTCUA["PUBLIC_URL"]).rstrip("/")
    return base + reverse("portal:ticket", args=[ticket.token])


def slip_data(ticket: Ticket, estimate: Estimate) -> SlipData:
    return SlipData(
        province=_("UBND %(province)s") % {"province": settings.MOTCUA["PROVINCE_NAME"].upper()},
        center_name=ticket.center.name,
        queue_name=ticket.queue.name,
        code=ticket.code,
        priority_name=ticket.priority.name if ticket.priority else "",
        issued_at=to_local(ticket.issued_at).strftime("%H:%M %d/%m/%Y"),
        people_ahead=estimate.people_ahead,
        wait_text=wait_text(estimate),
        qr_url=ticket_public_url(ticket),
    )


# --- QR code ----------------------------------------------------------------------------------


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str) -> str:
    """Inline SVG markup of the QR code (crisp on screens and on the 80 mm print view)."""
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return str(image.to_string(encoding="unicode"))


def qr_image(url: str, size_px: int) -> Image.Image:
    """A black-on-white QR code close to `size_px`, with whole pixels per module (no blur)."""
    code = _qr(url)
    modules = code.modules_count + 2 * code.border
    code.box_size = max(1, size_px // modules)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


# --- image (thermal printers) -----------------------------------------------------------------


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_BOLD if bold else _REGULAR, size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break `text` into lines no wider than `width` pixels, at spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


class _Canvas:
    """Draws the slip top to bottom on a white strip `width` pixels wide."""

    def __init__(self, width: int) -> None:
        self.width, self.margin, self.y = width, width // 24, width // 24
        self.image = Image.new("L", (width, width * 4), 255)
        self.draw = ImageDraw.Draw(self.image)

    def scale(self, size: int) -> int:
        return max(8, size * self.width // 576)  # sizes are given for a 576-dot (80 mm) head

    def text(self, text: str, size: int, *, bold: bool = False, gap: int = 6) -> None:
        px = self.scale(size)
        font = _font(bold, px)
        # A fixed line height from the font size: Vietnamese stacked marks (Ố, Ẩ) sit above the
        # capitals, so lines measured by their own ink would jump up and down.
        for line in _wrap(self.draw, text, font, self.width - 2 * self.margin):
            self.draw.text((self.width / 2, self.y + px), line, font=font, fill=0, anchor="ms")
            self.y += round(px * 1.28)
        self.y += self.scale(gap)

    def number(self, text: str, size: int) -> None:
        """The ticket code: capitals and digits only, so the line is as tall as a capital."""
        px = self.scale(size)
        cap = round(px * 0.74)
        self.draw.text((self.width / 2, self.y + cap), text, font=_font(True, px), fill=0, anchor="ms")
        self.y += cap + self.scale(22)

    def row(self, label: str, value: str, size: int = 24) -> None:
        label_font, value_font = _font(False, self.scale(size)), _font(True, self.scale(size))
        baseline = self.y + self.scale(size)
        self.draw.text((self.margin, baseline), label, font=label_font, fill=0, anchor="ls")
        self.draw.text((self.width - self.margin, baseline), value, font=value_font, fill=0, anchor="rs")
        self.y += round(self.scale(size) * 1.5)

    def rule(self) -> None:
        y = self.y + self.scale(8)
        for x in range(self.margin, self.width - self.margin, 16):
            self.draw.line([(x, y), (x + 9, y)], fill=0, width=2)
        self.y = y + self.scale(18)

    def paste(self, picture: Image.Image) -> None:
        self.image.paste(picture, ((self.width - picture.width) // 2, self.y))
        self.y += picture.height + self.scale(6)

    def result(self) -> Image.Image:
        return self.image.crop((0, 0, self.width, self.y + self.margin))


def slip_image(data: SlipData, width_px: int = 576) -> Image.Image:
    canvas = _Canvas(width_px)
    canvas.text(data.province, 20, bold=True, gap=4)
    canvas.text(data.center_name, 22, bold=True)
    canvas.rule()
    canvas.text(_("SỐ THỨ TỰ CỦA QUÝ KHÁCH"), 22, bold=True)
    canvas.number(data.code, 150)
    canvas.text(data.queue_name, 28, bold=True)
    if data.priority_name:
        canvas.text(_("Ưu tiên: %(name)s") % {"name": data.priority_name}, 24)
    canvas.rule()
    for label, value in data.lines:
        canvas.row(label, value)
    canvas.rule()
    canvas.paste(qr_image(data.qr_url, width_px // 2))
    canvas.text(_("Quét mã để theo dõi lượt của quý khách trên điện thoại"), 20)
    canvas.text(_("Vui lòng chú ý bảng điện tử và loa gọi số."), 20)
    return canvas.result()


def slip_png(data: SlipData, width_px: int = 576) -> bytes:
    buffer = io.BytesIO()
    slip_image(data, width_px).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- ESC/POS ----------------------------------------------------------------------------------


def slip_escpos(data: SlipData, width_px: int = 576) -> bytes:
    """Bytes for an ESC/POS printer: reset, the slip as a raster image (GS v 0), then cut."""
    from escpos.printer import Dummy  # imported here: loading escpos reads its printer profiles

    printer = Dummy()
    # Tell the profile how wide the head is (python-escpos checks the image against it).
    media = {"dpi": 203, "width": {"mm": 72, "pixels": width_px}}
    printer.profile.profile_data = {**printer.profile.profile_data, "media": media}
    printer.hw("INIT")
    printer.image(slip_image(data, width_px).convert("1"), impl="bitImageRaster")
    printer.cut()
    return bytes(printer.output)


# --- PDF --------------------------------------------------------------------------------------

_PDF_WIDTH_MM = 80
_PDF_MARGIN_MM = 4


def _pdf_text(pdf: FPDF, text: str, size: float, *, bold: bool = False) -> None:
    pdf.set_font("Roboto", "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.45, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _pdf_rule(pdf: FPDF) -> None:
    pdf.ln(1.5)
    pdf.set_dash_pattern(dash=1.2, gap=1)
    pdf.line(_PDF_MARGIN_MM, pdf.get_y(), _PDF_WIDTH_MM - _PDF_MARGIN_MM, pdf.get_y())
    pdf.set_dash_pattern()
    pdf.ln(2.5)


def _pdf_rows(pdf: FPDF, data: SlipData) -> None:
    for label, value in data.lines:
        pdf.set_font("Roboto", "", 9.5)
        pdf.cell(0, 5, label)
        pdf.set_font("Roboto", "B", 9.5)
        pdf.cell(0, 5, value, align="R", new_x="LMARGIN", new_y="NEXT")


def _draw_pdf(data: SlipData, height_mm: float) -> FPDF:
    pdf = FPDF(unit="mm", format=(_PDF_WIDTH_MM, height_mm))
    pdf.set_title(_("Phiếu số thứ tự %(code)s") % {"code": data.code})
    pdf.set_subject(data.code)
    pdf.set_margins(_PDF_MARGIN_MM, _PDF_MARGIN_MM)
    pdf.set_auto_page_break(False)
    pdf.add_font("Roboto", "", _REGULAR)
    pdf.add_font("Roboto", "B", _BOLD)
    pdf.add_page()
    _pdf_text(pdf, data.province, 8.5, bold=True)
    _pdf_text(pdf, data.center_name, 9.5, bold=True)
    _pdf_rule(pdf)
    _pdf_text(pdf, _("SỐ THỨ TỰ CỦA QUÝ KHÁCH"), 9.5, bold=True)
    _pdf_text(pdf, data.code, 50, bold=True)
    _pdf_text(pdf, data.queue_name, 12, bold=True)
    if data.priority_name:
        _pdf_text(pdf, _("Ưu tiên: %(name)s") % {"name": data.priority_name}, 10)
    _pdf_rule(pdf)
    _pdf_rows(pdf, data)
    _pdf_rule(pdf)
    pdf.image(qr_image(data.qr_url, 300), x=(_PDF_WIDTH_MM - 34) / 2, w=34, h=34)
    pdf.ln(1)
    _pdf_text(pdf, _("Quét mã để theo dõi lượt của quý khách trên điện thoại"), 8.5)
    _pdf_text(pdf, _("Vui lòng chú ý bảng điện tử và loa gọi số."), 8.5)
    return pdf


def slip_pdf(data: SlipData) -> bytes:
    """An 80 mm wide, one-page PDF as long as the slip (drawn twice: to measure, then to keep)."""
    measured = _draw_pdf(data, 400).get_y()
    return bytes(_draw_pdf(data, measured + _PDF_MARGIN_MM).output())
