"""`calendar_seed`: idempotent, keeps manual rows, refreshes package rows; and its command."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.core.models import CalendarDay, Center
from motcua.core.services import calendar_seed, calendar_sync

pytestmark = pytest.mark.django_db

PACKAGE, MANUAL = CalendarDay.Source.PACKAGE, CalendarDay.Source.MANUAL


def province_rows(year: int) -> dict[date, tuple[str, str, str]]:
    rows = CalendarDay.objects.filter(center__isnull=True, date__year=year)
    return {r.date: (r.kind, r.name, r.source) for r in rows}


def test_seed_stores_tet_swaps_and_make_up_days():
    assert calendar_seed(years=[2026]) == 15
    rows = province_rows(2026)
    assert rows[date(2026, 2, 17)] == ("holiday", "Tết Nguyên Đán", PACKAGE)
    assert rows[date(2026, 8, 22)] == ("workday", "Ngày làm bù", PACKAGE)
    assert rows[date(2026, 8, 31)][0] == "day_off"
    assert rows[date(2026, 11, 24)] == ("holiday", "Ngày Văn hóa Việt Nam", PACKAGE)


def test_seed_is_idempotent():
    first = calendar_seed(years=range(2025, 2028))
    before = province_rows(2026)
    assert calendar_seed(years=range(2025, 2028)) == 0
    assert province_rows(2026) == before
    assert CalendarDay.objects.count() == first


def test_seed_never_overwrites_a_manual_row():
    CalendarDay.objects.create(date=date(2026, 2, 16), kind="workday", name="Trực Tết", source=MANUAL)
    CalendarDay.objects.create(date=date(2026, 3, 2), kind="day_off", name="Nghỉ thêm", source=MANUAL)
    calendar_seed(years=[2026])
    rows = province_rows(2026)
    assert rows[date(2026, 2, 16)] == ("workday", "Trực Tết", MANUAL)
    assert rows[date(2026, 3, 2)] == ("day_off", "Nghỉ thêm", MANUAL)


def test_seed_refreshes_package_rows_and_leaves_center_rows_alone():
    calendar_seed(years=[2026])
    CalendarDay.objects.filter(date=date(2026, 9, 2)).update(name="Sai tên", kind="day_off")
    CalendarDay.objects.create(date=date(2026, 3, 3), kind="holiday", name="Cũ", source=PACKAGE)
    center = Center.objects.create(code="x", name="X", address="-")
    CalendarDay.objects.create(center=center, date=date(2026, 9, 2), kind="workday", name="Trực")
    result = calendar_sync(years=[2026])
    assert [r.date for r in result.updated] == [date(2026, 9, 2)]
    assert [r.date for r in result.removed] == [date(2026, 3, 3)]
    assert result.added == []
    rows = province_rows(2026)
    assert rows[date(2026, 9, 2)] == ("holiday", "Quốc khánh", PACKAGE)
    assert date(2026, 3, 3) not in rows
    assert CalendarDay.objects.get(center=center).kind == "workday"


def test_seed_only_touches_the_years_asked():
    calendar_seed(years=[2026])
    CalendarDay.objects.create(date=date(2025, 3, 3), kind="holiday", name="Khác", source=PACKAGE)
    calendar_seed(years=[2026])
    assert CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar_seed", *args, stdout=out)
    return out.getvalue()


def test_command_prints_what_it_added_and_is_safe_to_rerun():
    output = run("--years", "2026")
    assert "Thêm: 16/02/2026" in output
    assert "Năm 2026: thêm 15, cập nhật 0, xóa 0 ngày." in output
    assert run("--years", "2026").strip() == "Năm 2026: thêm 0, cập nhật 0, xóa 0 ngày."


def test_command_accepts_a_range_of_years():
    output = run("--years", "2025-2028")
    assert "Năm 2025, 2026, 2027, 2028:" in output
    assert CalendarDay.objects.filter(date=date(2027, 2, 10)).exists()
    assert CalendarDay.objects.filter(date=date(2028, 9, 4)).exists()


@pytest.mark.parametrize("years", ["abc", "2028-2025", "20260"])
def test_command_refuses_bad_years(years):
    with pytest.raises(CommandError):
        run("--years", years)
