"""`manage.py calendar_seed --years 2025-2028`: load Vietnam's holidays into the working calendar.

Safe to run again: package rows are refreshed, manual rows and center rows are left alone.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.services import CalendarSeedResult, calendar_sync
from motcua.core.text import format_date


def parse_years(text: str) -> list[int]:
    """`2026`, `2025-2028` or `2025,2027` → a list of years."""
    years: set[int] = set()
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            first, _sep, last = part.partition("-")
            years.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(_("Năm không hợp lệ: %(text)s") % {"text": text}) from None
    if not years or min(years) < 1990 or max(years) > 2100:
        raise argparse.ArgumentTypeError(_("Năm không hợp lệ: %(text)s") % {"text": text})
    return sorted(years)


class Command(BaseCommand):
    help = _("Nạp lịch nghỉ lễ, Tết và ngày làm bù của Việt Nam vào lịch làm việc.")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--years", type=parse_years, default=None,
            help=_("Năm cần nạp, ví dụ 2026 hoặc 2025-2028 (mặc định: năm nay và năm sau)."),
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"]
        if years is None:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        try:
            result = calendar_sync(years=years)
        except (KeyError, NotImplementedError) as exc:  # the package does not know a year/country
            raise CommandError(str(exc)) from exc
        self._report(years, result)

    def _report(self, years: list[int], result: CalendarSeedResult) -> None:
        for label, rows in ((_("Thêm"), result.added), (_("Cập nhật"), result.updated), (_("Xóa"), result.removed)):
            for row in rows:
                self.stdout.write(f"{label}: {format_date(row.date)} {row.get_kind_display()} – {row.name}")
        self.stdout.write(
            _("Năm %(years)s: thêm %(added)d, cập nhật %(updated)d, xóa %(removed)d ngày.")
            % {
                "years": ", ".join(str(y) for y in years),
                "added": len(result.added),
                "updated": len(result.updated),
                "removed": len(result.removed),
            }
        )
