"""The generated history's queue floor: a day of tickets per center, as the services leave it.

Arrivals follow the hourly curve of a public-service center (busy 8–10 h, a smaller bump at
14 h); each ticket goes to the counter of its queue that is free first, after a wait drawn
from a lognormal whose median grows with the hour's rush (slower at the police and land
desks) and a lognormal service time around the queue's usual minutes. See `history` for the
invariants kept.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max

from motcua.accounts.models import User
from motcua.core.calendar import WorkingCalendar
from motcua.core.models import Center
from motcua.feedback.models import TicketRating
from motcua.queueing.models import Counter, CounterEvent, DailyNumber, PriorityClass, Queue, Ticket, TicketEvent
from motcua.queueing.services.issuing import shown_code

from .history_shape import busy, day_start, pick_moment
from .history_writer import insert
from .queueing import FLOOR_PLANS

Status = Ticket.Status
BATCH = 2000
# Tickets an average day brings to each center.
DAILY_TICKETS = {"cantho": 70, "ninhkieu": 25, "cairang": 20}
# How people spread over the queues (default 2): justice and police draw the crowds.
QUEUE_SHARE = {"tu-phap": 12, "cong-an": 11, "nn-mt": 6, "tai-chinh": 5, "bhxh": 5, "ho-tro": 4, "dat-dai": 6,
               "tong-hop": 5, "xay-dung": 3, "noi-vu": 3, "kcn": 1, "y-te": 1}  # fmt: skip
SLOW_QUEUES = {"cong-an": 1.8, "nn-mt": 1.6, "dat-dai": 1.4}  # wait multipliers
ARRIVALS = [(7, 9), (8, 20), (9, 18), (10, 8), (13, 5), (14, 10), (15, 8), (16, 4)]
RUSH_WAIT_MINUTES = {7: 5, 8: 12, 9: 14, 10: 9, 13: 4, 14: 7, 15: 6, 16: 3}
ANSWERS = ["very_satisfied", "satisfied", "not_satisfied"]
ANSWER_WEIGHTS = [52, 40, 8]
SESSIONS = ((7, 0, 11, 30), (13, 30, 17, 0))


def lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


@dataclass
class Floor:
    """A center's queues and worked counters (those a demo officer is seated at)."""

    center: Center
    queues: list[Queue]
    counters: dict[int, Counter]  # counter id → counter (worked ones)
    officer_of: dict[int, int]  # counter id → officer id
    serving: dict[int, list[int]]  # queue id → worked counter ids (any worked one if none)
    priorities: list[int]

    @classmethod
    def of(cls, center: Center) -> Floor:
        queues = list(Queue.objects.filter(center=center, is_active=True).order_by("code"))
        officers = _officers(center)
        counters = {c.pk: c for c in Counter.objects.filter(center=center, number__in=officers).order_by("number")}
        officer_of = {pk: officers[c.number] for pk, c in counters.items()}
        serving = {}
        for queue in queues:
            linked = [pk for pk in queue.counter_links.values_list("counter_id", flat=True) if pk in counters]
            serving[queue.pk] = sorted(linked) or sorted(counters)
        priorities = list(PriorityClass.objects.filter(is_active=True).values_list("pk", flat=True))
        return cls(center, queues, counters, officer_of, serving, priorities)


def _officers(center: Center) -> dict[int, int]:
    """Counter number → the demo officer who works it."""
    plan = next(p for p in FLOOR_PLANS if p.center == center.code)
    names = {c.number: c.officer for c in plan.counters if c.officer}
    users = dict(User.objects.filter(username__in=names.values()).values_list("username", "pk"))
    return {number: users[name] for number, name in names.items() if name in users}


@dataclass(order=True)
class _Arrival:
    at: datetime
    order: int
    queue: Queue = field(compare=False)
    parent: Ticket | None = field(default=None, compare=False)


