"""Centers (receiving units), their floors, the working calendar and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .sessions import sessions_to_text, validate_sessions


def _default_reception() -> list[list[str]]:
    return [list(span) for span in settings.MOTCUA["DEFAULT_RECEPTION_SESSIONS"]]


def _default_working() -> list[list[str]]:
    return [list(span) for span in settings.MOTCUA["DEFAULT_WORKING_SESSIONS"]]


class Center(models.Model):
    """A place that receives dossiers: the city center, a commune center or another point."""

    class Level(models.TextChoices):
        CITY = "city", _("Trung tâm Phục vụ hành chính công cấp tỉnh/thành phố")
        COMMUNE = "commune", _("Trung tâm Phục vụ hành chính công cấp xã/phường")
        OTHER = "other", _("Điểm tiếp nhận khác")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices, default=Level.CITY)
    address = models.CharField(_("địa chỉ"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    # Electronic ID code (mã định danh điện tử) used as the prefix of dossier codes.
    unit_id = models.CharField(_("mã định danh điện tử"), max_length=40, blank=True)
    reception_sessions = models.JSONField(
        _("giờ tiếp nhận"), default=_default_reception, validators=[validate_sessions]
    )
    working_sessions = models.JSONField(
        _("giờ làm việc (tính hạn)"), default=_default_working, validators=[validate_sessions]
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("trung tâm")
        verbose_name_plural = pgettext_lazy("số nhiều", "trung tâm")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def reception_text(self) -> str:
        return sessions_to_text(self.reception_sessions)

    @property
    def working_text(self) -> str:
        return sessions_to_text(self.working_sessions)


class Floor(models.Model):
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="floors")
    code = models.SlugField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=120)
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["center", "ordering"]
        constraints = [models.UniqueConstraint(fields=["center", "code"], name="floor_code_unique")]
        verbose_name = _("tầng")
        verbose_name_plural = pgettext_lazy("số nhiều", "tầng")

    def __str__(self) -> str:
        return f"{self.center.display_name} – {self.name}"


class CalendarDay(models.Model):
    """One exception to the Monday–Friday week.

    Rows with no center apply province-wide; a row for a center wins over the province row
    for the same date. Rows from the `holidays` package are `source=package` and are
    refreshed by `calendar_seed`; manual rows are never overwritten.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKDAY = "workday", _("Ngày làm bù")

    class Source(models.TextChoices):
        PACKAGE = "package", _("Lịch nhà nước (tự động)")
        MANUAL = "manual", _("Nhập tay")

    date = models.DateField(_("ngày"))
    center = models.ForeignKey(
        Center,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
        verbose_name=_("trung tâm"),
        help_text=_("Để trống: áp dụng toàn tỉnh/thành phố."),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("nguồn"), max_length=16, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "center"], name="calendar_day_per_center_unique"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(center__isnull=True),
                name="calendar_day_province_unique",
            ),
        ]
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch nghỉ, làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKDAY


class AuditLog(models.Model):
    """Who did or read what. Reads of personal data are logged here too (privacy rule 8)."""

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    center = models.ForeignKey(Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("nhật ký")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký hệ thống")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
