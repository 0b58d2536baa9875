"""Load the Can Tho demo: organisation, working calendar, procedure catalog, officers, queue floor,
and a dozen dossiers in every situation.

Safe to run again: every step updates by code instead of duplicating. `--with-tickets` also
issues a morning of tickets for today (see `demo_queue_today`); the default demo has none.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.core.services import calendar_seed
from motcua.demo.catalog import load_demo_catalog
from motcua.demo.citizens import CITIZEN, load_demo_citizen
from motcua.demo.dossiers import load_demo_dossiers
from motcua.demo.loading import load_organisation
from motcua.demo.queueing import load_demo_queueing
from motcua.demo.training import load_training_center


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Cần Thơ (chạy lại nhiều lần vẫn an toàn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--with-tickets", action="store_true", help="Cấp thêm số thứ tự mẫu cho buổi làm việc hôm nay."
        )

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
        if options["with_tickets"]:
            call_command("demo_queue_today", stdout=self.stdout)
