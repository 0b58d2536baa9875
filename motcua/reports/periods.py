"""Reporting periods: ranges of local dates, with the presets leaders report on (DOMAIN rule 16).

The 6- and 9-month periods are the Vietnamese reporting ones: from 1 January (báo cáo 6 tháng,
9 tháng đầu năm).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        return cls(start, end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(cls.month(year, first).start, cls.month(year, first + 2).end)

    @classmethod
    def months_from_january(cls, year: int, months: int) -> Period:
        return cls(date(year, 1, 1), cls.month(year, months).end)

    @classmethod
    def six_months(cls, year: int) -> Period:
        return cls.months_from_january(year, 6)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls.months_from_january(year, 9)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def days(self) -> Iterator[date]:
        for i in range((self.end - self.start).days + 1):
            yield self.start + timedelta(days=i)

    def clipped(self, last: date) -> Period | None:
        """The part of the period up to `last` (None if it starts later)."""
        return None if last < self.start else Period(self.start, min(self.end, last))

    def steps(self, step: str) -> list[Period]:
        """Consecutive sub-periods of one day, one ISO week (Monday first) or one calendar month."""
        parts, cursor = [], self.start
        while cursor <= self.end:
            if step == "day":
                last = cursor
            elif step == "week":
                last = cursor + timedelta(days=6 - cursor.weekday())
            elif step == "month":
                last = Period.month(cursor.year, cursor.month).end
            else:
                raise ValueError(f"unknown step {step!r}")
            parts.append(Period(cursor, min(last, self.end)))
            cursor = parts[-1].end + timedelta(days=1)
        return parts
