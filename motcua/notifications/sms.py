"""Text messages to citizens: one small interface, `SmsBackend.send(phone, text)`, and three backends.

`MOTCUA["SMS_BACKEND"]` chooses one: "console" (the log, for development), "file" (one JSON line
per message under `VAR_DIR/sms/`, for a demo or a gateway that picks files up) or "http" (POST
`{"to", "text"}` to `MOTCUA["SMS_HTTP_URL"]` with a bearer token — the shape most Vietnamese
brand-name SMS gateways accept behind a small adapter). A backend raises `DeliveryError` when
the message did not go out, so the outbox tries again later.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .senders import DeliveryError

logger = logging.getLogger(__name__)

# Vietnamese numbers: 0 + 9 digits (mobile) or 0 + 10 digits (landline, 02xx); 84… is the same
# number in international form, which is what gateways expect.
_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"^0(\d{9,10})$")
_INTERNATIONAL = re.compile(r"^84(\d{9,10})$")


def normalise_phone(raw: str) -> str | None:
    """`0912 345 678`, `+84912345678`, `84912345678` → `84912345678`; None when it is no VN number."""
    phone = _SEPARATORS.sub("", raw or "").removeprefix("+")
    if match := _NATIONAL.match(phone):
        return "84" + match.group(1)
    if _INTERNATIONAL.match(phone):
        return phone
    return None


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send `text` to `phone` (84… form) or raise DeliveryError."""


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class FileBackend:
    """Appends `{"at", "to", "text"}` lines to `<directory>/sms-YYYY-MM-DD.jsonl`."""

    _lock = threading.Lock()  # outbox threads of one process write the same file

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, phone: str, text: str, *, now: datetime | None = None) -> None:
        now = timezone.localtime(now or timezone.now())
        line = json.dumps({"at": now.isoformat(), "to": phone, "text": text}, ensure_ascii=False)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._lock, (self.directory / f"sms-{now:%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        except OSError as error:
            raise DeliveryError(_("không ghi được tệp tin nhắn: %(error)s") % {"error": error}) from error


class HttpBackend:
    """POST JSON to a gateway; anything but a 2xx answer is a failed attempt."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, phone: str, text: str) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryError(_("chưa cấu hình địa chỉ http(s) của cổng SMS (SMS_HTTP_URL)"))
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url, data=json.dumps({"to": phone, "text": text}, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the scheme is checked above
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise DeliveryError(_("không kết nối được cổng SMS: %(reason)s") % {"reason": reason}) from error
        if not 200 <= status < 300:
            raise DeliveryError(_("cổng SMS trả lời HTTP %(status)s") % {"status": status})


def sms_backend() -> SmsBackend:
    """The backend named by `MOTCUA["SMS_BACKEND"]` (read on every send: tests and admins change it)."""
    motcua = settings.MOTCUA
    name = motcua.get("SMS_BACKEND", "console")
    if name == "file":
        return FileBackend(Path(getattr(settings, "VAR_DIR", Path("var"))) / "sms")
    if name == "http":
        timeout = float(motcua.get("SMS_HTTP_TIMEOUT_SECONDS", 10))
        return HttpBackend(motcua.get("SMS_HTTP_URL", ""), motcua.get("SMS_HTTP_TOKEN", ""), timeout)
    if name == "console":
        return ConsoleBackend()
    raise DeliveryError(_("kiểu gửi SMS không hợp lệ: %(name)s") % {"name": name})
