"""Deadlines and working days on the seeded Vietnamese calendar (DOMAIN.md §1.4, §7, rules 4–6, 18).

Working sessions are the defaults 07:00–11:30 and 13:30–17:00 (8 hours a day); every expected
time below is Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from motcua.core.calendar import CalendarError, calendar_for_center, procedure_due_at
from motcua.core.choices import TimeUnit
from motcua.core.models import CalendarDay, Center

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WD, WH, CD, SAME, NONE = (
    TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.CALENDAR_DAYS, TimeUnit.SAME_DAY, TimeUnit.NONE,
)  # fmt: skip


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def cal(organisation):
    return calendar_for_center(None)


def due(cal, at, value, unit, cutoff=None):
    return cal.due_at(at, value=value, unit=unit, cutoff=cutoff)


# --- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before Tết
        *[(date(2026, 2, d), False) for d in range(16, 21)],  # Tết 2026, Mon–Fri
        (date(2026, 2, 23), True),
        *[(date(2027, 2, d), False) for d in range(4, 11)],  # Tết 2027, Thu–Wed
        (date(2027, 2, 11), True),
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # make-up Saturday
        (date(2026, 8, 29), False),  # an ordinary Saturday
        (date(2026, 8, 31), False),  # the day off swapped for 22/08
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 11, 24), False),  # Vietnamese Culture Day, from 2026
        (date(2025, 11, 24), True),  # …a normal Monday in 2025
        (date(2026, 3, 1), False),  # Sunday
    ],
)
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


def test_next_working_day_skips_tet_and_weekend(cal):
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert cal.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)
    assert cal.working_day_on_or_after(date(2026, 8, 22)) == date(2026, 8, 22)
    assert cal.working_day_on_or_after(date(2026, 8, 29)) == date(2026, 9, 3)


def test_days_off_and_make_up_days_for_2026(cal):
    off = {e.date: e for e in cal.days_off(2026)}
    assert [date(2026, 2, d) for d in range(16, 21)] == sorted(d for d in off if d.month == 2)
    assert off[date(2026, 8, 31)].kind == CalendarDay.Kind.DAY_OFF
    assert off[date(2026, 9, 2)].kind == CalendarDay.Kind.HOLIDAY
    assert date(2026, 11, 24) in off and date(2026, 8, 22) not in off
    assert all(e.scope == "province" for e in off.values())
    assert list(off) == sorted(off)
    assert [e.date for e in cal.make_up_days(2026)] == [date(2026, 8, 22)]


# --- N working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "value", "expected"),
    [
        (vn(2026, 3, 2, 7), 1, vn(2026, 3, 2, 17)),  # exactly a day ends at the close, not next morning
        (vn(2026, 3, 2, 7), 2, vn(2026, 3, 3, 17)),
        (vn(2026, 3, 2, 10), 1, vn(2026, 3, 3, 10)),
        (vn(2026, 2, 13, 10), 1, vn(2026, 2, 23, 10)),  # across Tết 2026
        (vn(2027, 2, 3, 16), 2, vn(2027, 2, 12, 16)),  # across Tết 2027
        (vn(2026, 8, 21, 15), 1, vn(2026, 8, 22, 15)),  # counts the make-up Saturday
        (vn(2026, 8, 28, 17), 1, vn(2026, 9, 3, 17)),  # skips 31/08 and National Day
        (vn(2026, 4, 29, 8), 2, vn(2026, 5, 5, 8)),  # skips 30/4–1/5
        (vn(2026, 11, 23, 7), 2, vn(2026, 11, 25, 17)),  # 24/11/2026 is off…
        (vn(2025, 11, 21, 7), 2, vn(2025, 11, 24, 17)),  # …24/11/2025 is not
    ],
)
def test_working_days(cal, accepted, value, expected):
    assert due(cal, accepted, value, WD) == expected


def test_acceptance_during_lunch_counts_from_afternoon_opening(cal):
    assert due(cal, vn(2026, 3, 2, 12), 1, WD) == vn(2026, 3, 3, 11, 30)


def test_acceptance_after_hours_counts_from_next_morning(cal):
    assert due(cal, vn(2026, 3, 2, 18), 1, WD) == vn(2026, 3, 3, 17)


def test_acceptance_before_opening_counts_from_opening(cal):
    assert due(cal, vn(2026, 3, 2, 6, 15), 1, WD) == vn(2026, 3, 2, 17)


def test_acceptance_on_sunday_counts_from_monday(cal):
    assert due(cal, vn(2026, 3, 1, 10), 1, WD) == vn(2026, 3, 2, 17)


@pytest.mark.parametrize(
    ("accepted", "value", "expected"),
    [
        (vn(2026, 3, 2, 7), Decimal("0.5"), vn(2026, 3, 2, 11)),
        (vn(2026, 3, 2, 10), Decimal("0.5"), vn(2026, 3, 2, 16)),
        (vn(2026, 3, 2, 7), Decimal("1.5"), vn(2026, 3, 3, 11)),
        (vn(2026, 3, 2, 7), Decimal("0"), vn(2026, 3, 2, 7)),
    ],
)
def test_fractional_working_days(cal, accepted, value, expected):
    assert due(cal, accepted, value, WD) == expected


# --- working hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "value", "expected"),
    [
        (vn(2026, 3, 2, 10), 4, vn(2026, 3, 2, 16)),
        (vn(2026, 3, 2, 12), 4, vn(2026, 3, 3, 7, 30)),  # from lunch
        (vn(2026, 3, 2, 7), Decimal("4.5"), vn(2026, 3, 2, 11, 30)),  # reaches the morning close exactly
        (vn(2026, 2, 13, 16), 2, vn(2026, 2, 23, 8)),
    ],
)
def test_working_hours(cal, accepted, value, expected):
    assert due(cal, accepted, value, WH) == expected


def test_working_time_between_measures_a_paused_clock(cal):
    assert cal.working_time_between(vn(2026, 3, 2, 10), vn(2026, 3, 3, 8)) == timedelta(hours=6)
    assert cal.working_time_between(vn(2026, 2, 13, 16), vn(2026, 2, 23, 7)) == timedelta(hours=1)
    assert cal.working_time_between(vn(2026, 3, 3), vn(2026, 3, 2)) == timedelta(0)


# --- calendar days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "value", "expected"),
    [
        (vn(2026, 3, 2, 9), 3, vn(2026, 3, 5, 9)),
        (vn(2026, 2, 9, 9), 7, vn(2026, 2, 23, 9)),  # lands on Tết → next working day, same clock
        (vn(2026, 3, 6, 9), 1, vn(2026, 3, 9, 9)),  # lands on Saturday
        (vn(2026, 3, 7, 10), 1, vn(2026, 3, 10, 7)),  # Saturday acceptance snaps to Monday 07:00
        (vn(2026, 2, 13, 9), 10, vn(2026, 2, 23, 9)),  # holidays count as days by default
        (vn(2026, 8, 21, 9), 1, vn(2026, 8, 22, 9)),  # the make-up Saturday is a working day
    ],
)
def test_calendar_days(cal, accepted, value, expected):
    assert due(cal, accepted, value, CD) == expected


def test_calendar_days_can_skip_holidays(cal, settings):
    settings.MOTCUA = {**settings.MOTCUA, "CALENDAR_DAYS_SKIP_HOLIDAYS": True}
    # 14–15 Feb count, Tết 16–20 does not, 21–28 Feb count: day 10 is Saturday 28 → Monday.
    assert due(cal, vn(2026, 2, 13, 9), 10, CD) == vn(2026, 3, 2, 9)


# --- same day and the 15:00 cut-off -------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "expected"),
    [
        (vn(2026, 3, 2, 14, 59), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 15, 0), vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 15, 1), vn(2026, 3, 3, 17)),
        (vn(2026, 3, 2, 6, 30), vn(2026, 3, 2, 17)),  # before opening
        (vn(2026, 3, 2, 18), vn(2026, 3, 3, 17)),  # after hours: snaps to next morning
        (vn(2026, 3, 1, 10), vn(2026, 3, 2, 17)),  # Sunday → Monday
        (vn(2026, 2, 13, 15, 1), vn(2026, 2, 23, 17)),  # after the cut-off before Tết
        (vn(2026, 8, 21, 15, 30), vn(2026, 8, 22, 17)),  # next working day is the make-up Saturday
    ],
)
def test_same_day_with_default_cutoff(cal, accepted, expected):
    assert due(cal, accepted, 0, SAME) == expected


def test_same_day_uses_the_procedure_cutoff(cal):
    assert due(cal, vn(2026, 3, 2, 15, 30), 0, SAME, cutoff=time(16)) == vn(2026, 3, 2, 17)
    assert due(cal, vn(2026, 3, 2, 14, 30), 0, SAME, cutoff=time(14)) == vn(2026, 3, 3, 17)


def test_same_day_default_cutoff_comes_from_settings(cal, settings):
    settings.MOTCUA = {**settings.MOTCUA, "SAME_DAY_CUTOFF": "16:00"}
    assert due(cal, vn(2026, 3, 2, 15, 30), 0, SAME) == vn(2026, 3, 2, 17)


def test_no_time_limit_gives_none(cal):
    assert due(cal, vn(2026, 3, 2, 9), 0, NONE) is None


# --- inputs and outputs -------------------------------------------------------------------


def test_utc_input_gives_local_aware_result(cal):
    result = due(cal, datetime(2026, 3, 2, 0, 0, tzinfo=UTC), 1, WD)  # 07:00 in Vietnam
    assert result == vn(2026, 3, 2, 17)
    assert result.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("kwargs", "accepted"),
    [
        ({"value": 1, "unit": WD}, datetime(2026, 3, 2, 9)),  # noqa: DTZ001 -- naive on purpose
        ({"value": -1, "unit": WD}, vn(2026, 3, 2, 9)),
        ({"value": 1, "unit": "fortnights"}, vn(2026, 3, 2, 9)),
    ],
)
def test_bad_arguments_are_refused(cal, kwargs, accepted):
    with pytest.raises(CalendarError):
        cal.due_at(accepted, **kwargs)


def test_procedure_due_at_reads_the_procedure(center):
    procedure = SimpleNamespace(time_value=Decimal("3"), time_unit=WD, same_day_cutoff=None)
    assert procedure_due_at(procedure=procedure, center=center, accepted_at=vn(2026, 2, 12, 9)) == vn(
        2026, 2, 24, 9
    )
    same_day = SimpleNamespace(time_value=Decimal("0"), time_unit=SAME, same_day_cutoff=time(11))
    assert procedure_due_at(procedure=same_day, center=center, accepted_at=vn(2026, 3, 2, 11, 5)) == vn(
        2026, 3, 3, 17
    )


# --- per-center overrides and sessions ----------------------------------------------------


@pytest.fixture
def centers(organisation):
    return {c.code: c for c in Center.objects.all()}


def test_center_day_off_applies_to_that_center_only(centers):
    CalendarDay.objects.create(center=centers["ninhkieu"], date=date(2026, 3, 2), kind="day_off", name="Bầu cử")
    ninhkieu, cantho = calendar_for_center(centers["ninhkieu"]), calendar_for_center(centers["cantho"])
    assert not ninhkieu.is_working_day(date(2026, 3, 2))
    assert cantho.is_working_day(date(2026, 3, 2))
    assert calendar_for_center(None).is_working_day(date(2026, 3, 2))
    assert ninhkieu.due_at(vn(2026, 2, 27, 7), value=2, unit=WD) == vn(2026, 3, 3, 17)
    assert cantho.due_at(vn(2026, 2, 27, 7), value=2, unit=WD) == vn(2026, 3, 2, 17)
    entry = next(e for e in ninhkieu.days_off(2026) if e.date == date(2026, 3, 2))
    assert (entry.scope, entry.name) == ("center", "Bầu cử")


def test_center_workday_wins_over_province_holiday(centers):
    CalendarDay.objects.create(center=centers["cairang"], date=date(2026, 2, 16), kind="workday", name="Trực Tết")
    cairang = calendar_for_center(centers["cairang"])
    assert cairang.is_working_day(date(2026, 2, 16))
    assert not calendar_for_center(centers["cantho"]).is_working_day(date(2026, 2, 16))
    assert cairang.due_at(vn(2026, 2, 13, 10), value=1, unit=WD) == vn(2026, 2, 16, 10)
    assert date(2026, 2, 16) not in {e.date for e in cairang.days_off(2026)}


def test_center_make_up_saturday(centers):
    CalendarDay.objects.create(center=centers["cantho"], date=date(2026, 3, 7), kind="workday", name="Làm bù")
    cantho = calendar_for_center(centers["cantho"])
    assert cantho.is_working_day(date(2026, 3, 7))
    assert cantho.is_reception_open(vn(2026, 3, 7, 9))
    assert [(e.date, e.scope) for e in cantho.make_up_days(2026)] == [
        (date(2026, 3, 7), "center"), (date(2026, 8, 22), "province"),
    ]  # fmt: skip
    assert not calendar_for_center(centers["ninhkieu"]).is_working_day(date(2026, 3, 7))


def test_center_working_sessions_drive_deadlines(centers):
    center = centers["cantho"]
    center.working_sessions = [["07:30", "11:30"], ["13:30", "17:30"]]
    calendar = calendar_for_center(center)
    assert calendar.due_at(vn(2026, 3, 2, 7), value=1, unit=WD) == vn(2026, 3, 2, 17, 30)
    assert calendar.due_at(vn(2026, 3, 2, 14), value=0, unit=SAME) == vn(2026, 3, 2, 17, 30)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (vn(2026, 3, 2, 6, 59), False),
        (vn(2026, 3, 2, 7), True),
        (vn(2026, 3, 2, 10, 29), True),
        (vn(2026, 3, 2, 10, 30), False),
        (vn(2026, 3, 2, 10, 31), False),
        (vn(2026, 3, 2, 13), True),
        (vn(2026, 3, 2, 16, 31), False),
        (vn(2026, 3, 7, 9), False),  # ordinary Saturday
        (vn(2026, 8, 22, 9), True),  # make-up Saturday
        (vn(2026, 2, 17, 9), False),  # Tết
        (datetime(2026, 3, 2, 0, 30, tzinfo=UTC), True),  # 07:30 in Vietnam
    ],
)
def test_is_reception_open(center, at, is_open):
    assert calendar_for_center(center).is_reception_open(at) is is_open


def test_reception_sessions_are_per_center(centers):
    center = centers["ninhkieu"]
    center.reception_sessions = [["07:30", "11:00"]]
    calendar = calendar_for_center(center)
    assert calendar.is_reception_open(vn(2026, 3, 2, 10, 45))
    assert not calendar.is_reception_open(vn(2026, 3, 2, 13, 30))
