"""Flag dossiers at risk or overdue and close expired supplements: `manage.py dossier_deadlines`
runs one pass (for a timer); `--loop SECONDS` keeps running, one pass every SECONDS."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.deadlines import dossier_flag_deadlines


class Command(BaseCommand):
    help = "Đánh dấu hồ sơ sắp đến hạn, quá hạn, chậm chuyển và đóng hồ sơ quá hạn bổ sung."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, default=None, metavar="SECONDS",
            help="Chạy lặp lại, mỗi lượt cách nhau SECONDS giây (mặc định: chạy một lượt rồi thoát).",
        )  # fmt: skip

    def handle(self, *args: Any, loop: float | None, **options: Any) -> None:
        if loop is not None and loop <= 0:
            raise CommandError("--loop phải lớn hơn 0 giây.")
        while True:
            run = dossier_flag_deadlines()
            # In a loop, only passes that changed something are worth a line in the journal.
            if loop is None or run.changed:
                self.stdout.write(str(run))
            if loop is None:
                return
            time.sleep(loop)
