"""What the generated history's tickets and dossiers share: which days, how busy, what moment."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

from motcua.core.calendar import LOCAL_TZ, WorkingCalendar


def working_days(calendar: WorkingCalendar, start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            yield day
        day += timedelta(days=1)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def busy(day: date, rng: random.Random) -> float:
    """How busy `day` is against an average day: Monday busiest, Friday quietest, some noise."""
    return (1.3, 1.05, 1.0, 0.95, 0.85, 0.6, 0.6)[day.weekday()] * rng.uniform(0.85, 1.15)


def pick_moment(calendar: WorkingCalendar, day: date, rng: random.Random, curve: Sequence[tuple[int, int]]) -> datetime:
    """A reception-hours moment of `day` drawn from the hourly `curve` of (hour, weight)."""
    hours, weights = zip(*curve, strict=True)
    for _attempt in range(20):
        hour = rng.choices(hours, weights)[0]
        at = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=LOCAL_TZ)
        if calendar.is_reception_open(at):
            return at
    return calendar.next_session_start(day_start(day))
