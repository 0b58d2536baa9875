"""Scarce things under real concurrency (DESIGN rule 4): threads, each with its own connection.

On PostgreSQL these exercise the row locks (FOR UPDATE on the day's number row, SKIP LOCKED on
call-next); on SQLite the same code runs with writers serialised by IMMEDIATE transactions.
"""

from __future__ import annotations

import threading
import time
from collections import Counter as Tally
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection

from motcua.accounts.models import User
from motcua.core.models import Center
from motcua.queueing.models import Ticket, TicketEvent
from motcua.queueing.services import ticket_call_next, ticket_issue

from .conftest import TUESDAY_8AM, make_counter, make_queue

THREADS = 24


def _patiently(call: Callable[[], Any]) -> Any:
    """Run one service call, waiting out SQLite's shared-cache table locks.

    The SQLite test database is in memory with a shared cache, whose table locks fail at once
    ("database table is locked") instead of honouring the 20 s busy timeout a file database
    has. Waiting and retrying here gives the same serialised behaviour; every failed attempt
    rolled back as a whole, so the service's own guarantees are what the asserts check.
    PostgreSQL never takes this path.
    """
    for _attempt in range(2000):
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("SQLite stayed locked")


def _run_in_threads(work: Callable[[int], Any], count: int = THREADS) -> list[Any]:
    """Run work(i) in `count` threads released together; re-raise the first error."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def runner(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def plain_center(transactional_db):
    # No demo organisation: flushing it after every transactional test would be slow, and an
    # ordinary weekday with the default reception sessions is all these tests need.
    return Center.objects.create(code="ct", name="Trung tâm thử", address="109 Nguyễn Trãi")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_contiguous_unique_numbers(plain_center):
    queue = make_queue(plain_center, "b")
    per_thread = 3

    def issue(i: int) -> list[int]:
        now = TUESDAY_8AM + timedelta(seconds=i)
        return [
            _patiently(lambda: ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=now)).number
            for _ in range(per_thread)
        ]

    numbers = [n for batch in _run_in_threads(issue) for n in batch]
    total = THREADS * per_thread
    assert sorted(numbers) == list(range(1, total + 1))
    stored = list(Ticket.objects.filter(queue=queue).values_list("number", flat=True))
    assert sorted(stored) == list(range(1, total + 1))
    assert queue.daily_numbers.get().last_number == total


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_issue_of_the_day_creates_one_number_row(plain_center):
    queue = make_queue(plain_center, "f")
    numbers = _run_in_threads(
        lambda i: _patiently(lambda: ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)).number
    )
    assert sorted(numbers) == list(range(1, THREADS + 1))
    assert queue.daily_numbers.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_call_next_hands_each_ticket_to_one_counter(plain_center):
    queue = make_queue(plain_center, "b")
    tickets = [
        ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM + timedelta(seconds=s))
        for s in range(THREADS * 2 + 5)
    ]
    officers = [User.objects.create(username=f"cb{i}") for i in range(THREADS)]
    counters = [make_counter(plain_center, i + 1, [queue], officer=officers[i]) for i in range(THREADS)]
    now = TUESDAY_8AM + timedelta(hours=1)

    def call_until_empty(i: int) -> list[int]:
        taken = []
        call = lambda: ticket_call_next(counter=counters[i], officer=officers[i], now=now)  # noqa: E731
        while (ticket := _patiently(call)) is not None:
            taken.append(ticket.pk)
        return taken

    taken = [pk for batch in _run_in_threads(call_until_empty) for pk in batch]
    assert sorted(taken) == sorted(t.pk for t in tickets)  # every ticket, none twice
    calls = Tally(TicketEvent.objects.filter(action="queueing.ticket.called").values_list("ticket_id", flat=True))
    assert set(calls.values()) == {1}
    assert len(calls) == len(tickets)
    assert not Ticket.objects.filter(status=Ticket.Status.WAITING).exists()
