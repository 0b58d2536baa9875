"""Deliver the outbox: `manage.py outbox_drain` runs as a worker; `--once` drains and exits."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.notifications.services import outbox_drain


class Command(BaseCommand):
    help = "Gửi các tin chờ trong hàng (in phiếu…), thử lại tin lỗi theo thời gian giãn dần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Gửi một lượt rồi thoát.")
        parser.add_argument("--interval", type=float, default=2.0, help="Giây nghỉ giữa hai lượt (mặc định 2).")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        while True:
            result = outbox_drain()
            if result.sent or result.failed or once:
                self.stdout.write(f"sent={result.sent} failed={result.failed}")
            if once:
                return
            time.sleep(interval)
