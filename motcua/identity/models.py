"""Citizen identity (issue 5, ADR 0009): citizen profiles, consents, face-check outcomes, and the
identity a verified citizen brings to their queue ticket.

Nothing biometric is a column here: a face check leaves its outcome, distance, time and kiosk,
never an image or a descriptor, and the ID number it concerned only as a keyed hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CitizenProfile(models.Model):
    """What makes an `accounts.User` a citizen account (no roles, not staff)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen")
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    terms_version = models.CharField(_("phiên bản điều khoản đã đồng ý"), max_length=20)
    terms_accepted_at = models.DateTimeField(_("đồng ý điều khoản lúc"))
    # Assisted registration: the staff member (e.g. postal staff at the center) who registered the
    # citizen in person, with the citizen present.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người hỗ trợ đăng ký"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("đăng ký lúc"))

    class Meta:
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")

    def __str__(self) -> str:
        return self.full_name


class ConsentRecord(models.Model):
    """One consent given (or withdrawn) before personal data is processed (Decree 13/2023)."""

    class Kind(models.TextChoices):
        FACE_CHECK = "face_check", _("Xác thực khuôn mặt tại kiosk")
        TERMS = "terms", _("Điều khoản sử dụng cổng dịch vụ công")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    text_version = models.CharField(_("phiên bản nội dung"), max_length=20)
    device = models.ForeignKey("devices.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A one-time reference of the kiosk session the consent belongs to (no personal data).
    session_ref = models.CharField(max_length=64, blank=True, db_index=True)
    given_at = models.DateTimeField(_("đồng ý lúc"))
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")

    def __str__(self) -> str:
        return f"{self.kind} {self.given_at:%Y-%m-%d %H:%M}"


class FaceCheck(models.Model):
    """The outcome of one 1:1 face check — and nothing else about the face."""

    class Result(models.TextChoices):
        MATCH = "match", _("Khớp")
        NO_MATCH = "no_match", _("Không khớp")
        NO_FACE = "no_face", _("Không thấy khuôn mặt")
        SEVERAL_FACES = "several_faces", _("Nhiều khuôn mặt")
        POOR_IMAGE = "poor_image", _("Ảnh quá tối hoặc mờ")
        NOT_LIVE = "not_live", _("Không xác nhận được người thật")
        NO_REFERENCE = "no_reference", _("Ảnh thẻ không dùng được")

    result = models.CharField(_("kết quả"), max_length=16, choices=Result.choices)
    distance = models.FloatField(_("khoảng cách"), null=True, blank=True)
    threshold = models.FloatField(_("ngưỡng"))
    challenge = models.CharField(_("thử thách"), max_length=16, blank=True)
    device = models.ForeignKey("devices.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    center = models.ForeignKey("core.Center", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    consent = models.ForeignKey(ConsentRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # HMAC of the ID number with the site's key: enough to rate-limit per person, useless to read.
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    duration_ms = models.PositiveIntegerField(_("thời gian xử lý (ms)"), default=0)
    at = models.DateTimeField(_("thời điểm"), db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("lượt xác thực khuôn mặt")
        verbose_name_plural = _("lượt xác thực khuôn mặt")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.result}"


class TicketIdentity(models.Model):
    """Who a queue ticket belongs to, once verified at the kiosk: pre-fills the dossier at the counter."""

    class Method(models.TextChoices):
        FACE = "face", _("Khuôn mặt khớp ảnh thẻ căn cước")
        OFFICER = "officer", _("Cán bộ đối chiếu giấy tờ")

    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="identity")
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    method = models.CharField(_("cách xác thực"), max_length=10, choices=Method.choices)
    face_check = models.ForeignKey(FaceCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(_("xác thực lúc"))

    class Meta:
        verbose_name = _("danh tính của số thứ tự")
        verbose_name_plural = _("danh tính của số thứ tự")

    def __str__(self) -> str:
        return self.full_name


class CitizenToken(models.Model):
    """A citizen's sign-in on the mobile app: `Authorization: Bearer mc_…` (issue 5).

    Only the SHA-256 of the token is kept: the app receives the token once, when it is issued,
    and nobody — not even an administrator — can read it back from the database.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_tokens", verbose_name=_("công dân")
    )
    key_hash = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    label = models.CharField(_("thiết bị"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("cấp lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phiên đăng nhập ứng dụng")
        verbose_name_plural = _("phiên đăng nhập ứng dụng")

    def __str__(self) -> str:
        return f"{self.label or '—'} ({self.created_at:%Y-%m-%d %H:%M})"
