"""The printed papers of a dossier (ADR 0008 §7): A4 portrait PDFs in the administrative layout.

Every paper is drawn from a `DossierSlip.payload` only, never from the live dossier, so a
reprint months later carries exactly the words, times and names of the day it was issued (the
PDF's creation date is the issue time too, so the bytes are identical). The control sheet is the
exception: it shows the steps as they stand now, from a payload built on the spot and not stored.

Papers are legal documents in Vietnamese, whatever language the officer's screen is in. Form
numbers are not printed: which number each form has depends on the circular in force (§2.1 [K]).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import font_roboto
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace

from motcua.core.calendar import LOCAL_TZ
from motcua.core.choices import TimeUnit
from motcua.queueing.slip import qr_image

from . import payloads
from .models import Dossier, DossierSlip

Payload = dict[str, Any]

_FONT_DIR = os.path.join(os.path.dirname(font_roboto.__file__), "files")
_FONTS = {"": "Roboto-Regular.ttf", "B": "Roboto-Bold.ttf", "I": "Roboto-Italic.ttf", "BI": "Roboto-BoldItalic.ttf"}
# Decree 30/2020's margins, a little tighter on the left: these papers are handed out, not bound.
_LEFT, _TOP, _RIGHT, _BOTTOM = 25.0, 15.0, 15.0, 18.0
_SIZE = 10.5  # body text, pt
_LINE = 5.3  # body line height, mm
_HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 232, 232))
_SIGNATURE_HEIGHT = 36.0


class _Paper(FPDF):
    """One A4 paper in Roboto (it has every Vietnamese letter), numbered in the footer."""

    def __init__(self, payload: Payload, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, name in _FONTS.items():
            self.add_font("Roboto", style, os.path.join(_FONT_DIR, name))
        self.set_margins(_LEFT, _TOP, _RIGHT)
        self.set_auto_page_break(True, margin=_BOTTOM)
        self.code = str(payload.get("code") or "")
        self.set_title(f"{title} {self.code}".strip())
        self.set_subject(self.code)
        self.set_author(str(payload.get("center", {}).get("name", "")))
        self.set_creator("MotCua")
        self.set_creation_date(_issued(payload))
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Roboto", "", 8)
        self.set_text_color(110)
        text = _("Trang %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 4, f"{_('Mã hồ sơ')}: {self.code}" if self.code else "")
        self.cell(0, 4, text, align="R")
        self.set_text_color(0)


def _issued(payload: Payload) -> datetime:
    """The issue time printed in the payload, as the PDF's creation date (the same on reprint)."""
    try:
        return datetime.strptime(str(payload.get("issued_at", "")), "%H:%M ngày %d/%m/%Y").replace(tzinfo=LOCAL_TZ)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=LOCAL_TZ)


# --- building blocks --------------------------------------------------------------------------


