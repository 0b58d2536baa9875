"""The two hot paths stay lean: issuing a number and calling the next one.

The query budgets are ceilings, not exact counts: they fail when a change adds a round trip to
every ticket (bench/queue_load.py measures what that costs under load).
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine

from motcua.core import sequences
from motcua.devices.services import device_create
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.models import DailyNumber, Ticket
from motcua.queueing.services import ticket_call_next, ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

pytestmark = pytest.mark.django_db
DAY = TUESDAY_8AM.date()


def _issue(queue, minutes: int = 0, **fields):
    return ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM + timedelta(minutes=minutes), **fields)


def test_numbers_follow_on_from_the_days_row(queue):
    assert [_issue(queue).number for _ in range(3)] == [1, 2, 3]
    assert DailyNumber.objects.get(queue=queue, business_date=DAY).last_number == 3


def test_a_refusal_gives_the_number_back(center):
    capped = make_queue(center, "d", daily_cap=1)
    _issue(capped)
    with pytest.raises(TicketIssueRefused):
        _issue(capped)
    assert DailyNumber.objects.get(queue=capped).last_number == 1  # the refused increment rolled back


def test_losing_the_race_to_create_the_days_row_takes_the_next_number(queue):
    """Another kiosk inserted the day's row between our UPDATE (no row yet) and our INSERT."""
    DailyNumber.objects.create(center=queue.center, queue=queue, business_date=DAY, last_number=4)
    real_bump, calls = sequences.bump, []

    def bump_missing_first(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real_bump(*args, **kwargs)

    with mock.patch.object(sequences, "bump", bump_missing_first):
        ticket = _issue(queue)
    assert (ticket.number, len(calls)) == (5, 2)
    assert DailyNumber.objects.filter(queue=queue).count() == 1


def test_each_queue_and_day_has_its_own_sequence(center, queue):
    other = make_queue(center, "c")
    assert (_issue(queue).number, _issue(other).number, _issue(queue).number) == (1, 1, 2)
    tomorrow = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM + timedelta(days=1))
    assert tomorrow.number == 1


def test_issuing_through_the_api_stays_within_its_query_budget(client, center, queue, counter, django_assert_max_num_queries):
    token = device_create(center=center, kind="kiosk", name="Kiosk")[1]
    body = {"center": center.code, "queue": queue.code}
    with time_machine.travel(TUESDAY_8AM, tick=False):
        post = lambda: client.post(  # noqa: E731
            "/api/v1/queue/tickets", body, content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}"
        )
        assert post().status_code == 201  # the device's first call also notes it was seen
        # device (with its center), queue, the calendar (cached per worker, but never inside the
        # test's transaction), savepoint, number, ticket, history row, release, estimate (ahead,
        # recent services, open counters); the push runs after commit, which a test never reaches
        with django_assert_max_num_queries(11):
            response = post()
    assert response.status_code == 201 and response.json()["estimated_wait_minutes"] is not None


def test_call_next_reads_one_head_per_queue_when_no_priority_waits(
    center, queue, reception_officer, django_assert_max_num_queries
):
    other = make_queue(center, "c")
    counter = make_counter(center, 5, [queue, other], officer=reception_officer)
    for minutes in range(3):
        _issue(queue, minutes)
        _issue(other, minutes)
    ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=5))
    # lock the counter, finish the current (read, update, history), links, 2 heads, claim,
    # read the winner, history row — and savepoints around it
    with django_assert_max_num_queries(12):
        ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM + timedelta(minutes=6))


def test_call_next_passes_priority_over_after_the_streak_even_across_queues(
    center, queue, reception_officer, elderly, settings
):
    settings.MOTCUA = {**settings.MOTCUA, "QUEUE_MAX_PRIORITY_IN_ROW": 1}
    other = make_queue(center, "c")
    counter = make_counter(center, 5, [queue, other], officer=reception_officer)
    normal = _issue(queue, 0)  # after the first call, behind a priority ticket of its own queue
    _issue(other, 1, priority=elderly)  # called first: the longest priority wait
    _issue(queue, 2, priority=elderly)
    later = TUESDAY_8AM + timedelta(minutes=10)
    called = [ticket_call_next(counter=counter, officer=reception_officer, now=later + timedelta(seconds=i)) for i in range(3)]
    assert [t.priority_id is not None for t in called] == [True, False, True]
    assert called[1].pk == normal.pk
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 0
