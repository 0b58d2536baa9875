"""Reads for the display boards: what a board shows when it opens, and the polling feed.

A board is public (it hangs in the hall), so everything here is what the hall may see: ticket
codes, counters, waiting counts. No names, no identity. A board of one floor shows that
floor's counters and the calls made at them; the center's board shows every counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from motcua.core.calendar import to_local
from motcua.core.models import Center, Floor

from .broadcast import event_payload, waiting_counts
from .eta import estimates_for_center
from .models import Counter, Queue, Ticket, TicketEvent

# The history rows a board announces, and the kind of board event each becomes.
CALL_ACTIONS = {"queueing.ticket.called": "called", "queueing.ticket.recalled": "recalled"}
FEED_LIMIT = 50
Status = Ticket.Status


@dataclass(frozen=True)
class BoardCall:
    event_id: int
    kind: str  # "called" or "recalled"
    at: datetime
    code: str
    queue_name: str
    counter_id: int
    counter_number: int
    counter_name: str


@dataclass(frozen=True)
class BoardCounter:
    id: int
    number: int
    name: str
    floor: str
    state: str
    ticket: str  # the code being called or served there now, or ""

    def as_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "number", "name", "floor", "state", "ticket")}


@dataclass(frozen=True)
class BoardQueue:
    code: str
    name: str
    prefix: str
    waiting: int
    wait_minutes: int | None = None  # None: no counter open for it now

    @property
    def short_name(self) -> str:
        """"Tư pháp" from "Tư pháp – Chứng thực, hộ tịch": what fits on a board's line."""
        return self.name.split(" – ")[0]


@dataclass(frozen=True)
class BoardSnapshot:
    center: Center
    floor: Floor | None
    day: date
    latest: BoardCall | None
    recent: list[BoardCall]
    counters: list[BoardCounter]
    queues: list[BoardQueue]

    @property
    def last_event_id(self) -> int:
        """The feed is asked for calls after this one when the page's socket is down."""
        return max((call.event_id for call in self.recent), default=0)


def board_floor_get(*, center: Center, code: str) -> Floor | None:
    return Floor.objects.filter(center=center, code=code).first()


def _day(now: datetime) -> date:
    return to_local(now).date()


def _board_counters(center: Center, floor: Floor | None) -> QuerySet[Counter]:
    counters = Counter.objects.filter(center=center).select_related("floor").order_by("number")
    return counters.filter(floor=floor) if floor is not None else counters


def _call_events(center: Center, floor: Floor | None, day: date) -> QuerySet[TicketEvent]:
    events = TicketEvent.objects.filter(
        ticket__center=center, ticket__business_date=day, action__in=CALL_ACTIONS, counter__isnull=False
    ).select_related("ticket__queue", "ticket__priority", "counter__floor")
    return events.filter(counter__floor=floor) if floor is not None else events


def _as_call(event: TicketEvent) -> BoardCall:
    assert event.counter is not None  # _call_events keeps only calls made at a counter
    return BoardCall(
        event_id=event.pk,
        kind=CALL_ACTIONS[event.action],
        at=event.at,
        code=event.ticket.code,
        queue_name=event.ticket.queue.name,
        counter_id=event.counter.pk,
        counter_number=event.counter.number,
        counter_name=event.counter.name,
    )


def board_recent_calls(*, center: Center, floor: Floor | None, day: date) -> list[BoardCall]:
    """The last calls of the day, newest first, one line per ticket (a recall moves it to the top)."""
    limit = settings.MOTCUA.get("BOARD_RECENT_CALLS", 8)
    calls: list[BoardCall] = []
    seen: set[int] = set()
    for event in _call_events(center, floor, day).order_by("-pk")[: limit * 4]:
        if event.ticket_id not in seen:
            seen.add(event.ticket_id)
            calls.append(_as_call(event))
    return calls[:limit]