class _Day:
    """One center-day of tickets, built in issue order."""

    def __init__(self, floor: Floor, calendar: WorkingCalendar, day: date, rng: random.Random, taken: dict) -> None:
        self.floor, self.calendar, self.day, self.rng = floor, calendar, day, rng
        self.numbers: dict[int, int] = {q.pk: taken.get(q.pk, 0) for q in floor.queues}
        opening = calendar.next_session_start(day_start(day))
        self.free_at = dict.fromkeys(floor.counters, opening)
        self.tickets: list[Ticket] = []
        self.children: list[Ticket] = []
        self.events: list[TicketEvent] = []
        self.ratings: list[TicketRating] = []
        self.used: dict[int, tuple[datetime, datetime]] = {}
        self.factor = busy(day, rng)
        self._order = 0

    # --- arrivals ------------------------------------------------------------------------

    def arrivals(self) -> list[_Arrival]:
        count = round(DAILY_TICKETS.get(self.floor.center.code, 40) * self.factor)
        shares = [QUEUE_SHARE.get(q.code, 2) for q in self.floor.queues]
        found = []
        for _ in range(count):
            queue = self.rng.choices(self.floor.queues, shares)[0]
            found.append(self._arrival(pick_moment(self.calendar, self.day, self.rng, ARRIVALS), queue))
        return found

    def _arrival(self, at: datetime, queue: Queue, parent: Ticket | None = None) -> _Arrival:
        self._order += 1
        return _Arrival(at, self._order, queue, parent)

    def run(self) -> None:
        heap = self.arrivals()
        heapq.heapify(heap)
        while heap:
            arrival = heapq.heappop(heap)
            ticket = self._issue(arrival)
            if ticket is not None:
                follow = self._serve(ticket, arrival.parent is not None)
                if follow is not None:
                    heapq.heappush(heap, follow)

    def _issue(self, arrival: _Arrival) -> Ticket | None:
        queue, parent = arrival.queue, arrival.parent
        number = self.numbers[queue.pk] + 1
        if parent is None and queue.daily_cap is not None and number > queue.daily_cap:
            return None  # the kiosk refuses: nothing is written
        if number > queue.range_size and not queue.wrap:
            return None
        self.numbers[queue.pk] = number
        shown = queue.number_start + (number - 1) % queue.range_size
        priority = self.rng.choice(self.floor.priorities) if self.floor.priorities and self.rng.random() < 0.05 else None
        ticket = Ticket(
            center_id=queue.center_id, queue=queue, business_date=self.day, number=number, display_number=shown,
            code=shown_code(queue, shown), channel=Ticket.Channel.COUNTER if parent else Ticket.Channel.KIOSK,
            status=Status.WAITING, issued_at=arrival.at, queued_at=parent.queued_at if parent else arrival.at,
            priority_id=parent.priority_id if parent else priority, transferred_from=parent,
        )  # fmt: skip
        (self.children if parent else self.tickets).append(ticket)
        data = {"transferred_from": parent.code} if parent else {"channel": Ticket.Channel.KIOSK}
        self._event(ticket, "issued", "", Status.WAITING, arrival.at, data=data,
                    actor=parent.officer_id if parent else None)  # fmt: skip
        return ticket

    # --- service -------------------------------------------------------------------------

    def _serve(self, ticket: Ticket, transferred_in: bool) -> _Arrival | None:
        rng, queue = self.rng, ticket.queue
        roll = rng.random()
        if not transferred_in and roll < 0.015:
            self._cancel(ticket)
            return None
        counter_id = min(self.floor.serving[queue.pk], key=lambda pk: (self.free_at[pk], pk))
        hour = ticket.issued_at.hour
        wait = lognormal(rng, RUSH_WAIT_MINUTES.get(hour, 4) * self.factor * SLOW_QUEUES.get(queue.code, 1), 0.6)
        wait = min(wait, 3.0) if transferred_in else wait
        called = max(ticket.issued_at + timedelta(minutes=wait), self.free_at[counter_id])
        end = self.calendar.end_of_working_day(self.day)
        if called >= end:
            self._cancel(ticket, at=end)
            return None
        ticket.status, ticket.called_at = Status.CALLED, called
        ticket.counter_id, ticket.officer_id = counter_id, self.floor.officer_of[counter_id]
        self._event(ticket, "called", Status.WAITING, Status.CALLED, called)
        if not transferred_in and roll < 0.055:
            self._no_show(ticket, called)
            return None
        started = called + timedelta(seconds=rng.randrange(20, 90))
        service = lognormal(rng, queue.default_service_minutes, 0.5)
        if not transferred_in and roll < 0.08 and len(self.floor.queues) > 1:
            return self._transfer(ticket, started)
        self._move(ticket, Status.SERVING, started)
        self._move(ticket, Status.DONE, started + timedelta(minutes=max(service, 1.0)))
        self._rate(ticket)
        return None

    def _cancel(self, ticket: Ticket, at: datetime | None = None) -> None:
        at = at or ticket.issued_at + timedelta(minutes=self.rng.uniform(3, 25))
        ticket.status, ticket.finished_at = Status.CANCELLED, at
        self._event(ticket, "cancelled", Status.WAITING, Status.CANCELLED, at, counter=False)

    def _no_show(self, ticket: Ticket, called: datetime) -> None:
        self._move(ticket, Status.NO_SHOW, called + timedelta(minutes=self.rng.uniform(2, 4)))

    def _transfer(self, ticket: Ticket, started: datetime) -> _Arrival:
        self._move(ticket, Status.SERVING, started)
        others = [q for q in self.floor.queues if q.pk != ticket.queue_id]
        target = self.rng.choice(others)
        self._move(ticket, Status.TRANSFERRED, started + timedelta(minutes=self.rng.uniform(1, 3)),
                   data={"to_queue": target.code})  # fmt: skip
        assert ticket.finished_at is not None
        return self._arrival(ticket.finished_at, target, parent=ticket)

    def _move(self, ticket: Ticket, target: str, at: datetime, data: dict | None = None) -> None:
        previous = ticket.status
        ticket.status = target
        setattr(ticket, "started_at" if target == Status.SERVING else "finished_at", at)
        self._event(ticket, target, previous, target, at, data=data)
        if target != Status.SERVING:
            assert ticket.counter_id is not None
            self.free_at[ticket.counter_id] = at + timedelta(seconds=self.rng.randrange(10, 60))
            first, _last = self.used.get(ticket.counter_id, (at, at))
            self.used[ticket.counter_id] = (min(first, ticket.called_at or at), at)

    def _event(self, ticket: Ticket, action: str, before: str, after: str, at: datetime, *, data: dict | None = None,
               actor: Any = False, counter: bool = True) -> None:  # fmt: skip
        self.events.append(TicketEvent(
            ticket=ticket, action=f"queueing.ticket.{action}", from_status=before, to_status=after,
            actor_id=ticket.officer_id if actor is False else actor, counter_id=ticket.counter_id if counter else None,
            at=at, data=data or {},
        ))  # fmt: skip

    def _rate(self, ticket: Ticket) -> None:
        if self.rng.random() >= 0.4:
            return
        assert ticket.finished_at is not None
        self.ratings.append(TicketRating(
            ticket=ticket, center_id=ticket.center_id, queue_id=ticket.queue_id, counter_id=ticket.counter_id,
            officer_id=ticket.officer_id, answer=self.rng.choices(ANSWERS, ANSWER_WEIGHTS)[0],
            channel=self.rng.choice(["kiosk", "kiosk", "tablet", "phone"]),
            at=ticket.finished_at + timedelta(seconds=self.rng.randrange(15, 120)),
        ))  # fmt: skip

    # --- counters ------------------------------------------------------------------------

    def counter_events(self) -> list[CounterEvent]:
        """Each worked counter signed in at the start of each session it served in, out at its end."""
        rows = []
        for counter_id in sorted(self.used):
            officer = self.floor.officer_of[counter_id]
            for begin, end in self._sessions():
                at_in = begin + timedelta(minutes=self.rng.randrange(0, 8))
                at_out = max(end, self._last_in(counter_id, end))
                rows += [
                    CounterEvent(counter_id=counter_id, action="queueing.counter.signed_in", from_state="closed",
                                 to_state="open", officer_id=officer, at=at_in),
                    CounterEvent(counter_id=counter_id, action="queueing.counter.signed_out", from_state="open",
                                 to_state="closed", officer_id=officer, at=at_out),
                ]  # fmt: skip
        return rows

    def _sessions(self) -> list[tuple[datetime, datetime]]:
        tz = self.calendar.end_of_working_day(self.day).tzinfo
        return [(datetime.combine(self.day, datetime.min.time().replace(hour=h1, minute=m1), tzinfo=tz),
                 datetime.combine(self.day, datetime.min.time().replace(hour=h2, minute=m2), tzinfo=tz))
                for h1, m1, h2, m2 in SESSIONS]  # fmt: skip

    def _last_in(self, counter_id: int, session_end: datetime) -> datetime:
        """The latest end of a ticket at this counter before the next session begins."""
        ends = [t.finished_at for t in (*self.tickets, *self.children)
                if t.counter_id == counter_id and t.finished_at and t.finished_at <= session_end + timedelta(hours=2)]  # fmt: skip
        return max(ends, default=session_end)


