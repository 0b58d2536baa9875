"""The template filters that format money, dates and processing times for every screen."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from motcua.core.templatetags import motcua_tags as tags


def timed(value, unit, cutoff=None):
    return SimpleNamespace(time_value=Decimal(value), time_unit=unit, same_day_cutoff=cutoff)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (timed(10, "working_days"), "10 ngày làm việc"),
        (timed("10.00", "working_days"), "10 ngày làm việc"),
        (timed("0.5", "working_days"), "0,5 ngày làm việc"),
        (timed(15, "calendar_days"), "15 ngày"),
        (timed(4, "working_hours"), "4 giờ làm việc"),
        (timed(0, "same_day", time(15, 0)), "Trong ngày (nhận sau 15:00 trả ngày làm việc tiếp theo)"),
        (timed(0, "same_day"), "Trong ngày"),
        (timed(0, "none"), "Không quy định thời hạn"),
        (timed(0, "working_days"), "Không quy định thời hạn"),
    ],
)
def test_time_in_words_speaks_vietnamese_with_a_decimal_comma(item, expected):
    with translation.override("vi"):
        assert tags.time_in_words(item) == expected


def test_time_in_words_in_english():
    with translation.override("en"):
        assert tags.time_in_words(timed("0.5", "working_days")) == "0.5 working days"
        assert tags.time_in_words(timed(0, "same_day", time(15, 0))) == (
            "Same day (dossiers received after 15:00 are returned the next working day)"
        )


def test_money_and_dates():
    assert tags.vnd(Decimal(50000)) == "50.000 đ"
    assert tags.vnd(None) == ""
    assert tags.vn_date(date(2026, 3, 2)) == "02/03/2026"
    # 09:30 UTC is 16:30 in Can Tho.
    assert tags.vn_datetime(datetime(2026, 3, 2, 9, 30, tzinfo=UTC)) == "16:30 02/03/2026"
    assert tags.vn_datetime(None) == ""


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 3, 2), "Thứ Hai"), (date(2026, 3, 7), "Thứ Bảy"), (date(2026, 3, 8), "Chủ nhật")],
)
def test_weekday_names(day, expected):
    with translation.override("vi"):
        assert tags.vn_weekday(day) == expected


def test_appointment_reads_like_a_sentence():
    due = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with translation.override("vi"):
        assert tags.vn_appointment(due) == "16:30 thứ Hai, 02/03/2026"
        assert tags.vn_appointment(datetime(2026, 3, 8, 3, 0, tzinfo=UTC)) == "10:00 chủ nhật, 08/03/2026"
    with translation.override("en"):
        assert tags.vn_appointment(due) == "16:30 Monday, 02/03/2026"
    assert tags.vn_appointment(None) == ""


def test_weekday_names_for_the_clock_start_on_sunday():
    with translation.override("vi"):
        assert tags.weekday_names().split(",")[:2] == ["Chủ nhật", "Thứ Hai"]


def test_place_name_drops_the_administrative_prefix(settings):
    settings.MOTCUA = {**settings.MOTCUA, "PROVINCE_NAME": "Thành phố Cần Thơ"}
    assert tags.place_name() == "Cần Thơ"


def test_icon_is_escaped_svg():
    html = tags.icon("search", 'x"><script>')
    assert "<script>" not in html
    assert 'href="#i-search"' in html
