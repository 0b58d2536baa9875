"""Daily facts behind the leaders' dashboards (issue 6, ADR 0010 §3).

Each row is a sum over one local day (Asia/Ho_Chi_Minh) and one key; `facts.facts_for_day`
computes them from the raw rows and `facts.rollup_day` stores a closed day. The foreign keys
carry no database constraint and no cascade: a fact is history, written in bulk, and must
survive whatever happens later to the row it names. Counts only; rates are computed by
`figures` from the sums, never stored (a mean of rates is not a rate).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Wait and service histograms: bucket i counts durations in [EDGES[i], EDGES[i+1]) minutes,
# the last bucket is EDGES[-1] minutes and over.
HISTOGRAM_EDGES = (0, 5, 10, 15, 20, 30, 45, 60)
BUCKETS = len(HISTOGRAM_EDGES)


def _ref(model: str, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+",
        null=null, blank=null,
    )  # fmt: skip


def _count() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0)


class DayFact(models.Model):
    day = models.DateField(_("ngày"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.day}"


class DossierDayFact(DayFact):
    """What happened to dossiers on one day, per receiving center × competent agency × sector ×
    procedure × channel (the officer is in `DossierOfficerFact`)."""

    center = _ref("core.Center")
    agency = _ref("catalog.Agency")
    sector = _ref("catalog.Sector")
    procedure = _ref("catalog.Procedure")
    channel = models.CharField(max_length=10)
    received = _count()
    received_online = _count()
    digitised = _count()
    resolved = _count()
    resolved_early = _count()
    resolved_on_time = _count()
    resolved_late = _count()
    resolved_online = _count()
    resolved_online_on_time = _count()
    fee_bearing = _count()
    paid_online = _count()
    e_results = _count()
    returned = _count()
    withdrawn = _count()
    stopped = _count()

    class Meta:
        verbose_name = _("số liệu hồ sơ theo ngày")
        verbose_name_plural = _("số liệu hồ sơ theo ngày")
        indexes = [
            models.Index(fields=["day"], name="reports_dfact_day"),
            models.Index(fields=["center", "day"], name="reports_dfact_center_day"),
            models.Index(fields=["agency", "day"], name="reports_dfact_agency_day"),
        ]


class DossierStockFact(DayFact):
    """Dossiers in progress at the end of one day (a snapshot), same key as `DossierDayFact`.

    Kept apart from the day's flows: a period reads the snapshot of its last day only, while
    the flows are summed over every day; in one table the snapshot rows (tens of thousands a
    day) would multiply what every sum reads.
    """

    center = _ref("core.Center")
    agency = _ref("catalog.Agency")
    sector = _ref("catalog.Sector")
    procedure = _ref("catalog.Procedure")
    channel = models.CharField(max_length=10)
    in_progress = _count()
    in_progress_within_time = _count()
    in_progress_overdue = _count()

    class Meta:
        verbose_name = _("hồ sơ đang xử lý cuối ngày")
        verbose_name_plural = _("hồ sơ đang xử lý cuối ngày")
        indexes = [
            models.Index(fields=["day", "center"], name="reports_sfact_day_center"),
            models.Index(fields=["day", "agency"], name="reports_sfact_day_agency"),
        ]


class DossierOfficerFact(DayFact):
    """The dossier counts of one day per receiving center × competent agency × the officer who
    received them: the day's flows and the end-of-day snapshot in one row. Apart from
    `DossierDayFact` because the officer would multiply its rows (procedures × officers)."""

    center = _ref("core.Center")
    agency = _ref("catalog.Agency")
    officer = _ref(settings.AUTH_USER_MODEL, null=True)
    received = _count()
    received_online = _count()
    digitised = _count()
    resolved = _count()
    resolved_early = _count()
    resolved_on_time = _count()
    resolved_late = _count()
    resolved_online = _count()
    resolved_online_on_time = _count()
    fee_bearing = _count()
    paid_online = _count()
    e_results = _count()
    returned = _count()
    withdrawn = _count()
    stopped = _count()
    in_progress = _count()
    in_progress_within_time = _count()
    in_progress_overdue = _count()

    class Meta:
        verbose_name = _("số liệu hồ sơ theo cán bộ tiếp nhận")
        verbose_name_plural = _("số liệu hồ sơ theo cán bộ tiếp nhận")
        indexes = [
            models.Index(fields=["day", "center"], name="reports_ofact_day_center"),
            models.Index(fields=["day", "agency"], name="reports_ofact_day_agency"),
        ]


class TicketCounts(DayFact):
    """The counts of queue numbers of one business day of a center (the key is the subclass's);
    histograms as one column per bucket so the database can sum them."""

    center = _ref("core.Center")
    tickets = _count()
    issued = _count()
    served = _count()
    no_shows = _count()
    transferred = _count()
    wait_seconds_sum = models.FloatField(default=0)
    wait_count = _count()
    service_seconds_sum = models.FloatField(default=0)
    service_count = _count()
    wait_0, wait_1, wait_2, wait_3, wait_4, wait_5, wait_6, wait_7 = (_count() for _ in range(BUCKETS))
    service_0, service_1, service_2, service_3, service_4, service_5, service_6, service_7 = (
        _count() for _ in range(BUCKETS)
    )

    class Meta:
        abstract = True

    @property
    def wait_histogram(self) -> list[int]:
        return [getattr(self, f"wait_{i}") for i in range(BUCKETS)]

    @property
    def service_histogram(self) -> list[int]:
        return [getattr(self, f"service_{i}") for i in range(BUCKETS)]


class TicketDayFact(TicketCounts):
    """Queue numbers of one business day, per center × queue × serving counter × officer × hour
    of issue."""

    queue = _ref("queueing.Queue")
    counter = _ref("queueing.Counter", null=True)
    officer = _ref(settings.AUTH_USER_MODEL, null=True)
    hour = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("số liệu xếp hàng theo ngày")
        verbose_name_plural = _("số liệu xếp hàng theo ngày")
        indexes = [
            models.Index(fields=["day"], name="reports_tfact_day"),
            models.Index(fields=["center", "day"], name="reports_tfact_center_day"),
            # Covers arrivals by day × hour (the queue page's heat map): read from the index alone.
            models.Index(fields=["day", "hour", "center", "issued"], name="reports_tfact_arrivals"),
        ]


class TicketQueueFact(TicketCounts):
    """`TicketDayFact` summed over counters and officers: what the queue page reads when it
    groups by queue or center (or not at all) with no counter or officer filter. A year of a
    province is a few times fewer rows to sum (ADR 0010 §3); the rollup writes both from the
    same computed rows, and tests/reports/test_consistency.py holds them equal to the raw rows."""

    queue = _ref("queueing.Queue")
    hour = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("số liệu xếp hàng theo hàng đợi")
        verbose_name_plural = _("số liệu xếp hàng theo hàng đợi")
        indexes = [
            models.Index(fields=["center", "day"], name="reports_qfact_center_day"),
            models.Index(fields=["day", "hour", "center", "issued"], name="reports_qfact_arrivals"),
        ]


class TicketStaffFact(TicketCounts):
    """`TicketDayFact` summed over queues and hours: day × center × counter × officer, what the
    queue page reads when it groups by counter or officer with no queue filter."""

    counter = _ref("queueing.Counter", null=True)
    officer = _ref(settings.AUTH_USER_MODEL, null=True)

    class Meta:
        verbose_name = _("số liệu xếp hàng theo quầy và cán bộ")
        verbose_name_plural = _("số liệu xếp hàng theo quầy và cán bộ")
        indexes = [
            models.Index(fields=["day"], name="reports_stfact_day"),
            models.Index(fields=["center", "day"], name="reports_stfact_center_day"),
        ]


class RatingDayFact(DayFact):
    """Ticket ratings given on one day, per center × queue × counter × officer."""

    center = _ref("core.Center")
    queue = _ref("queueing.Queue")
    counter = _ref("queueing.Counter", null=True)
    officer = _ref(settings.AUTH_USER_MODEL, null=True)
    very_satisfied = _count()
    satisfied = _count()
    not_satisfied = _count()

    class Meta:
        verbose_name = _("đánh giá lượt phục vụ theo ngày")
        verbose_name_plural = _("đánh giá lượt phục vụ theo ngày")
        indexes = [models.Index(fields=["center", "day"], name="reports_rfact_center_day")]


class AssessmentDayFact(DayFact):
    """Dossier assessments given on one day, per center × agency × sector × procedure × the
    officer who received the dossier (so satisfaction groups like the dossier figures)."""

    center = _ref("core.Center")
    agency = _ref("catalog.Agency")
    sector = _ref("catalog.Sector")
    procedure = _ref("catalog.Procedure")
    officer = _ref(settings.AUTH_USER_MODEL, null=True)
    count = _count()
    total_sum = _count()
    very_satisfied = _count()
    satisfied = _count()
    not_satisfied = _count()

    class Meta:
        verbose_name = _("đánh giá hồ sơ theo ngày")
        verbose_name_plural = _("đánh giá hồ sơ theo ngày")
        indexes = [
            models.Index(fields=["center", "day"], name="reports_afact_center_day"),
            models.Index(fields=["agency", "day"], name="reports_afact_agency_day"),
        ]


class RollupDay(models.Model):
    """A closed day whose facts are stored; `claimed_at` marks a worker rolling it up now."""

    day = models.DateField(_("ngày"), unique=True)
    rolled_at = models.DateTimeField(_("tổng hợp lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ngày đã tổng hợp")
        verbose_name_plural = _("ngày đã tổng hợp")

    def __str__(self) -> str:
        return f"{self.day}"


class ReportExport(models.Model):
    """One Excel or PDF export of a report page, built in the background (`background`).

    `params` is the page's query string (period made explicit, `xuat` left out), so the file is
    built again from the same figures the screen showed. The file goes through Django's storage
    API (`reports/exports/`); `claimed_at` marks the runner building it now (a conditional
    update decides between the web process's thread and `reports_drain`).
    """

    class Kind(models.TextChoices):
        XLSX = "xlsx", "Excel"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không xuất được")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tab = models.CharField(_("báo cáo"), max_length=40)
    title = models.CharField(_("tên báo cáo"), max_length=200, blank=True)
    kind = models.CharField(_("loại tệp"), max_length=8, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="reports/exports/", max_length=200, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="reports_export_user_created")]
        verbose_name = _("tệp báo cáo đã xuất")
        verbose_name_plural = _("tệp báo cáo đã xuất")

    def __str__(self) -> str:
        return f"{self.tab}.{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