def _taken(floor: Floor, days: Sequence[date]) -> dict[tuple[int, date], int]:
    """Numbers already given in those days (a demo day with real tickets): history follows them."""
    rows = DailyNumber.objects.filter(center=floor.center, business_date__in=days)
    found = {(r.queue_id, r.business_date): r.last_number for r in rows}
    tickets = Ticket.objects.filter(center=floor.center, business_date__in=days).values("queue_id", "business_date")
    for row in tickets.annotate(last=Max("number")):
        key = (row["queue_id"], row["business_date"])
        found[key] = max(found.get(key, 0), row["last"])
    return found


def write_days(floor: Floor, calendar: WorkingCalendar, days: Sequence[date], rng: random.Random, summary: Any) -> None:
    """Build and insert the tickets, events, ratings and counter history of `days`."""
    taken = _taken(floor, days)
    built = []
    for day in days:
        one = _Day(floor, calendar, day, rng, {q: n for (q, d), n in taken.items() if d == day})
        one.run()
        built.append(one)
    insert(Ticket, [t for d in built for t in d.tickets])
    insert(Ticket, [t for d in built for t in d.children])
    insert(TicketEvent, [e for d in built for e in d.events])
    insert(TicketRating, [r for d in built for r in d.ratings])
    insert(CounterEvent, [e for d in built for e in d.counter_events()])
    _set_daily_numbers(floor, built, taken)
    summary.tickets += sum(len(d.tickets) + len(d.children) for d in built)
    summary.ticket_events += sum(len(d.events) for d in built)
    summary.ratings += sum(len(d.ratings) for d in built)


def _set_daily_numbers(floor: Floor, built: list[_Day], taken: dict[tuple[int, date], int]) -> None:
    new: list[DailyNumber] = []
    changed: list[DailyNumber] = []
    for one in built:
        for queue_id, last in one.numbers.items():
            key = (queue_id, one.day)
            if last == taken.get(key, 0):
                continue
            row = DailyNumber(center=floor.center, queue_id=queue_id, business_date=one.day, last_number=last)
            (changed if key in taken else new).append(row)
    insert(DailyNumber, new)
    for row in changed:
        DailyNumber.objects.update_or_create(center=row.center, queue_id=row.queue_id, business_date=row.business_date,
                                             defaults={"last_number": row.last_number})  # fmt: skip
