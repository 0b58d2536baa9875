"""Session lists typed as `07:00-10:30, 13:00-16:30` (used for reception and working hours)."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from motcua.core.sessions import sessions_from_json, sessions_from_text, sessions_to_text, validate_sessions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:00-10:30, 13:00-16:30", [["07:00", "10:30"], ["13:00", "16:30"]]),
        ("7:00 – 11:30,13:30-17:00", [["07:00", "11:30"], ["13:30", "17:00"]]),
        ("08:00-12:00", [["08:00", "12:00"]]),
    ],
)
def test_sessions_from_text(text, expected):
    assert sessions_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00-10:00", "“25:00-10:00” có giờ không hợp lệ."),
        ("07:60-10:00", "“07:60-10:00” có giờ không hợp lệ."),
        ("7h-10h", "“7h-10h” không đúng dạng giờ, ví dụ 07:00-11:30."),
        ("10:00-09:00", "Giờ kết thúc phải sau giờ bắt đầu."),
        ("07:00-11:00, 10:30-12:00", "Các buổi phải theo thứ tự thời gian và không chồng nhau."),
        ("13:00-16:00, 07:00-11:00", "Các buổi phải theo thứ tự thời gian và không chồng nhau."),
        ("", "Cần ít nhất một buổi làm việc."),
    ],
)
def test_sessions_from_text_rejects_with_vietnamese_messages(text, message):
    with pytest.raises(ValidationError) as error:
        sessions_from_text(text)
    assert error.value.messages == [message]


def test_round_trip_between_text_and_json():
    spans = [["07:00", "11:30"], ["13:30", "17:00"]]
    assert sessions_from_text(sessions_to_text(spans)) == spans
    assert sessions_from_json(spans) == [(time(7), time(11, 30)), (time(13, 30), time(17))]


def test_touching_sessions_are_allowed():
    validate_sessions([["07:00", "11:00"], ["11:00", "12:00"]])
