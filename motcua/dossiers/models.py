"""Dossiers (issue 4, ADR 0008): the one-stop workflow from receipt to result.

`Dossier.status` stores the national portal's code (1–10) itself, so the mapping is one-to-one
by construction. Every change goes through `dossiers.services`, which checks
`transitions.ALLOWED`, takes the optimistic lock (`version`) and appends a `DossierEvent`; the
control sheet, the public timeline, the log book and the statistics all read those rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DailySequence(models.Model):
    """The last number given in one code series on one day, advanced inside the acceptance.

    The series is the code without its number (`000.17.22.H56-210531-`), so one row exists per
    receiving unit and day with the default format, per deciding agency and day with the
    centralised one, and two places sharing a unit ID can never mint the same code.
    """

    series = models.CharField(_("dãy mã"), max_length=80)
    business_date = models.DateField(_("ngày"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("dãy số mã hồ sơ")
        verbose_name_plural = _("dãy số mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["series", "business_date"], name="dossiers_dailysequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.last_number}"


class Dossier(models.Model):
    class Status(models.IntegerChoices):
        # The values are the national public service portal's codes (DOMAIN.md §1.3).
        SUBMITTED = 1, _("Mới đăng ký")
        ACCEPTED = 2, _("Được tiếp nhận")
        REFUSED = 3, _("Không được tiếp nhận")
        PROCESSING = 4, _("Đang xử lý")
        SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
        AWAITING_PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
        WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
        STOPPED = 8, _("Dừng xử lý")
        RESULT_READY = 9, _("Đã xử lý xong")
        RETURNED = 10, _("Đã trả kết quả")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("Trực tiếp tại quầy")
        ONLINE = "online", _("Trực tuyến")
        POST = "post", _("Bưu chính công ích")

    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        ORGANISATION = "organisation", _("Tổ chức")

    class ReturnMethod(models.TextChoices):
        COUNTER = "counter", _("Tại quầy")
        POST = "post", _("Qua bưu chính")
        ONLINE = "online", _("Trực tuyến")

    code = models.CharField(_("mã hồ sơ"), max_length=80, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("phiên bản thủ tục")
    )
    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("họ tên / tên tổ chức"), max_length=255)
    # Text, never a number: leading zeros are part of it (DOMAIN rule 17).
    applicant_national_id = models.CharField(_("số định danh / mã số"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    submitter_name = models.CharField(_("người nộp thay"), max_length=255, blank=True)
    submitter_national_id = models.CharField(_("số định danh người nộp thay"), max_length=20, blank=True)
    submitter_phone = models.CharField(_("điện thoại người nộp thay"), max_length=20, blank=True)
    authorisation_note = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)

    receiving_center = models.ForeignKey(
        "core.Center", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("nơi tiếp nhận")
    )
    competent_agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("cơ quan có thẩm quyền")
    )
    current_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="dossiers_at",
        null=True,
        blank=True,
        verbose_name=_("cơ quan đang xử lý"),
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, default=Status.SUBMITTED)
    ticket = models.ForeignKey(
        "queueing.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers",
        verbose_name=_("số thứ tự"),
    )  # fmt: skip
    counter = models.ForeignKey(
        "queueing.Counter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("quầy tiếp nhận"),
    )  # fmt: skip
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )  # fmt: skip
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_dossiers",
        verbose_name=_("chuyên viên xử lý"),
    )  # fmt: skip
    is_digitised = models.BooleanField(_("đã số hóa khi tiếp nhận"), default=False)
    return_method = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=ReturnMethod.choices, default=ReturnMethod.COUNTER
    )
    note = models.TextField(_("ghi chú"), blank=True)

    submitted_at = models.DateTimeField(_("nộp lúc"))
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả"), null=True, blank=True)
    # The due time at acceptance moved only by supplement pauses: what statistics compare with,
    # so an apology's new appointment never turns a late dossier into an on-time one (rule 8).
    original_due_at = models.DateTimeField(_("hạn giải quyết ban đầu"), null=True, blank=True)
    paused_since = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)
    paused_total = models.DurationField(_("tổng thời gian tạm dừng"), default=timedelta(0))
    forward_due_at = models.DateTimeField(_("hạn chuyển hồ sơ"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("chuyển xử lý lúc"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("cảnh báo sắp đến hạn lúc"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("quá hạn lúc"), null=True, blank=True)
    forward_overdue_at = models.DateTimeField(_("chậm chuyển lúc"), null=True, blank=True)
    # Optimistic lock: every change is `UPDATE … WHERE version = <what the officer saw>`.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "hồ sơ")
        indexes = [
            models.Index(fields=["competent_agency", "status", "due_at"], name="dossier_agency_status_due"),
            models.Index(fields=["current_agency", "status"], name="dossier_current_status"),
            models.Index(fields=["assigned_to", "status"], name="dossier_assigned_status"),
            models.Index(fields=["receiving_center", "accepted_at"], name="dossier_center_accepted"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            # The agencies' "returned" list, read in this order: results waiting to be collected,
            # then those handed over lately, newest first within each.
            models.Index(fields=["competent_agency", "status", "-result_ready_at", "-id"], name="dossier_agency_ready"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def snapshot(self) -> dict:
        return self.procedure_version.snapshot

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_late(self) -> bool | None:
        """Late against the original due time (None while open or without a due time)."""
        if self.original_due_at is None or self.result_ready_at is None:
            return None
        return self.result_ready_at > self.original_due_at


FINAL_STATUSES = frozenset(
    {Dossier.Status.REFUSED, Dossier.Status.WITHDRAWN, Dossier.Status.STOPPED, Dossier.Status.RETURNED}
)


class DossierEvent(models.Model):
    """One change of a dossier (append-only): who, when, where, what, why."""

    class ActorKind(models.TextChoices):
        OFFICER = "officer", _("Cán bộ")
        CITIZEN = "citizen", _("Công dân")
        SYSTEM = "system", _("Hệ thống")
        API = "api", _("Tích hợp")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    from_status = models.PositiveSmallIntegerField(null=True, blank=True, choices=Dossier.Status.choices)
    to_status = models.PositiveSmallIntegerField(choices=Dossier.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices, default=ActorKind.OFFICER)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    counter = models.ForeignKey("queueing.Counter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    reason = models.TextField(_("lý do"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lịch sử hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class DossierDocument(models.Model):
    """A checklist line as provided: counts, scan, or why nothing was scanned (rules 11, 12)."""

    class NotScanned(models.TextChoices):
        NONE = "", _("—")
        ONLINE = "online", _("Nộp trực tuyến")
        SHOW_ONLY = "show_only", _("Chỉ xuất trình")
        INTER_AGENCY_RESULT = "inter_agency_result", _("Kết quả liên thông")
        CLASSIFIED = "classified", _("Tài liệu mật")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    ordering = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.TextField(_("tên giấy tờ"))
    required_originals = models.PositiveSmallIntegerField(default=0)
    required_certified_copies = models.PositiveSmallIntegerField(default=0)
    required_plain_copies = models.PositiveSmallIntegerField(default=0)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    plain_copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    provided = models.BooleanField(_("đã nộp"), default=False)
    show_only = models.BooleanField(_("chỉ xuất trình"), default=False)
    replaced_by = models.CharField(_("thay thế bởi CSDL"), max_length=32, blank=True)
    db_reference = models.CharField(_("mã tra cứu CSDL"), max_length=80, blank=True)
    scan = models.FileField(_("bản điện tử"), upload_to="dossiers/scans/%Y/%m/", blank=True)
    not_scanned_reason = models.CharField(max_length=24, choices=NotScanned.choices, blank=True, default="")
    supplement = models.ForeignKey(
        "SupplementRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )

    class Meta:
        ordering = ["dossier", "ordering", "id"]
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")

    def __str__(self) -> str:
        return self.name


class DossierFee(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.DecimalField(_("số tiền"), max_digits=14, decimal_places=0)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    paid = models.BooleanField(_("đã thu"), default=False)
    method = models.CharField(_("hình thức thu"), max_length=20, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    paid_at = models.DateTimeField(_("thu lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")

    def __str__(self) -> str:
        return self.name


class SupplementRequest(models.Model):
    class Stage(models.TextChoices):
        RECEPTION = "reception", _("Khi tiếp nhận")
        PROCESSING = "processing", _("Trong quá trình xử lý")

    class RequestedBy(models.TextChoices):
        ONE_STOP = "one_stop", _("Bộ phận một cửa")
        AGENCY = "agency", _("Cơ quan xử lý")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    stage = models.CharField(_("giai đoạn"), max_length=12, choices=Stage.choices)
    requested_by_kind = models.CharField(max_length=10, choices=RequestedBy.choices, default=RequestedBy.ONE_STOP)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ticket = models.ForeignKey("queueing.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deadline_at = models.DateTimeField(_("hạn bổ sung"), null=True, blank=True)
    received_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    paused = models.DurationField(_("thời gian tạm dừng"), null=True, blank=True)
    expired_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(stage="processing", received_at__isnull=True, expired_at__isnull=True),
                name="dossiers_one_open_supplement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%d/%m/%Y}"


class DossierStep(models.Model):
    """One step of the procedure's process as this dossier went through it (control sheet row)."""

    class Outcome(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    ordering = models.PositiveIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=255)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    time_value = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2, default=0)
    time_unit = models.CharField(_("đơn vị"), max_length=16)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("bàn giao lúc"), null=True, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["dossier", "ordering"]
        constraints = [models.UniqueConstraint(fields=["dossier", "ordering"], name="dossiers_step_unique")]
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")

    def __str__(self) -> str:
        return f"{self.ordering}. {self.name}"


