"""The procedure catalog: agencies, sectors, procedures and what each one requires.

The live rows (Procedure and its documents, fees and steps) are what screens and search read.
Every change made through `catalog.services` also freezes a `ProcedureVersion` snapshot, so an
old version stays readable and a dossier can point at exactly what was in force at receipt.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.choices import TimeUnit


class Agency(models.Model):
    """A competent agency (Sở, Ban, Ngành, or a commune People's Committee).

    Departments were merged in 2025, so an agency has effective dates and may name the agency
    that took over its work.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("UBND cấp xã")
        POLICE = "police", _("Công an")
        OTHER = "other", _("Khác")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    unit_id = models.CharField(_("mã định danh điện tử"), max_length=40, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("cơ quan tiếp nhận nhiệm vụ"),
    )
    aliases = models.CharField(
        _("tên gọi khác"), max_length=500, blank=True, help_text=_("Cách nhau bởi dấu ;")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Sector(models.Model):
    """A field of procedures (lĩnh vực), e.g. Chứng thực, Hộ tịch."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = pgettext_lazy("số nhiều", "lĩnh vực")

    def __str__(self) -> str:
        return self.name


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class NationalDatabase(models.TextChoices):
    """National databases that can replace a paper (DOMAIN.md §4, rule 12)."""

    NONE = "", _("Không")
    POPULATION = "population", _("CSDL quốc gia về dân cư")
    CIVIL_STATUS = "civil_status", _("CSDL hộ tịch điện tử")
    JUDICIAL_RECORD = "judicial_record", _("CSDL lý lịch tư pháp")
    DRIVING_LICENCE = "driving_licence", _("CSDL giấy phép lái xe")
    BUSINESS_REGISTRATION = "business_registration", _("CSDL quốc gia về đăng ký doanh nghiệp")
    LAND = "land", _("CSDL quốc gia về đất đai")
    INSURANCE = "insurance", _("CSDL bảo hiểm")


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    code_verified = models.BooleanField(_("mã đã đối chiếu CSDL quốc gia"), default=False)
    name = models.TextField(_("tên thủ tục"))
    name_en = models.TextField(_("tên tiếng Anh"), blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("cơ quan có thẩm quyền"),
    )
    centers = models.ManyToManyField(
        "core.Center", blank=True, related_name="procedures", verbose_name=_("nơi tiếp nhận")
    )
    location_independent = models.BooleanField(_("phi địa giới"), default=False)
    online_level = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    time_value = models.DecimalField(_("thời hạn"), max_digits=6, decimal_places=2, default=Decimal(0))
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices)
    same_day_cutoff = models.TimeField(
        _("giờ chốt trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được hẹn ngày làm việc tiếp theo (thường 15:00)."),
    )
    time_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    # How long a citizen has to bring a requested supplement (ThoiHanBoSung); empty = no limit.
    supplement_time_value = models.DecimalField(
        _("thời hạn bổ sung hồ sơ"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Quá hạn này mà công dân chưa bổ sung thì hồ sơ bị dừng xử lý. Để trống: không giới hạn."),
    )  # fmt: skip
    supplement_time_unit = models.CharField(
        _("đơn vị thời hạn bổ sung"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    effective_date = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    verification = models.CharField(_("nguồn đối chiếu"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True, db_index=True)
    # Folded (no diacritics) copies kept for search; written by catalog.services only.
    search_name = models.TextField(editable=False, blank=True)
    search_extra = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class RequiredDocument(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    plain_copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    show_only = models.BooleanField(_("chỉ xuất trình"), default=False)
    replaced_by = models.CharField(
        _("thay thế bởi CSDL"), max_length=32, choices=NationalDatabase.choices, blank=True, default=""
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["procedure", "ordering", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A fee or charge. Flat: `amount` per case. Tiered: a price per unit by quantity band, capped."""

    class Kind(models.TextChoices):
        FLAT = "flat", _("Cố định")
        TIERED = "tiered", _("Theo bậc")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    kind = models.CharField(_("cách tính"), max_length=10, choices=Kind.choices, default=Kind.FLAT)
    amount = models.DecimalField(_("mức thu"), max_digits=14, decimal_places=0, default=Decimal(0))
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True, help_text=_("ví dụ: trang"))
    per = models.CharField(_("áp dụng cho"), max_length=60, blank=True, help_text=_("ví dụ: bản, trường hợp"))
    cap = models.DecimalField(_("mức tối đa"), max_digits=14, decimal_places=0, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["procedure", "ordering", "id"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = pgettext_lazy("số nhiều", "phí, lệ phí")

    def __str__(self) -> str:
        return self.name


class FeeTier(models.Model):
    """Units `from_quantity`..`to_quantity` (inclusive; open-ended when empty) at `unit_price`."""

    fee = models.ForeignKey(Fee, on_delete=models.CASCADE, related_name="tiers")
    from_quantity = models.PositiveIntegerField(_("từ"))
    to_quantity = models.PositiveIntegerField(_("đến"), null=True, blank=True)
    unit_price = models.DecimalField(_("đơn giá"), max_digits=14, decimal_places=0)

    class Meta:
        ordering = ["fee", "from_quantity"]
        verbose_name = _("bậc phí")
        verbose_name_plural = pgettext_lazy("số nhiều", "bậc phí")

    def __str__(self) -> str:
        return f"{self.from_quantity}–{self.to_quantity or '∞'}: {self.unit_price}"


class ProcedureStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("bước"), max_length=255)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cơ quan")
    )
    time_value = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2, default=Decimal(0))
    time_unit = models.CharField(
        _("đơn vị"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        ordering = ["procedure", "ordering", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "quy trình xử lý")

    def __str__(self) -> str:
        return self.name


class ProcedureVersion(models.Model):
    """A frozen, readable copy of a procedure as it stood after one change."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    snapshot = models.JSONField()
    content_hash = models.CharField(max_length=64)
    effective_date = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_note = models.CharField(_("nội dung thay đổi"), max_length=255, blank=True)

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")
        ]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiên bản thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"
