"""Print where every screen is and how to sign in, after `make demo`."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from motcua.accounts.models import Role
from motcua.core.models import Center
from motcua.demo.organisation import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "In địa chỉ các màn hình và tài khoản mẫu."

    def handle(self, *args: Any, **options: Any) -> None:
        base = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
        lines = [
            "", "MotCua đang chạy — các màn hình:",
            f"  Cổng thông tin: {base}/", f"  Tra cứu thủ tục hành chính: {base}/thu-tuc/",
        ]
        for center in Center.objects.filter(is_active=True):
            lines.append(f"  Kiosk {center.display_name}: {base}/kiosk/{center.code}/")
        lines += [
            f"  Quản trị (admin): {base}/admin/",
            f"  API + tài liệu OpenAPI: {base}/api/v1/docs",
            "",
            f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):",
        ]
        lines += [f"  {username:<20} {Role(role).label}" for username, _, role, *_ in USERS]
        lines.append("")
        self.stdout.write("\n".join(lines))
