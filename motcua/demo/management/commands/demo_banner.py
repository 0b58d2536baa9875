"""Print where every screen is and how to sign in, after `make demo`."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from motcua.accounts.models import Role, User
from motcua.core.models import Center
from motcua.demo.organisation import DEMO_PASSWORD, USERS
from motcua.demo.queueing import counter_officers
from motcua.demo.training import CODE as TRAINING_CODE


def _queue_screens(base: str, centers: list[Center]) -> list[str]:
    lines = ["", "Hàng đợi — lấy số, bảng điện tử, màn hình quầy:"]
    for center in centers:
        lines.append(f"  {center.display_name}")
        lines.append(f"    Lấy số thứ tự (kiosk):  {base}/kiosk/{center.code}/lay-so/")
        lines.append(f"    Bảng điện tử:           {base}/board/{center.code}/")
        floors = list(center.floors.all())
        if len(floors) > 1:
            lines += [f"      {floor.name + ':':<20} {base}/board/{center.code}/{floor.code}/" for floor in floors]
    lines += _training(base)
    lines.append(f"  Màn hình quầy (cán bộ đăng nhập): {base}/console/")
    lines.append(f"  Hôm nay — số liệu theo hàng đợi, quầy, cán bộ (lãnh đạo): {base}/console/hom-nay/")
    return lines


def _dossier_screens(base: str) -> list[str]:
    from motcua.dossiers.models import Dossier

    lines = ["", "Hồ sơ — tiếp nhận, giải quyết, tra cứu:"]
    lines.append(f"  Hồ sơ tại trung tâm (cán bộ tiếp nhận: tiepnhan): {base}/console/ho-so/trung-tam/")
    lines.append(f"  Hồ sơ cần xử lý (cơ quan: chuyenvien.khcn, lanhdao.khcn): {base}/console/ho-so/xu-ly/")
    lines.append(f"  Tra cứu hồ sơ (công dân): {base}/tra-cuu/  ·  kiosk: {base}/kiosk/cantho/tra-cuu-ho-so/")
    sample = Dossier.objects.filter(status=Dossier.Status.SUPPLEMENT_REQUESTED).exclude(code=None).first()
    if sample is not None:
        lines.append(f"    ví dụ: {base}/tra-cuu/{sample.code}/")
    return lines


def _citizen(base: str) -> list[str]:
    from motcua.demo.citizens import CITIZEN

    return [
        "", "Cổng dịch vụ công (công dân):",
        f"  Đăng nhập: {base}/tai-khoan/dang-nhap/  —  {CITIZEN['phone']} hoặc {CITIZEN['email']}, "
        f"mật khẩu {DEMO_PASSWORD}",
        f"  Hồ sơ của tôi: {base}/tai-khoan/ho-so/  ·  Lấy số trực tuyến: {base}/lay-so-truc-tuyen/",
        "", "Xác thực khuôn mặt tại kiosk (cần camera):",
        f"  Kiosk: {base}/kiosk/cantho/xac-thuc/  ·  không có đầu đọc thẻ: cán bộ tiếp nhận nạp ảnh thẻ tại "
        f"{base}/kiosk/cantho/xac-thuc/demo/",
    ]


def _training(base: str) -> list[str]:
    if not Center.objects.filter(code=TRAINING_CODE).exists():
        return []
    return [
        "  Ngoài giờ hoặc ngày nghỉ, các trung tâm trên từ chối cấp số (đúng quy định). Để thử bất cứ lúc nào:",
        f"    Trung tâm chạy thử (mở cửa mọi ngày): {base}/kiosk/{TRAINING_CODE}/lay-so/  ·  "
        f"{base}/board/{TRAINING_CODE}/  ·  quầy: tiepnhan",
    ]


def _counter_accounts(centers: list[Center]) -> list[str]:
    names = dict(User.objects.values_list("username", "full_name"))
    floors = {(c.code, f.code): f.name for c in centers for f in c.floors.all()}
    lines = ["", "Cán bộ quầy (vai trò Cán bộ tiếp nhận; đăng nhập rồi chọn quầy ở màn hình quầy):"]
    current = None
    for center_code, number, floor, username in counter_officers():
        if center_code != current:
            center = next((c for c in centers if c.code == center_code), None)
            lines.append(f"  {center.display_name if center else center_code}")
            current = center_code
        place = f"Quầy {number} ({floors.get((center_code, floor), floor)})"
        lines.append(f"    {place:<22} {username:<22} {names.get(username, '')}")
    return lines


class Command(BaseCommand):
    help = "In địa chỉ các màn hình và tài khoản mẫu."

    def handle(self, *args: Any, **options: Any) -> None:
        base = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
        centers = list(Center.objects.filter(is_active=True).exclude(code=TRAINING_CODE).prefetch_related("floors"))
        lines = [
            "", "MotCua đang chạy — các màn hình:",
            f"  Cổng thông tin: {base}/", f"  Tra cứu thủ tục hành chính: {base}/thu-tuc/",
        ]  # fmt: skip
        for center in centers:
            lines.append(f"  Kiosk {center.display_name}: {base}/kiosk/{center.code}/")
        lines += [
            f"  Quản trị (admin): {base}/admin/",
            f"  API + tài liệu OpenAPI: {base}/api/v1/docs",
        ]
        lines += _queue_screens(base, centers)
        lines += _dossier_screens(base)
        lines += ["", f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):"]
        lines += [f"  {username:<20} {Role(role).label}" for username, _, role, *_ in USERS]
        lines += _counter_accounts(centers)
        lines += _citizen(base)
        lines.append("")
        self.stdout.write("\n".join(lines))
