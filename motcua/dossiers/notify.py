"""Telling the citizen (ADR 0008 §7): a message per event, through the outbox.

Each call happens inside the transition's transaction, so a notice exists exactly when the
change does; the outbox worker delivers it after commit (and draws the PDF attached to the
e-mail there, never inside the transaction).

The texts carry the dossier code, the tracking link and the center's contact, never the
applicant's name, ID number or address: an SMS is read on lock screens and an address may be
mistyped at the counter. They are in Vietnamese whatever language the officer's screen is in.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.core.calendar import to_local
from motcua.notifications.models import OutboxMessage
from motcua.notifications.services import outbox_enqueue
from motcua.notifications.sms import normalise_phone

from . import payloads
from .models import ApologyLetter, Dossier, DossierReturn, DossierSlip, SupplementRequest

logger = logging.getLogger(__name__)

# The events that send a notice; the texts and channels are built in `dossier_notify`.
KINDS = ("accepted", "refused", "reception_supplement", "supplement", "result_ready", "apology", "stopped",
         "withdrawn", "returned")  # fmt: skip

EMAIL, SMS = "email", "sms"


@dataclass(frozen=True)
class Notice:
    subject: str
    sms: str  # short: the code, one fact, the link
    body: str  # the e-mail: the same and the details (items, reasons), then the center's footer
    slip: str | None = None  # the paper attached to the e-mail (DossierSlip.Kind)


def _at(value: datetime | None) -> str:
    return f"{to_local(value):%H:%M} ngày {to_local(value):%d/%m/%Y}" if value else ""


def _facts(dossier: Dossier) -> dict[str, str]:
    """What every text may quote: nothing personal."""
    center = dossier.receiving_center
    procedure = dossier.snapshot
    ref = dossier.code or _("thủ tục %(procedure)s") % {"procedure": procedure["code"]}
    contact = (
        _("%(center)s, điện thoại %(phone)s") % {"center": center.name, "phone": center.phone}
        if center.phone
        else center.name
    )
    return {
        "ref": ref, "code": dossier.code or "", "url": payloads.public_url(dossier), "center": center.name,
        "contact": contact, "procedure": f"{procedure['code']} – {procedure['name']}",
        "procedure_code": procedure["code"], "due": _at(dossier.due_at) or _("không ấn định ngày hẹn"),
    }  # fmt: skip


def _slip_reason(dossier: Dossier, kind: str) -> str:
    """The reason printed on the latest paper of `kind` (the refusal slip, the stop notice)."""
    slip = DossierSlip.objects.filter(dossier=dossier, kind=kind).order_by("-created_at", "-id").first()
    return str((slip.payload or {}).get("reason", "")) if slip else ""


def _items(request: SupplementRequest | None) -> str:
    lines = [
        f"- {item.get('document') or item.get('name') or item.get('note', '')}"
        for item in (request.items if request else [])
    ]
    return "\n".join(line for line in lines if line != "- ")


def _accepted(dossier: Dossier, f: dict[str, str]) -> Notice:
    f |= {"accepted": _at(dossier.accepted_at)}
    return Notice(
        _("Hồ sơ %(ref)s đã được tiếp nhận") % f,
        _("Hồ sơ %(ref)s (thủ tục %(procedure_code)s) đã được tiếp nhận. Hẹn trả kết quả: %(due)s. Tra cứu: %(url)s") % f,
        _("%(center)s đã tiếp nhận hồ sơ %(ref)s lúc %(accepted)s.\nThủ tục: %(procedure)s.\n"
          "Hẹn trả kết quả: %(due)s.\nTheo dõi tình trạng hồ sơ tại: %(url)s") % f,
        DossierSlip.Kind.RECEIPT,
    )  # fmt: skip


def _refused(dossier: Dossier, f: dict[str, str]) -> Notice:
    f |= {"reason": _slip_reason(dossier, DossierSlip.Kind.REFUSAL)}
    return Notice(
        _("Hồ sơ %(ref)s không được tiếp nhận") % f,
        _("Hồ sơ %(ref)s nộp tại %(center)s không được tiếp nhận. Lý do ghi tại Phiếu từ chối tiếp nhận; "
          "liên hệ %(contact)s.") % f,
        _("Hồ sơ %(ref)s (thủ tục %(procedure)s) nộp tại %(center)s không được tiếp nhận giải quyết.\n"
          "Lý do: %(reason)s") % f,
        DossierSlip.Kind.REFUSAL,
    )  # fmt: skip


def _supplement(dossier: Dossier, f: dict[str, str], stage: str) -> Notice:
    request = dossier.supplements.filter(stage=stage).order_by("-requested_at", "-id").first()
    f |= {"items": _items(request), "reason": request.reason if request else "",
          "deadline": _at(request.deadline_at if request else None) or _("không ấn định")}  # fmt: skip
    if stage == SupplementRequest.Stage.RECEPTION:
        sms = _("Hồ sơ %(ref)s nộp tại %(center)s cần bổ sung, hoàn thiện trước khi tiếp nhận. "
                "Xem Phiếu yêu cầu bổ sung hoặc liên hệ %(contact)s.") % f  # fmt: skip
    else:
        sms = _("Hồ sơ %(ref)s cần bổ sung giấy tờ, hạn bổ sung: %(deadline)s. Thời hạn giải quyết tạm dừng "
                "đến khi nhận đủ. Tra cứu: %(url)s") % f  # fmt: skip
    body = sms + "\n\n" + _("Giấy tờ cần bổ sung:\n%(items)s\nLý do: %(reason)s") % f
    return Notice(_("Hồ sơ %(ref)s cần bổ sung, hoàn thiện") % f, sms, body, DossierSlip.Kind.SUPPLEMENT)


def _result_ready(dossier: Dossier, f: dict[str, str]) -> Notice:
    if dossier.return_method == Dossier.ReturnMethod.POST:
        how = _("Kết quả sẽ được gửi đến ông/bà qua bưu chính.")
    elif dossier.return_method == Dossier.ReturnMethod.ONLINE:
        how = _("Ông/bà nhận kết quả trực tuyến.")
    else:
        how = _("Mời ông/bà đến nhận tại %(center)s, mang theo Giấy tiếp nhận hồ sơ.") % f
    sms = _("Hồ sơ %(ref)s đã có kết quả.") % f + " " + how + " " + _("Tra cứu: %(url)s") % f
    return Notice(_("Hồ sơ %(ref)s đã có kết quả") % f, sms, sms)


def _apology(dossier: Dossier, f: dict[str, str]) -> Notice:
    letter = ApologyLetter.objects.filter(dossier=dossier).select_related("agency").order_by("-number").first()
    f |= {"agency": letter.agency.name if letter else dossier.competent_agency.name,
          "reason": letter.reason if letter else "", "due": _at(letter.new_due_at if letter else dossier.due_at)}  # fmt: skip
    sms = _("%(agency)s xin lỗi vì hồ sơ %(ref)s chưa có kết quả đúng hẹn. Hẹn trả kết quả mới: %(due)s. "
            "Tra cứu: %(url)s") % f  # fmt: skip
    body = sms + "\n\n" + _("Lý do chậm: %(reason)s") % f
    return Notice(_("Xin lỗi về việc chậm trả kết quả hồ sơ %(ref)s") % f, sms, body, DossierSlip.Kind.APOLOGY)


def _stopped(dossier: Dossier, f: dict[str, str]) -> Notice:
    f |= {"reason": _slip_reason(dossier, DossierSlip.Kind.STOP)}
    sms = _("Hồ sơ %(ref)s đã dừng giải quyết. Xem Thông báo dừng giải quyết hồ sơ hoặc liên hệ %(contact)s. "
            "Tra cứu: %(url)s") % f  # fmt: skip
    body = sms + "\n\n" + _("Lý do: %(reason)s") % f
    return Notice(_("Hồ sơ %(ref)s đã dừng giải quyết") % f, sms, body, DossierSlip.Kind.STOP)


def _withdrawn(dossier: Dossier, f: dict[str, str]) -> Notice:
    sms = _("Hồ sơ %(ref)s đã được rút theo đề nghị của ông/bà và dừng giải quyết. Tra cứu: %(url)s") % f
    return Notice(_("Hồ sơ %(ref)s đã được rút") % f, sms, sms, DossierSlip.Kind.STOP)


def _returned(dossier: Dossier, f: dict[str, str]) -> Notice | None:
    """Only a result sent by post is worth a message: at the counter the citizen took it in hand."""
    handover = DossierReturn.objects.filter(dossier=dossier).first()
    if handover is None or handover.method != Dossier.ReturnMethod.POST:
        return None
    f |= {"tracking": handover.tracking_number}
    sms = _("Kết quả hồ sơ %(ref)s đã được gửi qua bưu chính, số hiệu bưu gửi %(tracking)s.") % f
    return Notice(_("Kết quả hồ sơ %(ref)s đã được gửi qua bưu chính") % f, sms, sms)


_BUILDERS: dict[str, Callable[[Dossier, dict[str, str]], Notice | None]] = {
    "accepted": _accepted,
    "refused": _refused,
    "reception_supplement": lambda d, f: _supplement(d, f, SupplementRequest.Stage.RECEPTION),
    "supplement": lambda d, f: _supplement(d, f, SupplementRequest.Stage.PROCESSING),
    "result_ready": _result_ready,
    "apology": _apology,
    "stopped": _stopped,
    "withdrawn": _withdrawn,
    "returned": _returned,
}


def dossier_notice(dossier: Dossier, kind: str) -> Notice | None:
    """The words of one notice (None: this event tells the citizen nothing)."""
    assert kind in KINDS, kind
    with translation.override("vi"):
        return _BUILDERS[kind](dossier, _facts(dossier))


def _footer(dossier: Dossier) -> str:
    center = dossier.receiving_center
    with translation.override("vi"):
        auto = _("Thư này được gửi tự động, vui lòng không trả lời.")
    return "\n\n—\n" + "\n".join(filter(None, [center.name, center.address, center.phone, auto]))


def _sms_text(text: str) -> str:
    """Without diacritics when the gateway wants plain ASCII (`SMS_STRIP_DIACRITICS`, default off)."""
    if not settings.MOTCUA.get("SMS_STRIP_DIACRITICS", False):
        return text
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def dossier_notify(dossier: Dossier, kind: str, *, now: datetime | None = None) -> list[OutboxMessage]:
    """Queue the notices of `kind` for the applicant (e-mail and SMS where given), in the caller's
    transaction; returns the messages queued."""
    notice = dossier_notice(dossier, kind)
    if notice is None:
        return []
    messages = []
    if email := dossier.applicant_email.strip():
        content = {"subject": notice.subject, "body": notice.body + _footer(dossier), "slip": notice.slip}
        messages.append(outbox_enqueue(channel=EMAIL, payload=json.dumps(content, ensure_ascii=False).encode(),
                                       recipient=email, subject=notice.subject[:200], dossier=dossier, now=now))  # fmt: skip
    phone = normalise_phone(dossier.applicant_phone)
    if dossier.applicant_phone.strip() and phone is None:
        logger.warning("dossier %s: phone number not usable for SMS, notice %s not sent by SMS", dossier.pk, kind)
    if phone:
        messages.append(outbox_enqueue(channel=SMS, payload=_sms_text(notice.sms).encode(), recipient=phone,
                                       subject=notice.subject[:200], dossier=dossier, now=now))  # fmt: skip
    return messages
