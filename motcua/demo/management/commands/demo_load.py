"""Load the Can Tho demo: organisation, working calendar, procedure catalog, officers, queue floor,
and a dozen dossiers in every situation.

Safe to run again: every step updates by code instead of duplicating. `--with-tickets` also
issues a morning of tickets for today (see `demo_queue_today`); the default demo has none.
Last, `--history-months` months (default 6) of generated tickets, dossiers and ratings up to
yesterday, rolled up for the dashboards (`motcua.demo.history`, once; `--no-history` skips it).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.core.services import calendar_seed
from motcua.demo.catalog import load_demo_catalog
from motcua.demo.citizens import CITIZEN, load_demo_citizen
from motcua.demo.dossiers import load_demo_dossiers
from motcua.demo.history import load_history
from motcua.demo.loading import load_organisation
from motcua.demo.queueing import load_demo_queueing
from motcua.demo.training import load_training_center


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Cần Thơ (chạy lại nhiều lần vẫn an toàn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-tickets", action="store_true", help="Cấp thêm số thứ tự mẫu cho buổi làm việc hôm nay."
        )
        parser.add_argument(
            "--history-months", type=int, default=6, help="Số tháng lịch sử mẫu đến hôm qua (mặc định 6)."
        )
        parser.add_argument("--no-history", action="store_true", help="Không tạo lịch sử mẫu.")

    def handle(self, *args: Any, **options: Any) -> None:
        load_organisation()
        self.stdout.write("Trung tâm, cơ quan, tài khoản mẫu: xong.")
        year = timezone.localdate().year
        added = calendar_seed(years=range(year - 2, year + 3))
        self.stdout.write(f"Lịch nghỉ lễ {year - 2}–{year + 2}: {added} ngày mới.")
        summary = load_demo_catalog()
        self.stdout.write(f"Danh mục thủ tục: {summary}.")
        self.stdout.write(f"Hàng đợi và quầy: {load_demo_queueing()}.")
        training = load_training_center(today=timezone.localdate())
        self.stdout.write(f"{training.name}: mở cửa mọi ngày, 00:00–23:59.")
        self.stdout.write(f"Hồ sơ mẫu: {load_demo_dossiers()}.")
        load_demo_citizen()
        self.stdout.write(f"Tài khoản công dân mẫu: {CITIZEN['phone']} / {CITIZEN['email']}.")
        if not options["no_history"] and options["history_months"] > 0:
            self._history(options["history_months"])
        if options["with_tickets"]:
            call_command("demo_queue_today", stdout=self.stdout)

    def _history(self, months: int) -> None:
        # After the stories: those load only into a center without dossiers.
        began = time.perf_counter()
        summary = load_history(months=months)
        if summary is None:
            self.stdout.write("Lịch sử mẫu: đã có sẵn.")
            return
        self.stdout.write(f"Lịch sử mẫu {months} tháng: {summary} ({time.perf_counter() - began:.0f} giây).")
