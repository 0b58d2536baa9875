"""A morning at the Can Tho center for the demo: tickets issued, officers seated, numbers called.

Everything goes through the real queue services with `now` values from the opening of today's
reception up to the present moment, in time order, so the boards, the console and the leader's
"today" page show a day in progress. Nothing is written when today is not a working day, when
reception has not opened yet, or when the center already has tickets today: the function then
returns a Vietnamese note saying why.

Kept small on purpose: at most `MAX_TICKETS` tickets, seeded randomness so a run is repeatable.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.calendar import LOCAL_TZ, WorkingCalendar, calendar_for_center, to_local
from motcua.core.models import Center
from motcua.core.text import format_date
from motcua.queueing.errors import QueueingError
from motcua.queueing.models import Counter, PriorityClass, Queue, Ticket
from motcua.queueing.services import (
    counter_sign_in,
    ticket_call_next,
    ticket_issue,
    ticket_mark_no_show,
    ticket_start,
)

from .queueing import CANTHO, FloorPlan

MAX_TICKETS = 150
# Citizens an hour per queue at the city center (the rest get DEFAULT_RATE).
ARRIVALS_PER_HOUR = {"tu-phap": 14, "cong-an": 14, "tai-chinh": 7, "nn-mt": 7, "ho-tro": 5, "bhxh": 4}
DEFAULT_RATE = 1.5
PRIORITY_SHARE = 0.08
NO_SHOW_SHARE = 0.05
WEB_SHARE = 0.1


@dataclass
class _Floor:
    """The simulated day: pending events in time order and what happened so far."""

    until: datetime
    calendar: WorkingCalendar
    rng: random.Random
    events: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    order: itertools.count = field(default_factory=itertools.count)
    officers: dict[int, User] = field(default_factory=dict)  # counter id → seated officer
    issued: int = 0

    def at(self, moment: datetime, kind: str, payload: Any) -> None:
        if moment <= self.until:
            heapq.heappush(self.events, (moment, next(self.order), kind, payload))


def _sessions(center: Center, day: Any) -> list[tuple[datetime, datetime]]:
    def moment(text: str) -> datetime:
        return datetime.combine(day, time.fromisoformat(text), tzinfo=LOCAL_TZ)

    return [(moment(start), moment(end)) for start, end in center.reception_sessions]


def _refusal(center: Center, now: datetime) -> str | None:
    """Why no ticket may be simulated now, or None."""
    day = to_local(now).date()
    if not calendar_for_center(center).is_working_day(day):
        return _("Hôm nay (%(day)s) không phải ngày làm việc: không cấp số thứ tự mẫu.") % {"day": format_date(day)}
    opens = _sessions(center, day)[0][0]
    if now < opens + timedelta(minutes=10):
        return _("Chưa đến giờ tiếp nhận (%(time)s): không cấp số thứ tự mẫu.") % {"time": opens.strftime("%H:%M")}
    if Ticket.objects.filter(center=center, business_date=day).exists():
        return _("Hôm nay %(center)s đã có số thứ tự: không cấp thêm số mẫu.") % {"center": center.display_name}
    return None


def _arrivals(floor: _Floor, queues: list[Queue], sessions: list[tuple[datetime, datetime]]) -> None:
    """Poisson arrivals per queue in each session up to now, scaled down to at most MAX_TICKETS."""
    spans = [(start, min(end, floor.until)) for start, end in sessions if start < floor.until]
    hours = sum((end - start).total_seconds() for start, end in spans) / 3600
    expected = hours * sum(ARRIVALS_PER_HOUR.get(q.code, DEFAULT_RATE) for q in queues)
    scale = min(1.0, MAX_TICKETS / expected) if expected else 0.0
    for queue in queues:
        rate = ARRIVALS_PER_HOUR.get(queue.code, DEFAULT_RATE) * scale / 60  # per minute
        for start, end in spans:
            moment = start + timedelta(minutes=floor.rng.expovariate(rate))
            while moment < end:
                floor.at(moment, "issue", queue)
                moment += timedelta(minutes=floor.rng.expovariate(rate))


def _issue(floor: _Floor, moment: datetime, queue: Queue, priorities: list[PriorityClass]) -> None:
    if floor.issued >= MAX_TICKETS or not floor.calendar.is_reception_open(
        moment + timedelta(minutes=queue.issue_cutoff_minutes)
    ):
        return  # the kiosk would refuse (cut-off before a session ends); a citizen walks away
    priority = floor.rng.choice(priorities) if priorities and floor.rng.random() < PRIORITY_SHARE else None
    channel = Ticket.Channel.WEB if floor.rng.random() < WEB_SHARE else Ticket.Channel.KIOSK
    try:
        ticket_issue(queue=queue, channel=channel, priority=priority, now=moment)
    except QueueingError:
        return  # a daily cap reached: the same refusal a citizen would see
    floor.issued += 1


def _service_minutes(floor: _Floor, counter: Counter) -> float:
    """Log-normal around the default service time of the counter's first queue."""
    minutes = min((q.default_service_minutes for q in counter.queues.all()), default=8)
    return max(2.0, floor.rng.lognormvariate(math.log(minutes), 0.4))