class ApologyLetter(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    number = models.PositiveSmallIntegerField(_("lần"), default=1)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan"))
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField(_("hẹn cũ"))
    new_due_at = models.DateTimeField(_("hẹn mới"))
    issued_at = models.DateTimeField(_("ban hành lúc"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="dossiers_apology_unique")]
        verbose_name = _("văn bản xin lỗi")
        verbose_name_plural = _("văn bản xin lỗi")

    def __str__(self) -> str:
        return f"{self.dossier} #{self.number}"


class DossierResult(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", _("Bản giấy")
        ELECTRONIC = "electronic", _("Bản điện tử")
        BOTH = "both", _("Bản giấy và bản điện tử")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    kind = models.CharField(_("loại kết quả"), max_length=12, choices=Kind.choices, default=Kind.PAPER)
    file = models.FileField(_("tệp kết quả"), upload_to="dossiers/results/%Y/%m/", blank=True)
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=80, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approved_at = models.DateTimeField(_("phê duyệt lúc"))

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self) -> str:
        return f"{self.dossier} {self.document_number}"


class DossierReturn(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="handover")
    method = models.CharField(_("hình thức"), max_length=10, choices=Dossier.ReturnMethod.choices)
    collected_by_name = models.CharField(_("người nhận"), max_length=255, blank=True)
    collected_by_national_id = models.CharField(_("số định danh người nhận"), max_length=20, blank=True)
    authorisation = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)
    counter = models.ForeignKey("queueing.Counter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField(_("trả lúc"))
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    postal_status = models.CharField(_("trạng thái bưu gửi"), max_length=120, blank=True)
    delivered_at = models.DateTimeField(_("phát thành công lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("trả kết quả")
        verbose_name_plural = _("trả kết quả")

    def __str__(self) -> str:
        return f"{self.dossier} {self.method}"


class DossierSlip(models.Model):
    """A printed paper: the frozen payload it was printed from, so a reprint is identical."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
        SUPPLEMENT = "supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
        APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        STOP = "stop", _("Thông báo dừng giải quyết hồ sơ")
        CONTROL_SHEET = "control_sheet", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="slips")
    kind = models.CharField(_("loại phiếu"), max_length=16, choices=Kind.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(_("lập lúc"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["dossier", "created_at", "id"]
        verbose_name = _("phiếu in")
        verbose_name_plural = _("phiếu in")

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind}"
