"""Parsing and validating session lists such as `07:00-10:30, 13:00-16:30`."""

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SPAN_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")

Session = tuple[time, time]


def parse_clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def sessions_from_json(raw: list[list[str]] | list[tuple[str, str]]) -> list[Session]:
    return [(parse_clock(start), parse_clock(end)) for start, end in raw]


def sessions_to_text(raw: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in raw)


def sessions_from_text(text: str) -> list[list[str]]:
    """Parse `07:00-11:30, 13:30-17:00`; raise ValidationError with a Vietnamese message."""
    spans: list[list[str]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _SPAN_RE.match(part)
        if not match:
            raise ValidationError(_("“%(part)s” không đúng dạng giờ, ví dụ 07:00-11:30.") % {"part": part})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValidationError(_("“%(part)s” có giờ không hợp lệ.") % {"part": part})
        spans.append([f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"])
    validate_sessions(spans)
    return spans


def validate_sessions(spans: list[list[str]]) -> None:
    if not spans:
        raise ValidationError(_("Cần ít nhất một buổi làm việc."))
    previous_end: time | None = None
    for start, end in sessions_from_json(spans):
        if start >= end:
            raise ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."))
        if previous_end and start < previous_end:
            raise ValidationError(_("Các buổi phải theo thứ tự thời gian và không chồng nhau."))
        previous_end = end
