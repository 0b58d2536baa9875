"""Devices of a center's floor (kiosks, boards, counter displays, printer bridges) and their tokens.

A device proves who it is with a random token sent as `Authorization: Device <token>`. Only a
SHA-256 of the token is stored: a copy of the database lets nobody act as a kiosk. The first
characters of the token (`prefix`) are stored in clear to find the row without scanning.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import Center


class Device(models.Model):
    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("kiosk lấy số")
        BOARD = "board", _("bảng điện tử")
        COUNTER_DISPLAY = "counter_display", _("màn hình quầy")
        PRINTER_BRIDGE = "printer_bridge", _("cầu nối máy in")
        CARD_READER = "card_reader", _("đầu đọc thẻ căn cước")
        INTEGRATION = "integration", _("hệ thống tích hợp")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="devices", verbose_name=_("trung tâm"))
    kind = models.CharField(_("loại thiết bị"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=120)
    token_prefix = models.CharField(_("mã nhận diện"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người tạo"),
    )  # fmt: skip
    last_seen_at = models.DateTimeField(_("lần cuối kết nối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        ordering = ["center", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