def board_counters(*, center: Center, floor: Floor | None, day: date) -> list[BoardCounter]:
    """Every counter of the board with the ticket it is calling or serving now."""
    counters = list(_board_counters(center, floor))
    current = (
        Ticket.objects.filter(
            counter__in=counters, business_date=day, status__in=[Status.CALLED, Status.SERVING]
        )
        .order_by("called_at", "pk")
        .values_list("counter_id", "code")
    )
    serving = dict(current)  # the latest call wins when a counter holds two (should not happen)
    return [
        BoardCounter(
            id=c.pk,
            number=c.number,
            name=c.name,
            floor=c.floor.code if c.floor else "",
            state=c.state,
            ticket=serving.get(c.pk, ""),
        )
        for c in counters
    ]


def board_queues(*, center: Center, floor: Floor | None, day: date, now: datetime) -> list[BoardQueue]:
    """Active queues served by the board's counters: tickets waiting today and the likely wait."""
    queues = Queue.objects.filter(center=center, is_active=True, counter_links__counter__in=_board_counters(center, floor))
    estimates = estimates_for_center(center=center, business_date=day, now=now)
    return [
        BoardQueue(
            code=q.code,
            name=q.name,
            prefix=q.prefix,
            waiting=estimates[q.code].people_ahead,
            wait_minutes=estimates[q.code].minutes,
        )
        for q in queues.distinct().order_by("prefix", "code")  # A, B, C… as on the tickets
    ]


def board_waits(*, center: Center, day: date, now: datetime) -> dict[str, int | None]:
    """Minutes a ticket taken now would likely wait, per queue code (None: no counter open)."""
    return {code: e.minutes for code, e in estimates_for_center(center=center, business_date=day, now=now).items()}


def board_snapshot(*, center: Center, floor: Floor | None = None, now: datetime) -> BoardSnapshot:
    """Everything a board shows when it opens (then the socket or the feed keeps it current)."""
    day = _day(now)
    recent = board_recent_calls(center=center, floor=floor, day=day)
    return BoardSnapshot(
        center=center,
        floor=floor,
        day=day,
        latest=recent[0] if recent else None,
        recent=recent,
        counters=board_counters(center=center, floor=floor, day=day),
        queues=board_queues(center=center, floor=floor, day=day, now=now),
    )


def board_feed(*, center: Center, floor: Floor | None = None, since: int, now: datetime) -> dict[str, Any]:
    """Calls of today after event `since`, oldest first, with current counters and waiting counts.

    The same event shape as the pushed ones (broadcast.event_payload), so the page handles both
    alike; `last_event_id` is what the page passes as `since` next time.
    """
    day = _day(now)
    events = list(reversed(_call_events(center, floor, day).filter(pk__gt=since).order_by("-pk")[:FEED_LIMIT]))
    counts = waiting_counts(center.pk, day)
    payloads = [event_payload(e, CALL_ACTIONS[e.action]) | {"waiting": counts} for e in events]
    return {
        "events": payloads,
        "last_event_id": max([since, *(e.pk for e in events)]),
        "waiting": counts,
        "waits": board_waits(center=center, day=day, now=now),
        "counters": [c.as_json() for c in board_counters(center=center, floor=floor, day=day)],
    }


def board_call_event(*, center: Center, event_id: int) -> TicketEvent | None:
    """A call (or recall) made at a counter of `center`: the only thing the board's voice may say."""
    return (
        TicketEvent.objects.select_related("ticket", "counter")
        .filter(pk=event_id, ticket__center=center, action__in=CALL_ACTIONS, counter__isnull=False)
        .first()
    )


def event_matches_floor(event: dict[str, Any], floor_code: str) -> bool:
    """Whether a pushed event concerns a board of `floor_code` ("" = the whole center)."""
    if not floor_code or event.get("kind") == "changed":
        return True
    counter = event.get("counter") or {}
    return counter.get("floor") == floor_code
