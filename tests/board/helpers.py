"""Queue moves used by the board tests, at fixed moments (services take `now`)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from django.db import connections

from motcua.queueing.services import ticket_call_next, ticket_issue, ticket_recall


def issue(hall, queue, n: int = 1, *, minutes: int = 0):
    return [ticket_issue(queue=queue, channel="kiosk", now=hall.now + timedelta(minutes=minutes, seconds=i)) for i in range(n)]


def call(hall, number: int, *, minutes: int = 1):
    counter = hall.counters[number]
    return ticket_call_next(counter=counter, officer=hall.officers[number], now=hall.now + timedelta(minutes=minutes))


def recall(hall, ticket, number: int, *, minutes: int = 2):
    return ticket_recall(ticket=ticket, officer=hall.officers[number], now=hall.now + timedelta(minutes=minutes))


def run_async(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """Run an async scenario to its end from a test, in a thread of its own.

    Its own thread because the browser tests' Playwright keeps an event loop in the main thread
    for the whole session, and asgiref refuses to start another one there. Database work the
    scenario does through `database_sync_to_async` runs in that thread too, so the tests using
    this are transactional, and the thread's connections are closed at the end.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = async_to_sync(scenario)()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
