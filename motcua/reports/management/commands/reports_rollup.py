"""Store the daily facts of closed days (ADR 0010 §3): `manage.py reports_rollup`.

Without options: every closed day from the first day with data to yesterday that is not rolled
up yet. `--from`/`--to` roll up the range again (after a correction of past rows); `--yesterday`
just yesterday, again. Several workers may run it at once: each day is claimed by a conditional
update, so one worker does it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.reports.facts import days_to_roll, local_today, rollup_days


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Tổng hợp số liệu báo cáo theo ngày cho các ngày đã kết thúc."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="start", type=_date, help="first day (YYYY-MM-DD), rolled up again")
        parser.add_argument("--to", dest="end", type=_date, help="last day (YYYY-MM-DD), default yesterday")
        parser.add_argument("--yesterday", action="store_true", help="roll up yesterday again")

    def handle(self, *args: Any, start: date | None, end: date | None, yesterday: bool, **options: Any) -> None:
        now = timezone.now()
        if yesterday:
            start = end = local_today(now) - timedelta(days=1)
        again = start is not None or end is not None
        days = days_to_roll(start=start, end=end, now=now)
        began = time.perf_counter()
        done = rollup_days(days, again=again)
        elapsed = time.perf_counter() - began
        self.stdout.write(f"{len(done)} day(s) rolled up of {len(days)} in {elapsed:.1f} s")
