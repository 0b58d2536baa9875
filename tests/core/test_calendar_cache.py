"""The in-process calendar cache: used outside transactions, never stale after a write or rollback."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from motcua.core import calendar as calendar_module
from motcua.core.calendar import calendar_changed, calendar_for_center
from motcua.core.models import CalendarDay, Center

MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar_changed()
    yield
    calendar_changed()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rows_are_loaded_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar_for_center(None)
    with django_assert_num_queries(0):
        assert calendar_for_center(None).is_working_day(MONDAY)


@pytest.mark.django_db(transaction=True)
def test_a_saved_or_deleted_row_is_seen_at_once():
    assert calendar_for_center(None).is_working_day(MONDAY)
    row = CalendarDay.objects.create(date=MONDAY, kind="day_off", name="Nghỉ")
    assert not calendar_for_center(None).is_working_day(MONDAY)
    row.kind = "workday"
    row.save()
    assert calendar_for_center(None).is_working_day(MONDAY)
    row.kind = "holiday"
    row.save()
    assert not calendar_for_center(None).is_working_day(MONDAY)
    row.delete()
    assert calendar_for_center(None).is_working_day(MONDAY)


@pytest.mark.django_db(transaction=True)
def test_each_center_has_its_own_cached_rows():
    center = Center.objects.create(code="x", name="X", address="-")
    assert calendar_for_center(center).is_working_day(MONDAY)
    CalendarDay.objects.create(center=center, date=MONDAY, kind="day_off", name="Nghỉ")
    assert not calendar_for_center(center).is_working_day(MONDAY)
    assert calendar_for_center(None).is_working_day(MONDAY)


@pytest.mark.django_db(transaction=True)
def test_rows_seen_inside_a_rolled_back_transaction_are_not_kept():
    calendar_for_center(None)  # warm the cache
    with pytest.raises(RuntimeError), transaction.atomic():
        # bulk_create sends no signals: only "never cache inside a transaction" protects us.
        CalendarDay.objects.bulk_create([CalendarDay(date=MONDAY, kind="day_off", name="Nghỉ")])
        assert not calendar_for_center(None).is_working_day(MONDAY)
        raise RuntimeError("roll back")
    assert calendar_for_center(None).is_working_day(MONDAY)


@pytest.mark.django_db(transaction=True)
def test_writes_that_bypass_signals_call_calendar_changed():
    row = CalendarDay.objects.create(date=MONDAY, kind="day_off", name="Nghỉ")
    assert not calendar_for_center(None).is_working_day(MONDAY)
    CalendarDay.objects.filter(pk=row.pk).update(kind="workday")
    calendar_changed()
    assert calendar_for_center(None).is_working_day(MONDAY)


@pytest.mark.django_db(transaction=True)
def test_cached_rows_expire_for_changes_made_by_other_processes(settings, django_assert_num_queries):
    settings.MOTCUA = {**settings.MOTCUA, "CALENDAR_CACHE_SECONDS": 0}
    calendar_for_center(None)
    with django_assert_num_queries(1):
        calendar_for_center(None)


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_cached(django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar_for_center(None)
        calendar_for_center(None)
    assert calendar_module._cache == {}
