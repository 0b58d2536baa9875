"""Satisfaction (issue 6, ADR 0010): a rating per served ticket, an assessment per dossier.

The assessment scheme (indicators, scores, questions, grade bands) is data in
`AssessmentScheme.definition`, versioned: an assessment keeps the version it was given under,
so a new regulation never re-grades old assessments.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    """The three answers of every satisfaction question (DOMAIN.md §3.1)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class TicketRating(models.Model):
    """How the citizen found the service at the counter, given right after their ticket was served."""

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        TABLET = "tablet", _("Máy tính bảng tại quầy")
        PHONE = "phone", _("Điện thoại (trang theo dõi số)")

    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="rating")
    # Copied from the ticket when rated: reports group by them without joining the ticket.
    center = models.ForeignKey("core.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("trung tâm"))
    queue = models.ForeignKey("queueing.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("hàng đợi"))
    counter = models.ForeignKey(
        "queueing.Counter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("quầy")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cán bộ"),
    )  # fmt: skip
    answer = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Answer.choices)
    comment = models.CharField(_("góp ý"), max_length=500, blank=True)
    channel = models.CharField(_("nơi đánh giá"), max_length=8, choices=Channel.choices)
    device = models.ForeignKey("devices.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("đánh giá lượt phục vụ")
        verbose_name_plural = _("đánh giá lượt phục vụ")
        indexes = [
            models.Index(fields=["center", "at"], name="feedback_rating_center_at"),
            models.Index(fields=["officer", "at"], name="feedback_rating_officer_at"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.answer}"


class AssessmentScheme(models.Model):
    """One version of the dossier assessment (Decree 61/2018's 9 indicators today).

    `definition` (validated by `feedback.schemes.validate_definition`):
    `{"max_score": 18, "indicators": [{"number", "label", "scores": {"2", "1", "0"}, "derive"}],
      "questions": [{"code", "label", "overall": bool}], "grades": [{"grade", "label", "min",
      "max", "min_inclusive", "max_inclusive"}]}` — grade bands are closed or half-open intervals
    that must cover 0..max_score with no gap and no overlap.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    title = models.CharField(_("tên"), max_length=255)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    valid_from = models.DateField(_("áp dụng từ"))
    definition = models.JSONField(_("nội dung"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("bộ tiêu chí đánh giá")
        verbose_name_plural = _("bộ tiêu chí đánh giá")

    def __str__(self) -> str:
        return self.title


class DossierAssessment(models.Model):
    """The citizen's assessment of one dossier (at most one per dossier code, after it is returned)."""

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        PORTAL = "portal", _("Cổng dịch vụ công")
        LINK = "link", _("Đường dẫn trong thông báo")
        APP = "app", _("Ứng dụng di động")

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="assessment")
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.PROTECT, related_name="assessments")
    # {"1": 2, "2": 1, …}: the score of each indicator of the scheme, and where it came from
    # ({"1": "derived", "5": "asked"}): derived ones are computed from the dossier's history.
    scores = models.JSONField(_("điểm từng tiêu chí"))
    sources = models.JSONField(default=dict)
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    grade = models.CharField(_("xếp loại"), max_length=20)
    # {"ease": "satisfied", "overall": "very_satisfied"}: the scheme's subjective questions.
    answers = models.JSONField(_("câu trả lời"), default=dict)
    # The answer to the scheme's overall question, as a column: the satisfaction rate reads it.
    overall = models.CharField(_("đánh giá chung"), max_length=16, choices=Answer.choices)
    comment = models.CharField(_("góp ý"), max_length=1000, blank=True)
    channel = models.CharField(_("nơi đánh giá"), max_length=8, choices=Channel.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied from the dossier when assessed, for reports.
    center = models.ForeignKey("core.Center", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")
        indexes = [
            models.Index(fields=["center", "at"], name="feedback_assess_center_at"),
            models.Index(fields=["agency", "at"], name="feedback_assess_agency_at"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total} ({self.grade})"
