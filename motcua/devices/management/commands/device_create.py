"""`manage.py device_create --center cantho --kind kiosk --name "Kiosk sảnh"`: a device and its token.

The token is printed once: copy it into the device's configuration; it cannot be shown again
(only a hash is kept). Lost tokens are replaced by creating a new device and revoking the old one.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.models import Center
from motcua.devices.models import Device
from motcua.devices.services import device_create


class Command(BaseCommand):
    help = _("Tạo thiết bị (kiosk, bảng điện tử…) của một trung tâm và in mã truy cập của thiết bị (chỉ một lần).")

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--center", required=True, help=_("Mã trung tâm, ví dụ cantho."))
        parser.add_argument("--kind", required=True, choices=Device.Kind.values, help=_("Loại thiết bị."))
        parser.add_argument("--name", required=True, help=_("Tên thiết bị, ví dụ “Kiosk sảnh”."))
        parser.add_argument("--quiet", action="store_true", help=_("Chỉ in mã truy cập (dùng trong script)."))

    def handle(self, *args: Any, **options: Any) -> None:
        center = Center.objects.filter(code=options["center"]).first()
        if center is None:
            raise CommandError(_("Không có trung tâm mã %(code)s.") % {"code": options["center"]})
        if not options["name"].strip():
            raise CommandError(_("Tên thiết bị không được để trống."))
        device, token = device_create(center=center, kind=options["kind"], name=options["name"])
        if options["quiet"]:
            self.stdout.write(token)
            return
        self.stdout.write(
            _("Đã tạo thiết bị “%(name)s” (%(kind)s) của %(center)s.")
            % {"name": device.name, "kind": device.get_kind_display(), "center": center.display_name}
        )
        self.stdout.write(_("Mã truy cập (chỉ hiển thị một lần):"))
        self.stdout.write(token)
        self.stdout.write(_("Thiết bị gửi kèm mỗi yêu cầu: Authorization: Device <mã truy cập>"))