def _place(province: str) -> str:
    """`Thành phố Cần Thơ` → `Cần Thơ`, the place name in front of the date line."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if province.startswith(prefix):
            return province[len(prefix) :]
    return province


def _date_line(payload: Payload) -> str:
    day, month, year = (str(payload.get("issued_on") or "//").split("/") + ["", "", ""])[:3]
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": _place(str(payload.get("province", ""))), "day": day, "month": month, "year": year,
    }  # fmt: skip


def _centered(pdf: FPDF, x: float, width: float, text: str, size: float, style: str = "") -> float:
    """Text centred in the column [x, x + width]; gives the y under it."""
    pdf.set_font("Roboto", style, size)
    pdf.set_x(x)
    pdf.multi_cell(width, size * 0.47, text, align="C", new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _rule_under(pdf: FPDF, x_center: float, y: float, width: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(x_center - width / 2, y, x_center + width / 2, y)


def _header(pdf: FPDF, payload: Payload, issuer: str = "") -> None:
    """Issuing body on the left, the national motto on the right, place and date under it."""
    top, left_w = pdf.get_y(), 74.0
    right_x, right_w = _LEFT + left_w + 2, pdf.epw - left_w - 2
    province = _("UBND %(province)s") % {"province": str(payload.get("province", "")).upper()}
    _centered(pdf, _LEFT, left_w, province, 10.5)
    left_y = _centered(pdf, _LEFT, left_w, (issuer or payload["center"]["name"]).upper(), 10.5, "B")
    _rule_under(pdf, _LEFT + left_w / 2, left_y + 1, 24)
    pdf.set_y(top)
    _centered(pdf, right_x, right_w, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 10.5, "B")
    motto = _("Độc lập - Tự do - Hạnh phúc")
    right_y = _centered(pdf, right_x, right_w, motto, 11.5, "B")
    _rule_under(pdf, right_x + right_w / 2, right_y + 0.6, pdf.get_string_width(motto))
    pdf.set_y(right_y + 3)
    _centered(pdf, right_x, right_w, _date_line(payload), 10.5, "I")
    pdf.set_y(max(left_y, pdf.get_y()) + 6)
    pdf.set_x(_LEFT)


def _title(pdf: FPDF, title: str, subtitle: str = "") -> None:
    _centered(pdf, _LEFT, pdf.epw, title.upper(), 14, "B")
    if subtitle:
        pdf.ln(1)
        _centered(pdf, _LEFT, pdf.epw, subtitle, 10.5, "I")
    pdf.ln(4)
    pdf.set_x(_LEFT)


def _field(pdf: FPDF, label: str, value: str, *, bold: bool = True) -> None:
    """`Label: value` flowing over as many lines as the value needs."""
    pdf.set_x(_LEFT)
    pdf.set_font("Roboto", "", _SIZE)
    pdf.write(_LINE, f"{label}: ")
    pdf.set_font("Roboto", "B" if bold else "", _SIZE)
    pdf.write(_LINE, value or "…")
    pdf.ln(_LINE)


def _para(pdf: FPDF, text: str, style: str = "", size: float = _SIZE, gap: float = 0.6) -> None:
    pdf.set_font("Roboto", style, size)
    pdf.set_x(_LEFT)
    pdf.multi_cell(0, size * 0.51, text, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _table(
    pdf: FPDF, widths: Sequence[float], align: Sequence[str], rows: Sequence[Sequence[str]], size: float = 9.5
) -> None:
    """A bordered table whose first row is the headings, repeated on every page it runs onto."""
    pdf.set_font("Roboto", "", size)
    with pdf.table(
        col_widths=tuple(widths), text_align=tuple(align), headings_style=_HEADINGS, line_height=size * 0.48,
        padding=(1.2, 1.2), v_align="M", width=sum(widths), align="L",
    ) as table:  # fmt: skip
        for cells in rows:
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.ln(2)


def _signatures(pdf: FPDF, left: tuple[str, str] | None, right: tuple[str, str]) -> None:
    """One or two signature blocks side by side; never split from each other by a page break."""
    if pdf.will_page_break(_SIGNATURE_HEIGHT):
        pdf.add_page()
    pdf.ln(3)
    top, half = pdf.get_y(), pdf.epw / 2
    for column, block in enumerate((left, right)):
        if block is None:
            continue
        role, name = block
        x = _LEFT + column * half
        pdf.set_y(top)
        _centered(pdf, x, half, role.upper(), 10.5, "B")
        y = _centered(pdf, x, half, _("(Ký và ghi rõ họ tên)"), 9.5, "I")
        pdf.set_y(y + 18)
        _centered(pdf, x, half, name, 11, "B")
    pdf.set_x(_LEFT)


def _person_label(payload: Payload) -> str:
    return _("Tổ chức") if payload["applicant"].get("kind") == Dossier.ApplicantKind.ORGANISATION else _("Ông/Bà")


def _applicant(pdf: FPDF, payload: Payload) -> None:
    applicant, submitter = payload["applicant"], payload.get("submitter") or {}
    name = applicant["name"]
    if applicant.get("national_id"):  # on the paper the citizen keeps (DOMAIN §2.2), never in the QR (rule 14)
        name += " - " + _("số định danh %(number)s") % {"number": applicant["national_id"]}
    _field(pdf, _person_label(payload), name)
    _field(pdf, _("Địa chỉ"), applicant.get("address", ""), bold=False)
    contact = " - ".join(v for v in (applicant.get("phone"), applicant.get("email")) if v)
    _field(pdf, _("Điện thoại, thư điện tử"), contact, bold=False)
    if submitter.get("name"):
        _field(pdf, _("Người nộp thay"), submitter["name"])
        _field(pdf, _("Giấy ủy quyền"), submitter.get("authorisation", ""), bold=False)


def _request(pdf: FPDF, payload: Payload) -> None:
    procedure = payload["procedure"]
    value = _("%(name)s (mã thủ tục %(code)s)") % {"name": procedure["name"], "code": procedure["code"]}
    _field(pdf, _("Nội dung yêu cầu giải quyết"), value)
    _field(pdf, _("Cơ quan giải quyết"), payload.get("agency", ""), bold=False)


def _code_and_qr(pdf: FPDF, payload: Payload) -> None:
    """The dossier code, and at the right the QR of the public tracking page (no personal data)."""
    size, top = 30.0, pdf.get_y()
    pdf.image(qr_image(payload["tracking_url"], 360), x=pdf.w - _RIGHT - size, y=top, w=size, h=size)
    width = pdf.epw - size - 6
    pdf.set_font("Roboto", "B", 13)
    pdf.multi_cell(width, 7, f"{_('Mã hồ sơ')}: {payload['code']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Roboto", "I", 9.5)
    hint = _("Quét mã QR hoặc truy cập %(url)s để tra cứu tình trạng giải quyết hồ sơ.")
    pdf.multi_cell(width, 4.6, hint % {"url": payload["tracking_url"]}, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + size) + 3)


def _number(text: Any) -> str:
    """`10` or `10.00` → `10`, `0.5` → `0,5` (the Vietnamese decimal comma)."""
    try:
        value = Decimal(str(text)).normalize()
    except InvalidOperation:
        return str(text or "")
    return f"{value:f}".replace(".", ",")


def _legal_time(payload: Payload) -> str:
    if payload.get("time_note"):
        return str(payload["time_note"])
    unit = payload.get("time_unit") or TimeUnit.NONE
    if unit in (TimeUnit.NONE, TimeUnit.SAME_DAY):
        return str(TimeUnit(unit).label)
    return f"{_number(payload.get('time_value'))} {TimeUnit(unit).label}"


def _count(value: Any) -> str:
    return f"{int(value):02d}" if value else ""


def _document_state(doc: Payload) -> str:
    if doc.get("replaced_by"):
        return _("Khai thác CSDL %(ref)s") % {"ref": doc.get("db_reference", "")}
    if doc.get("show_only"):
        return _("Xuất trình")
    return _("Đã nộp") if doc.get("provided") else _("Chưa nộp")


def _documents(pdf: FPDF, documents: Sequence[Payload]) -> None:
    head = [_("STT"), _("Tên giấy tờ"), _("Bản chính"), _("Bản sao chứng thực"), _("Bản sao"), _("Tình trạng")]
    rows = [
        [str(i), d["name"], _count(d.get("originals")), _count(d.get("certified_copies")),
         _count(d.get("plain_copies")), _document_state(d)]
        for i, d in enumerate(documents, start=1)
    ]  # fmt: skip
    _table(pdf, (10, 78, 17, 22, 16, 27), ("C", "L", "C", "C", "C", "C"), [head, *rows])


def _fee_method(code: str) -> str:
    return dict(settings.MOTCUA["FEE_METHODS"]).get(code, code)


def _fees(pdf: FPDF, fees: Sequence[Payload]) -> None:
    if not fees:
        _para(pdf, _("Không thu phí, lệ phí."))
        return
    head = [_("Phí, lệ phí"), _("Số tiền"), _("Tình trạng"), _("Hình thức"), _("Số biên lai")]
    rows = [
        [f["name"], f["amount"], _("Đã thu") if f.get("paid") else _("Chưa thu"), _fee_method(f.get("method", "")),
         f.get("receipt_number", "")]
        for f in fees
    ]  # fmt: skip
    _table(pdf, (58, 27, 22, 33, 30), ("L", "R", "C", "C", "C"), [head, *rows])


def _numbered(pdf: FPDF, number: int, label: str, value: str = "", *, bold: bool = False) -> None:
    """A numbered line of the form (`3. Thời gian nhận hồ sơ: …`), or a numbered heading."""
    pdf.ln(0.8)
    if value:
        _field(pdf, f"{number}. {label}", value, bold=bold)
    else:
        _para(pdf, f"{number}. {label}:", gap=0.8)


# --- the papers -------------------------------------------------------------------------------


def _draw_receipt(pdf: FPDF, p: Payload, title: str) -> None:
    _header(pdf, p)
    _title(pdf, title)
    _code_and_qr(pdf, p)
    _para(pdf, _("%(center)s tiếp nhận hồ sơ của:") % {"center": p["center"]["name"]})
    _applicant(pdf, p)
    _request(pdf, p)
    _numbered(pdf, 1, _("Thành phần hồ sơ nộp gồm"))
    _documents(pdf, p.get("documents") or [])
    number = 2
    if p.get("sets"):
        _numbered(pdf, number, _("Số lượng hồ sơ"), _("%(sets)s bộ") % {"sets": _count(p["sets"])})
        number += 1
    _numbered(pdf, number, _("Thời gian giải quyết hồ sơ theo quy định"), _legal_time(p))
    _numbered(pdf, number + 1, _("Thời gian nhận hồ sơ"), p.get("accepted_at", ""), bold=True)
    _numbered(pdf, number + 2, _("Thời gian trả kết quả giải quyết hồ sơ"),
              p.get("due_at") or _("Không quy định thời hạn"), bold=True)  # fmt: skip
    place = f"{p.get('return_method', '')} - {p.get('return_place', '')}, {p['center'].get('address', '')}"
    _numbered(pdf, number + 3, _("Nơi, hình thức nhận kết quả"), place.strip(" -,"), bold=False)
    _numbered(pdf, number + 4, _("Phí, lệ phí"))
    _fees(pdf, p.get("fees") or [])
    _para(pdf, _("Khi đến nhận kết quả, Ông/Bà vui lòng mang theo Giấy tiếp nhận này. Trường hợp nhờ người khác "
                 "nhận thay, người nhận thay phải có giấy ủy quyền theo quy định."), "I", 10)  # fmt: skip
    submitter = (p.get("submitter") or {}).get("name") or p["applicant"]["name"]
    _signatures(pdf, (_("Người nộp hồ sơ"), submitter), (_("Người tiếp nhận hồ sơ"), p.get("officer", "")))


def _supplement_rows(items: Sequence[Payload]) -> tuple[list[list[str]], tuple[float, ...], tuple[str, ...]]:
    """The items to bring, with the copy counts only when the request gave any."""
    counts = any(item.get(k) for item in items for k in ("originals", "certified_copies", "plain_copies"))
    head = [_("STT"), _("Giấy tờ cần bổ sung, hoàn thiện")]
    head += [_("Bản chính"), _("Bản sao chứng thực"), _("Bản sao")] if counts else []
    rows = [head + [_("Nội dung cần bổ sung, hoàn thiện")]]
    for i, item in enumerate(items, start=1):
        cells = [str(i), str(item.get("document") or item.get("name") or "")]
        cells += [_count(item.get(k)) for k in ("originals", "certified_copies", "plain_copies")] if counts else []
        rows.append([*cells, str(item.get("note") or "")])
    widths = (10, 62, 17, 22, 16, 43) if counts else (10, 85, 75)
    align = ("C", "L", "C", "C", "C", "L") if counts else ("C", "L", "L")
    return rows, widths, align


def _draw_supplement(pdf: FPDF, p: Payload, title: str) -> None:
    _header(pdf, p)
    _title(pdf, title)
    if p.get("code"):
        _field(pdf, _("Mã hồ sơ"), p["code"])
    _para(pdf, _("%(center)s tiếp nhận hồ sơ của:") % {"center": p["center"]["name"]})
    _applicant(pdf, p)
    _request(pdf, p)
    if p.get("stage") == "processing":
        intro = _(
            "Trong quá trình giải quyết, %(by)s đề nghị %(person)s bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
        )
    else:
        intro = _("Sau khi kiểm tra, đề nghị %(person)s bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
    _para(pdf, intro % {"by": p.get("requested_by", ""), "person": _person_label(p)}, gap=1.5)
    rows, widths, align = _supplement_rows(p.get("items") or [])
    _table(pdf, widths, align, rows)
    _field(pdf, _("Lý do"), p.get("reason", ""))
    if p.get("deadline_at"):
        _field(pdf, _("Thời hạn bổ sung, hoàn thiện hồ sơ"), p["deadline_at"])
    contact = _("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, %(person)s liên hệ %(center)s, "
                "điện thoại %(phone)s để được hướng dẫn.")  # fmt: skip
    pdf.ln(1)
    _para(pdf, contact % {"person": _person_label(p), "center": p["center"]["name"], "phone": p["center"].get("phone", "")},
          "I", 10)  # fmt: skip
    _signatures(pdf, None, (_("Người hướng dẫn"), p.get("officer", "")))


def _draw_refusal(pdf: FPDF, p: Payload, title: str) -> None:
    _header(pdf, p)
    _title(pdf, title)
    _para(pdf, _("%(center)s tiếp nhận hồ sơ của:") % {"center": p["center"]["name"]})
    _applicant(pdf, p)
    _request(pdf, p)
    pdf.ln(1)
    _para(pdf, _("Sau khi xem xét, căn cứ quy định hiện hành, %(center)s từ chối tiếp nhận, giải quyết hồ sơ "
                 "này với lý do cụ thể như sau:") % {"center": p["center"]["name"]})  # fmt: skip
    _para(pdf, str(p.get("reason", "")), "B", gap=2)
    _para(pdf, _("Xin thông báo để %(person)s được biết và thực hiện.") % {"person": _person_label(p)})
    submitter = (p.get("submitter") or {}).get("name") or p["applicant"]["name"]
    _signatures(pdf, (_("Người nộp hồ sơ"), submitter), (_("Người tiếp nhận hồ sơ"), p.get("officer", "")))


def _received_sentence(p: Payload) -> str:
    """Who received what; the receipt time only when the payload carries it."""
    values = {"when": p.get("accepted_at", ""), "center": p["center"]["name"], "code": p.get("code", ""),
              "person": _person_label(p), "procedure": p["procedure"]["name"]}  # fmt: skip
    if p.get("accepted_at"):
        text = _(
            "Lúc %(when)s, %(center)s tiếp nhận hồ sơ mã %(code)s của %(person)s, nội dung yêu cầu: %(procedure)s."
        )
    else:
        text = _("%(center)s đã tiếp nhận hồ sơ mã %(code)s của %(person)s, nội dung yêu cầu: %(procedure)s.")
    return text % values


def _draw_apology(pdf: FPDF, p: Payload, title: str) -> None:
    agency = str(p.get("delayed_agency") or p.get("agency") or p["center"]["name"])
    _header(pdf, p, issuer=agency)
    _title(pdf, title)
    _field(pdf, _("Kính gửi"), f"{_person_label(p)} {p['applicant']['name']}")
    pdf.ln(1)
    _para(pdf, _received_sentence(p))
    _field(pdf, _("Thời hạn trả kết quả theo giấy tiếp nhận"), str(p.get("previous_due_at", "")))
    _para(pdf, _("Tuy nhiên đến nay, %(agency)s chưa giải quyết xong hồ sơ của %(person)s. Lý do:")
          % {"agency": agency, "person": _person_label(p)})  # fmt: skip
    _para(pdf, str(p.get("reason", "")), "B", gap=1.5)
    apology = _("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của %(person)s. %(agency)s xin lỗi "
                "%(person)s và hẹn lại thời gian trả kết quả:")  # fmt: skip
    _para(pdf, apology % {"agency": agency, "person": _person_label(p)})
    _field(pdf, _("Thời gian trả kết quả mới"), str(p.get("new_due_at", "")))
    _field(pdf, _("Nơi trả kết quả"), str(p.get("return_place") or p["center"]["name"]), bold=False)
    _para(pdf, _("Xin trân trọng cảm ơn!"), "I")
    _signatures(pdf, None, (_("Thủ trưởng cơ quan"), p.get("officer", "")))
    _para(pdf, _("Nơi nhận: như trên; Văn phòng UBND %(province)s; lưu.") % {"province": p.get("province", "")}, "I", 9)


def _stop_kind(p: Payload) -> str:
    if p.get("kind") == "withdrawn" or p.get("to_status") == Dossier.Status.WITHDRAWN:
        return str(Dossier.Status.WITHDRAWN.label)
    return str(Dossier.Status.STOPPED.label)


def _draw_stop(pdf: FPDF, p: Payload, title: str) -> None:
    _header(pdf, p)
    _title(pdf, title)
    _field(pdf, _("Kính gửi"), f"{_person_label(p)} {p['applicant']['name']}")
    _field(pdf, _("Mã hồ sơ"), p.get("code") or "")
    _request(pdf, p)
    if p.get("accepted_at"):
        _field(pdf, _("Thời gian nhận hồ sơ"), p["accepted_at"], bold=False)
    pdf.ln(1)
    _para(pdf, _("%(center)s thông báo dừng giải quyết hồ sơ nêu trên kể từ %(when)s.")
          % {"center": p["center"]["name"], "when": p.get("issued_at", "")})  # fmt: skip
    _field(pdf, _("Hình thức"), _stop_kind(p))
    _field(pdf, _("Lý do"), str(p.get("reason", "")))
    _para(pdf, _("Xin thông báo để %(person)s được biết.") % {"person": _person_label(p)})
    submitter = (p.get("submitter") or {}).get("name") or p["applicant"]["name"]
    _signatures(pdf, (_("Người nộp hồ sơ"), submitter), (_("Người lập thông báo"), p.get("officer", "")))


def _two_lines(when: str) -> str:
    """`08:00 ngày 10/03/2026` → time over date, so the narrow time columns stay readable."""
    return when.replace(" ngày ", "\n")


def _step_row(step: Payload) -> list[str]:
    people = "\n".join(
        f"{label}: {name}" for label, name in ((_("Giao"), step.get("handed_by")), (_("Nhận"), step.get("received_by"))) if name
    )  # fmt: skip
    return [
        str(step.get("ordering", "")), f"{step.get('name', '')}\n{step.get('agency', '')}",
        _two_lines(step.get("started_at", "")), _two_lines(step.get("due_at", "")),
        _two_lines(step.get("handed_over_at", "")), people, step.get("outcome", ""), step.get("note", ""),
    ]  # fmt: skip


def _draw_control_sheet(pdf: FPDF, p: Payload, title: str) -> None:
    _header(pdf, p)
    _title(pdf, title, _("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"))
    _field(pdf, _("Mã hồ sơ"), p.get("code", ""))
    _field(pdf, _("Người nộp"), p["applicant"]["name"])
    _field(pdf, _("Thủ tục"), p["procedure"]["name"], bold=False)
    _field(pdf, _("Cơ quan chủ trì giải quyết"), p.get("agency", ""), bold=False)
    others = sorted({s.get("agency", "") for s in p.get("steps") or []} - {p.get("agency", ""), ""})
    if others:
        _field(pdf, _("Cơ quan phối hợp"), "; ".join(others), bold=False)
    _field(pdf, _("Thời gian nhận hồ sơ"), p.get("accepted_at", ""))
    _field(pdf, _("Thời gian hẹn trả kết quả"), p.get("due_at") or _("Không quy định thời hạn"))
    if p.get("original_due_at") and p.get("original_due_at") != p.get("due_at"):
        _field(pdf, _("Hạn giải quyết ban đầu"), p["original_due_at"], bold=False)
    pdf.ln(2)
    head = [_("STT"), _("Bước xử lý, cơ quan"), _("Nhận hồ sơ"), _("Hạn xử lý"), _("Bàn giao"),
            _("Người giao, người nhận"), _("Kết quả"), _("Ghi chú")]  # fmt: skip
    rows = [head, *(_step_row(step) for step in p.get("steps") or [])]
    _table(pdf, (9, 39, 20, 20, 20, 26, 16, 20), ("C", "L", "C", "C", "C", "L", "C", "L"), rows, size=9)
    if p.get("officer"):
        issued = _("Phiếu in lúc %(when)s, người in: %(officer)s.") % {"when": p["issued_at"], "officer": p["officer"]}
    else:
        issued = _("Phiếu in lúc %(when)s.") % {"when": p.get("issued_at", "")}
    _para(pdf, issued, "I", 9.5)


_DRAWERS: dict[str, Callable[[FPDF, Payload, str], None]] = {
    DossierSlip.Kind.RECEIPT: _draw_receipt,
    DossierSlip.Kind.SUPPLEMENT: _draw_supplement,
    DossierSlip.Kind.REFUSAL: _draw_refusal,
    DossierSlip.Kind.APOLOGY: _draw_apology,
    DossierSlip.Kind.STOP: _draw_stop,
    DossierSlip.Kind.CONTROL_SHEET: _draw_control_sheet,
}


def payload_pdf(kind: str, payload: Payload) -> bytes:
    """Draw one paper of `kind` from its payload (a `title` in the payload overrides the form's name)."""
    with translation.override("vi"):
        title = str(payload.get("title") or DossierSlip.Kind(kind).label)
        pdf = _Paper(payload, title)
        _DRAWERS[kind](pdf, payload, title)
        return bytes(pdf.output())


def slip_pdf(slip: DossierSlip) -> bytes:
    """The PDF of an issued paper, from its frozen payload: a reprint is the same file."""
    return payload_pdf(slip.kind, slip.payload)


def control_sheet_pdf(dossier: Dossier, *, actor: Any, now: datetime) -> bytes:
    """The control sheet as the steps stand at `now` (built live, not stored).

    The caller checks that `actor` may see the dossier (`access.can_see`): the sheet names the applicant.
    """
    payload = payloads.build_payload(dossier, DossierSlip.Kind.CONTROL_SHEET, actor=actor, now=now)
    return payload_pdf(DossierSlip.Kind.CONTROL_SHEET, payload)
