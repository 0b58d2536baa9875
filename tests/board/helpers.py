"""Queue moves used by the board tests, at fixed moments (services take `now`)."""

from __future__ import annotations

from datetime import timedelta

from motcua.queueing.services import ticket_call_next, ticket_issue, ticket_recall


def issue(hall, queue, n: int = 1, *, minutes: int = 0):
    return [ticket_issue(queue=queue, channel="kiosk", now=hall.now + timedelta(minutes=minutes, seconds=i)) for i in range(n)]


def call(hall, number: int, *, minutes: int = 1):
    counter = hall.counters[number]
    return ticket_call_next(counter=counter, officer=hall.officers[number], now=hall.now + timedelta(minutes=minutes))


def recall(hall, ticket, number: int, *, minutes: int = 2):
    return ticket_recall(ticket=ticket, officer=hall.officers[number], now=hall.now + timedelta(minutes=minutes))
