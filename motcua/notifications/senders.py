"""How each outbox channel delivers a message: one small function per channel, listed in SENDERS.

A sender either returns (delivered) or raises DeliveryError with a message staff can act on.
"""

from __future__ import annotations

import importlib
import json
import logging
import smtplib
import socket
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from .models import OutboxMessage, Printer

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Delivery failed; the text says what to check (printer off, wrong address…)."""


def _timeout() -> float:
    return float(settings.MOTCUA.get("PRINTER_TIMEOUT_SECONDS", 5))


def _network_reason(error: OSError) -> str:
    if isinstance(error, ConnectionRefusedError):
        return _("máy in từ chối kết nối (máy tắt hoặc sai cổng)")
    if isinstance(error, TimeoutError | socket.timeout):
        return _("máy in không phản hồi sau %(seconds)s giây") % {"seconds": f"{_timeout():g}"}
    if isinstance(error, socket.gaierror):
        return _("không tìm thấy địa chỉ máy in")
    return error.strerror or str(error)


def _send_tcp(printer: Printer, data: bytes) -> None:
    """Raw TCP (port 9100, 'JetDirect'): what network receipt printers accept."""
    try:
        with socket.create_connection((printer.host, printer.port), timeout=_timeout()) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
    except OSError as error:
        raise DeliveryError(_network_reason(error)) from error


def _write_device(printer: Printer, data: bytes) -> None:
    """A printer attached to this machine (/dev/usb/lp0) or a file that stands for one."""
    try:
        with open(printer.device_path, "wb") as device:
            device.write(data)
    except FileNotFoundError as error:
        raise DeliveryError(_("không tìm thấy thiết bị %(path)s") % {"path": printer.device_path}) from error
    except PermissionError as error:
        raise DeliveryError(_("không có quyền ghi vào %(path)s") % {"path": printer.device_path}) from error
    except OSError as error:
        raise DeliveryError(error.strerror or str(error)) from error


def send_to_printer(message: OutboxMessage) -> None:
    printer = message.printer
    if printer is None:
        raise DeliveryError(_("tin in không gắn với máy in nào"))
    if not printer.is_active:
        raise DeliveryError(_("máy in đang tắt trong cấu hình"))
    data = bytes(message.payload)
    if printer.kind == Printer.Kind.NETWORK:
        _send_tcp(printer, data)
    else:
        _write_device(printer, data)


def send_sms(message: OutboxMessage) -> None:
    """The text (UTF-8 payload) to the phone in `recipient`, through the configured SMS backend."""
    from .sms import sms_backend  # sms.py raises this module's DeliveryError

    sms_backend().send(message.recipient, bytes(message.payload).decode("utf-8"))


def slip_renderer() -> Callable[[Any], bytes] | None:
    """`dossiers.slips.slip_pdf(slip) -> bytes` when that module is installed, else None."""
    try:
        module = importlib.import_module("motcua.dossiers.slips")
    except ImportError:
        return None
    return getattr(module, "slip_pdf", None)


def _slip_attachment(message: OutboxMessage, kind: str | None) -> tuple[str, bytes] | None:
    """The latest paper of `kind` of the message's dossier as a PDF, drawn here in the worker.

    A paper that cannot be drawn does not hold the notice back: the text carries the code and
    the tracking link, which is what the citizen needs; the failure is logged for staff.
    """
    render = slip_renderer()
    if not kind or render is None or message.dossier_id is None:
        return None
    from motcua.dossiers.models import DossierSlip

    slip = DossierSlip.objects.filter(dossier_id=message.dossier_id, kind=kind).order_by("-created_at", "-id").first()
    if slip is None:
        return None
    try:
        pdf = render(slip)
    except Exception:  # noqa: BLE001 - see the docstring
        logger.exception("outbox message %s: slip %s could not be drawn", message.pk, slip.pk)
        return None
    code = (slip.payload or {}).get("code") or str(message.dossier_id)
    return f"{kind}-{code}.pdf", bytes(pdf)


def send_email(message: OutboxMessage) -> None:
    """`{"subject", "body", "slip"}` (JSON payload) to the address in `recipient`, via EMAIL_BACKEND."""
    content = json.loads(bytes(message.payload).decode("utf-8"))
    email = EmailMessage(
        subject=content["subject"], body=content["body"], to=[message.recipient],
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
    )  # fmt: skip
    if attachment := _slip_attachment(message, content.get("slip")):
        email.attach(attachment[0], attachment[1], "application/pdf")
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(_("máy chủ thư không nhận thư: %(error)s") % {"error": error}) from error


# Channels and their senders.
SENDERS: dict[str, Callable[[OutboxMessage], None]] = {
    "printer": send_to_printer,
    "email": send_email,
    "sms": send_sms,
}
