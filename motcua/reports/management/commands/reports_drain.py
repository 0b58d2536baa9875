"""Build the report exports still waiting and forget old ones: `manage.py reports_drain`.

Exports normally run on a thread of the web process right after the click. Run this every
minute (a timer) when there are several workers or the thread is off
(MOTCUA_REPORTS_EXPORT_IN_PROCESS=0), or to pick up the exports of a worker that died; each job
is claimed by a conditional update, so drains and threads never build the same file twice.
Files and rows older than MOTCUA_REPORTS_EXPORT_KEEP_DAYS days are deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.reports.background import export_drain


class Command(BaseCommand):
    help = "Xuất các tệp báo cáo đang chờ và xoá các tệp đã cũ."

    def handle(self, *args: Any, **options: Any) -> None:
        built, removed = export_drain()
        self.stdout.write(f"{built} export(s) built, {removed} old export(s) removed")
