"""How each outbox channel delivers a message: one small function per channel, listed in SENDERS.

A sender either returns (delivered) or raises DeliveryError with a message staff can act on.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from .models import OutboxMessage, Printer


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


# Channels and their senders; SMS and e-mail adapters join this table.
SENDERS: dict[str, Callable[[OutboxMessage], None]] = {
    "printer": send_to_printer,
}
