"""Staffing advice from a center's tickets: arrivals, service time, counters that served, Erlang C."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.queueing.models import Ticket
from motcua.reports.erlang import counters_needed
from motcua.reports.staffing import staffing_advice
from tests.dossiers.conftest import local
from tests.queueing.conftest import make_counter, make_queue

pytestmark = pytest.mark.django_db
TUESDAYS = (date(2026, 3, 3), date(2026, 3, 10))


def served_ticket(queue, counter, day: date, number: int, minute: int, *, service_minutes: int = 6) -> Ticket:
    issued = local(day.year, day.month, day.day, 8, minute)
    called = issued + timedelta(minutes=2)
    return Ticket.objects.create(
        center=queue.center, queue=queue, business_date=day, number=number, display_number=number,
        code=f"{queue.prefix}{number:03d}", channel=Ticket.Channel.KIOSK, status=Ticket.Status.DONE,
        issued_at=issued, queued_at=issued, called_at=called, started_at=called,
        finished_at=called + timedelta(minutes=service_minutes), counter=counter,
    )  # fmt: skip


@pytest.fixture
def busy_mornings(center):
    queue = make_queue(center, "b", name="Tư pháp", prefix="B")
    counter = make_counter(center, 1, [queue])
    for day in TUESDAYS:
        for number in range(1, 11):
            served_ticket(queue, counter, day, number, minute=number * 5)
    served_ticket(queue, counter, date(2026, 3, 7), 1, 0)  # a Saturday: not a typical working day
    return queue


def test_ten_an_hour_at_six_minutes_need_two_counters_where_one_served(center, busy_mornings):
    advice = staffing_advice(center=center, start=date(2026, 3, 1), end=date(2026, 3, 31), target_share=0.8,
                             target_seconds=900)  # fmt: skip
    [queue] = advice
    assert queue.queue == busy_mornings and queue.service_seconds == pytest.approx(360)
    eight = next(hour for hour in queue.hours if hour.hour == 8)
    assert eight.arrivals == pytest.approx(10) and eight.served_by == pytest.approx(1)
    expected = counters_needed(arrivals_per_hour=10, service_seconds=360, target_share=0.8, target_seconds=900)
    assert eight.advice == expected and eight.advice.counters == 2 and eight.short
    quiet = next(hour for hour in queue.hours if hour.hour == 14)
    assert quiet.arrivals == 0 and quiet.advice is None and not quiet.short


def test_saturdays_count_only_when_asked(center, busy_mornings):
    [queue] = staffing_advice(center=center, start=date(2026, 3, 7), end=date(2026, 3, 7), target_share=0.8,
                              target_seconds=900, weekdays=(6,))  # fmt: skip
    eight = next(hour for hour in queue.hours if hour.hour == 8)
    assert eight.arrivals == 1 and eight.advice.counters == 1 and not eight.short


def test_no_tickets_no_advice(center):
    make_queue(center, "c", name="Xây dựng", prefix="C")
    [queue] = staffing_advice(center=center, start=date(2026, 3, 1), end=date(2026, 3, 31), target_share=0.8,
                              target_seconds=900)  # fmt: skip
    assert queue.service_seconds == 8 * 60 and all(hour.advice is None for hour in queue.hours)


def test_rare_hours_are_not_flagged_short():
    from motcua.reports.erlang import counters_needed as needed
    from motcua.reports.staffing import HourAdvice

    advice = needed(arrivals_per_hour=0.4, service_seconds=600, target_share=0.8, target_seconds=900)
    assert advice.counters == 1 and not HourAdvice(14, 0.4, advice, 0.3).short
    busy = needed(arrivals_per_hour=12, service_seconds=600, target_share=0.8, target_seconds=900)
    assert HourAdvice(9, 12, busy, 1.0).short and not HourAdvice(9, 12, busy, busy.counters - 0.4).short
