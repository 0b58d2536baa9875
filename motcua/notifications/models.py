"""Printers and the outbox: side effects (printing, e-mail and SMS to citizens) written in the same
transaction as the change that causes them, and delivered after commit by a worker."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import Center


class Printer(models.Model):
    """A receipt printer (máy in phiếu) reached over the network or through a device file."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("máy in mạng (host:port)")
        DEVICE = "device", _("thiết bị (tệp thiết bị)")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="printers")
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("kiểu kết nối"), max_length=8, choices=Kind.choices, default=Kind.NETWORK)
    host = models.CharField(_("địa chỉ máy in"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("cổng"), default=9100)
    device_path = models.CharField(_("đường dẫn thiết bị"), max_length=255, blank=True, help_text="/dev/usb/lp0")
    # 576 dots for an 80 mm head, 384 for 58 mm: the slip image is drawn at this width.
    dots_per_line = models.PositiveIntegerField(_("số điểm mỗi dòng"), default=576)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    is_slip_default = models.BooleanField(_("máy in phiếu số thứ tự mặc định"), default=False)

    class Meta:
        verbose_name = _("máy in")
        verbose_name_plural = _("máy in")
        ordering = ["center", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center"],
                condition=models.Q(is_slip_default=True),
                name="notifications_printer_one_slip_default",
                violation_error_message=_("Mỗi trung tâm chỉ có một máy in phiếu số thứ tự mặc định."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}" if self.kind == self.Kind.NETWORK else self.device_path

    def clean(self) -> None:
        if self.kind == self.Kind.NETWORK and not self.host:
            raise ValidationError({"host": _("Máy in mạng cần địa chỉ (tên máy hoặc IP).")})
        if self.kind == self.Kind.DEVICE and not self.device_path:
            raise ValidationError({"device_path": _("Máy in qua thiết bị cần đường dẫn tệp thiết bị.")})


class OutboxMessage(models.Model):
    """One side effect to deliver. A failed attempt is retried later with a growing pause."""

    class Status(models.TextChoices):
        PENDING = "pending", _("chờ gửi")
        SENDING = "sending", _("đang gửi")
        SENT = "sent", _("đã gửi")
        FAILED = "failed", _("lỗi")

    channel = models.CharField(_("kênh"), max_length=20, db_index=True)
    printer = models.ForeignKey(
        Printer, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name=_("máy in")
    )
    recipient = models.CharField(_("người nhận"), max_length=255, blank=True)  # a phone (84…) or an e-mail
    subject = models.CharField(_("nội dung"), max_length=200, blank=True)
    ticket = models.ForeignKey(
        "queueing.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("số thứ tự"),
    )
    # The dossier a notice to the citizen is about (e-mail and SMS of ADR 0008 §7).
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("hồ sơ"),
    )
    payload = models.BinaryField(_("dữ liệu"), editable=False)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    # When a worker may take it next: now for new rows, later after a failure, None once given up.
    next_attempt_at = models.DateTimeField(_("lần thử tiếp theo"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("thời điểm nhận gửi"), null=True, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi xong"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin chờ gửi")
        verbose_name_plural = _("tin chờ gửi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.subject}"