def _next_opening(moment: datetime, sessions: list[tuple[datetime, datetime]]) -> datetime | None:
    return next((start for start, _end in sessions if start > moment), None)


def _serve(floor: _Floor, moment: datetime, counter: Counter, sessions: list[tuple[datetime, datetime]]) -> None:
    """The officer presses "call next"; the citizen comes up (or does not), is served, and so on."""
    officer = floor.officers[counter.pk]
    ticket = ticket_call_next(counter=counter, officer=officer, now=moment)
    if ticket is None:
        idle_until = moment + timedelta(minutes=3)
        if not floor.calendar.is_reception_open(idle_until):
            idle_until = _next_opening(moment, sessions) or floor.until + timedelta(minutes=1)
        floor.at(idle_until, "free", counter)
        return
    walk_up = moment + timedelta(minutes=floor.rng.uniform(0.5, 2))
    if floor.rng.random() < NO_SHOW_SHARE:
        floor.at(moment + timedelta(minutes=3), "no_show", (counter, ticket))
        return
    floor.at(walk_up, "start", (counter, ticket))
    floor.at(walk_up + timedelta(minutes=_service_minutes(floor, counter)), "free", counter)


def _seat_officers(floor: _Floor, plan: FloorPlan, center: Center, opens: datetime) -> None:
    counters = {c.number: c for c in Counter.objects.filter(center=center).prefetch_related("queues")}
    for spec in plan.counters:
        officer = User.objects.filter(username=spec.officer, is_active=True).first() if spec.officer else None
        counter = counters.get(spec.number)
        if officer is None or counter is None or counter.officer_id or Counter.objects.filter(officer=officer).exists():
            continue  # someone is really signed in somewhere: leave them be
        moment = opens + timedelta(minutes=floor.rng.uniform(0, 8))
        if moment <= floor.until:
            counter_sign_in(counter=counter, officer=officer, now=moment)
            floor.officers[counter.pk] = officer
            floor.at(moment + timedelta(minutes=1), "free", counter)


def _run(floor: _Floor, sessions: list[tuple[datetime, datetime]]) -> None:
    priorities = list(PriorityClass.objects.filter(is_active=True))
    while floor.events:
        moment, _seq, kind, payload = heapq.heappop(floor.events)
        if kind == "issue":
            _issue(floor, moment, payload, priorities)
        elif kind == "free":
            _serve(floor, moment, payload, sessions)
        elif kind == "start":
            ticket_start(ticket=payload[1], officer=floor.officers[payload[0].pk], now=moment)
        elif kind == "no_show":
            counter, ticket = payload
            ticket_mark_no_show(ticket=ticket, officer=floor.officers[counter.pk], now=moment)
            floor.at(moment + timedelta(seconds=30), "free", counter)


@transaction.atomic
def queue_morning(*, now: datetime, plan: FloorPlan = CANTHO, seed: int = 2026) -> str:
    """Simulate today at `plan`'s center up to `now`; describe the result or say why not."""
    center = Center.objects.get(code=plan.center)
    refusal = _refusal(center, now)
    if refusal:
        return refusal
    day = to_local(now).date()
    sessions = _sessions(center, day)
    floor = _Floor(until=now, calendar=calendar_for_center(center), rng=random.Random(seed))
    _seat_officers(floor, plan, center, sessions[0][0])
    _arrivals(floor, list(Queue.objects.filter(center=center, is_active=True)), sessions)
    _run(floor, sessions)
    waiting = Ticket.objects.filter(center=center, business_date=day, status=Ticket.Status.WAITING).count()
    return _("%(center)s, %(day)s: đã cấp %(issued)d số, %(seated)d quầy có cán bộ, %(waiting)d số đang chờ.") % {
        "center": center.display_name,
        "day": format_date(day),
        "issued": floor.issued,
        "seated": len(floor.officers),
        "waiting": waiting,
    }
