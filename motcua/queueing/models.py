"""Queues, counters, priority classes, tickets, the daily number rows and the ticket history."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency, Procedure, Sector
from motcua.core.models import Center, Floor


class Queue(models.Model):
    """A numbered line of tickets (Hàng đợi) at one center, served by some counters."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="queues", verbose_name=_("trung tâm"))
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=200)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="queues", verbose_name=_("cơ quan"))
    sectors = models.ManyToManyField(Sector, blank=True, related_name="queues", verbose_name=_("lĩnh vực"))
    procedures = models.ManyToManyField(
        Procedure, blank=True, related_name="queues", verbose_name=_("thủ tục hành chính")
    )
    prefix = models.CharField(_("tiền tố số"), max_length=4, blank=True)
    number_start = models.PositiveIntegerField(_("số bắt đầu"), default=1)
    number_end = models.PositiveIntegerField(_("số kết thúc"), default=999)
    wrap = models.BooleanField(_("quay vòng khi hết dải số"), default=False)
    daily_cap = models.PositiveIntegerField(_("số phiếu tối đa mỗi ngày"), null=True, blank=True)
    issue_cutoff_minutes = models.PositiveIntegerField(_("ngừng cấp số trước khi hết buổi (phút)"), default=15)
    # Used by the waiting-time estimate until enough tickets of the day have been served.
    default_service_minutes = models.PositiveIntegerField(_("thời gian phục vụ mặc định (phút)"), default=8)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("hàng đợi")
        verbose_name_plural = _("hàng đợi")
        ordering = ["center", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="queueing_queue_unique_code"),
            models.CheckConstraint(
                condition=models.Q(number_end__gte=models.F("number_start")), name="queueing_queue_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def range_size(self) -> int:
        return self.number_end - self.number_start + 1


class Counter(models.Model):
    """A reception-and-result desk (Quầy). At most one officer is signed in, at one counter."""

    class State(models.TextChoices):
        OPEN = "open", _("đang mở")
        PAUSED = "paused", _("tạm dừng")
        CLOSED = "closed", _("đóng")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="counters", verbose_name=_("trung tâm"))
    floor = models.ForeignKey(
        Floor, on_delete=models.SET_NULL, null=True, blank=True, related_name="counters", verbose_name=_("tầng")
    )
    number = models.PositiveIntegerField(_("số quầy"))
    name = models.CharField(_("tên"), max_length=200)
    queues = models.ManyToManyField(Queue, through="CounterQueue", related_name="counters")
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.CLOSED)
    # One-to-one: the database itself keeps an officer from holding two counters at once.
    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counter",
        verbose_name=_("cán bộ đang làm việc"),
    )
    # Priority tickets called in a row; the anti-starvation rule reads and resets it.
    priority_streak = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="queueing_counter_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"


class CounterQueue(models.Model):
    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="queue_links", verbose_name=_("quầy"))
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="counter_links", verbose_name=_("hàng đợi"))
    weight = models.PositiveIntegerField(_("trọng số"), default=1)

    class Meta:
        verbose_name = _("hàng đợi của quầy")
        verbose_name_plural = _("hàng đợi của quầy")
        constraints = [models.UniqueConstraint(fields=["counter", "queue"], name="queueing_counterqueue_unique")]

    def __str__(self) -> str:
        return f"{self.counter} ← {self.queue}"


class PriorityClass(models.Model):
    """A priority group (người cao tuổi, người khuyết tật…); a lower rank is called first."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    rank = models.PositiveIntegerField(_("thứ hạng"), default=1)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("nhóm ưu tiên")
        verbose_name_plural = _("nhóm ưu tiên")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


def new_ticket_token() -> str:
    """The secret in the slip's QR code: whoever holds it may follow the ticket, nobody can guess it."""
    return secrets.token_urlsafe(16)


class Ticket(models.Model):
    """A queue number (Số thứ tự).

    `number` is the ticket's place in the day's sequence (1, 2, 3… per center, queue and business
    date, never reused that day), which backs the unique constraint; `display_number` is the
    number inside the queue's range that people see, and may repeat in one day when the range wraps.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("đang chờ")
        CALLED = "called", _("đã gọi")
        SERVING = "serving", _("đang phục vụ")
        DONE = "done", _("đã xong")
        NO_SHOW = "no_show", _("vắng mặt")
        TRANSFERRED = "transferred", _("đã chuyển")
        CANCELLED = "cancelled", _("đã hủy")

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("kiosk")
        COUNTER = "counter", _("tại quầy")
        WEB = "web", _("trực tuyến")

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("trung tâm"))
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("hàng đợi"))
    business_date = models.DateField(_("ngày làm việc"))
    number = models.PositiveIntegerField(_("số thứ tự trong ngày"))
    display_number = models.PositiveIntegerField(_("số hiển thị"))
    code = models.CharField(_("mã phiếu"), max_length=16)
    priority = models.ForeignKey(
        PriorityClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("nhóm ưu tiên"),
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(_("thời điểm cấp"))
    # The moment the ticket took its place in line; call order is priority, then this. It is the
    # issue time, kept across a transfer, and moved to the back when a no-show is recycled.
    queued_at = models.DateTimeField(_("thời điểm vào hàng"))
    called_at = models.DateTimeField(_("thời điểm gọi"), null=True, blank=True)
    started_at = models.DateTimeField(_("thời điểm bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets", verbose_name=_("quầy")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ"),
    )
    recall_count = models.PositiveIntegerField(_("số lần gọi lại"), default=0)
    recycled = models.BooleanField(_("đã xếp lại cuối hàng"), default=False)
    token = models.CharField(max_length=32, unique=True, default=new_ticket_token, editable=False)
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name=_("chuyển từ số"),
    )

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["business_date", "queue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "queue", "business_date", "number"], name="queueing_ticket_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["queue", "business_date", "status"], name="queueing_ticket_waiting"),
            models.Index(fields=["counter", "status"], name="queueing_ticket_at_counter"),
        ]

    def __str__(self) -> str:
        return self.code


class DailyNumber(models.Model):
    """The row locked FOR UPDATE while a number is taken: one per center, queue and business date."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="daily_numbers")
    business_date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "queue", "business_date"], name="queueing_dailynumber_unique")
        ]

    def __str__(self) -> str:
        return f"{self.queue_id}@{self.business_date}: {self.last_number}"


class TicketEvent(models.Model):
    """One history row per change of a ticket (DESIGN rule 3)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    counter = models.ForeignKey(Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử số thứ tự")
        verbose_name_plural = _("lịch sử số thứ tự")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class CounterEvent(models.Model):
    """One history row per change of a counter: sign-in, pause, resume, sign-out.

    The staffing advice compares the counters actually open each hour with those needed, so
    these rows are kept like the tickets' own.
    """

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    from_state = models.CharField(max_length=8, blank=True)
    to_state = models.CharField(max_length=8, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)

    class Meta:
        verbose_name = _("lịch sử quầy")
        verbose_name_plural = _("lịch sử quầy")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.action}"
