"""Load the Can Tho demo: organisation, working calendar, procedure catalog, officers.

Safe to run again: every step updates by code instead of duplicating.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core.services import calendar_seed
from motcua.demo.catalog import load_demo_catalog
from motcua.demo.loading import load_organisation


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Cần Thơ (chạy lại nhiều lần vẫn an toàn)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_organisation()
        self.stdout.write("Trung tâm, cơ quan, tài khoản mẫu: xong.")
        year = timezone.localdate().year
        added = calendar_seed(years=range(year - 2, year + 3))
        self.stdout.write(f"Lịch nghỉ lễ {year - 2}–{year + 2}: {added} ngày mới.")
        summary = load_demo_catalog()
        self.stdout.write(f"Danh mục thủ tục: {summary}.")
