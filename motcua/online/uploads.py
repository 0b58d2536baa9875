"""What an uploaded file really is, judged by its bytes — never by its name or the browser's word.

A citizen's phone may call a photo `scan.pdf`, and a renamed program must never reach an
officer's screen. PDFs are recognised by their header and end-of-file marker; images must
also survive Pillow's `verify()`, which parses the whole file without decoding pixels.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import OnlineError
from .models import Attachment

PDF = Attachment.ContentType.PDF
JPEG = Attachment.ContentType.JPEG
PNG = Attachment.ContentType.PNG
EXTENSIONS: dict[str, str] = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
_HEAD = 1024
_TAIL = 2048


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(settings.MOTCUA.get("UPLOAD_MAX_MB", 10)) * 1024 * 1024


def max_mb() -> int:
    return int(settings.MOTCUA.get("UPLOAD_MAX_MB", 10))


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def _wrong_type() -> OnlineError:
    return OnlineError(
        "upload.wrong_type",
        _("Tệp này không phải PDF, JPEG hoặc PNG. Vui lòng chọn bản chụp hoặc bản quét giấy tờ ở một trong ba dạng này."),
    )


def _pdf_complete(stream: IO[bytes], size: int) -> bool:
    stream.seek(max(0, size - _TAIL))
    return b"%%EOF" in stream.read(_TAIL)


def _image_valid(stream: IO[bytes]) -> bool:
    from PIL import Image, UnidentifiedImageError

    stream.seek(0)
    try:
        with Image.open(stream) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _digest(stream: IO[bytes]) -> str:
    stream.seek(0)
    hasher = hashlib.sha256()
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        hasher.update(chunk)
    return hasher.hexdigest()


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    return stream.tell()


def check_upload(stream: IO[bytes]) -> CheckedFile:
    """The file's real type, size and digest; OnlineError with a plain message otherwise."""
    size = _size(stream)
    if size == 0:
        raise OnlineError("upload.empty", _("Tệp đã chọn không có nội dung (0 byte). Vui lòng chọn lại tệp."))
    if size > max_bytes():
        raise OnlineError(
            "upload.too_big",
            _("Tệp quá lớn (%(size)s MB). Dung lượng tối đa là %(max)d MB; vui lòng chụp hoặc quét lại với chất lượng thấp hơn.")
            % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ","), "max": max_mb()},
        )
    stream.seek(0)
    kind = _sniff(stream.read(_HEAD))
    if kind is None:
        raise _wrong_type()
    if kind == PDF and not _pdf_complete(stream, size):
        raise OnlineError("upload.damaged", _("Tệp PDF bị hỏng hoặc chưa được tải lên hết. Vui lòng chọn lại tệp."))
    if kind != PDF and not _image_valid(stream):
        raise OnlineError("upload.damaged", _("Ảnh bị hỏng hoặc không mở được. Vui lòng chụp lại hoặc chọn tệp khác."))
    stream.seek(0)
    return CheckedFile(content_type=kind, extension=EXTENSIONS[kind], size=size, sha256=_digest(stream))


def clean_original_name(name: str) -> str:
    """The name as the citizen knows it, without a path, control characters or excess length."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-200:] or _("tep-dinh-kem")
