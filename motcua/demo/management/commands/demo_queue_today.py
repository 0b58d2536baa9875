"""Issue a morning of demo tickets at the Can Tho center, for today, up to the present moment.

Optional: the default demo has no tickets. Only on a working day once reception has opened,
and only once a day (a second run finds today's tickets and leaves them alone).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.demo.today import queue_morning


class Command(BaseCommand):
    help = "Cấp số thứ tự mẫu cho buổi làm việc hôm nay tại Trung tâm PVHCC TP. Cần Thơ."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(queue_morning(now=timezone.now()))
