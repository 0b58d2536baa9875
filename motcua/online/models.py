"""Online submission on the citizen portal (issue 5): drafts and the citizen's own files.

A `Draft` is a dossier being written by a citizen: the procedure version it was started on, the
receiving center, and the answers page by page. Its `Attachment` rows are the citizen's data
store (DOMAIN §4): a file uploaded once can be reused in a later draft without uploading it
again. Files go through Django's default storage, so an S3-compatible bucket can hold them;
nothing here is served from a public URL — every download checks who asks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã gửi")

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="online_drafts", verbose_name=_("công dân")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục")
    )
    # The version the pages were built from; a newer one makes the draft start its checklist again.
    version_number = models.PositiveIntegerField(_("phiên bản thủ tục"))
    center = models.ForeignKey("core.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi tiếp nhận"))
    # {"applicant": {...}, "return_method": "...", "documents": {"<index>": "upload"|"national_db"|"not_applicable"}}
    answers = models.JSONField(_("nội dung đã khai"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hồ sơ đã nộp"),
    )  # fmt: skip

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["citizen", "status", "-updated_at"], name="online_draft_citizen")]
        verbose_name = _("hồ sơ đang soạn")
        verbose_name_plural = _("hồ sơ đang soạn")

    def __str__(self) -> str:
        return f"{self.procedure_id} #{self.pk}"


class Attachment(models.Model):
    """One file a citizen uploaded for one checklist line, checked by its content."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="online_attachments", verbose_name=_("công dân")
    )
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    # The line's place in the version's checklist (-1 for a supplement, which has no draft).
    document_index = models.IntegerField(_("thứ tự giấy tờ"))
    document_name = models.TextField(_("tên giấy tờ"))
    file = models.FileField(_("tệp"), upload_to="online/attachments/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=40, choices=ContentType.choices)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    # Reusing a file links the same stored object; the row says where it came from.
    reused_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dùng lại từ")
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name
