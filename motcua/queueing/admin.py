"""Queue admin (Vietnamese, scoped by role): queues, counters, priority classes, tickets.

Who may do what:
* a province-wide administrator: everything, and the only one who edits priority classes
  (they apply to every center);
* a center leader (or an administrator limited to a center): add and edit the queues and
  counters of their centers;
* a reception officer: view their centers' queues, counters and tickets;
* tickets and their history are read-only for everyone: a ticket changes only through the
  queue services (kiosk, console, API), never by hand. The daily number rows are not shown.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.admin_mixins import ReadOnlyAdminMixin, ScopedModelAdmin, ScopedTabularInline
from motcua.accounts.models import Role, User
from motcua.accounts.scoping import CENTER_ROLES, works_at_center
from motcua.core.calendar import to_local
from motcua.core.models import Center, Floor
from motcua.core.selectors import center_ids_managed_by
from motcua.core.services import audit_log_write
from motcua.core.text import format_date, format_datetime

from .models import Counter, CounterQueue, PriorityClass, Queue, Ticket, TicketEvent
from .services.counters import counter_record_admin_change

_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER})
_CENTER_STAFF = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER, Role.RECEPTION_OFFICER})
# Shown codes are spoken by the board's voice and printed on any thermal head: plain letters only.
_PREFIX = re.compile(r"[A-Z]{0,4}")


def _manages(request: HttpRequest, center_id: int | None) -> bool:
    """Whether the user may edit the queues and counters of this center."""
    managed = center_ids_managed_by(request.user)
    return managed is None or (center_id is not None and center_id in managed)


def _managed_centers(request: HttpRequest) -> QuerySet[Center]:
    managed = center_ids_managed_by(request.user)
    return Center.objects.all() if managed is None else Center.objects.filter(pk__in=managed)


def _audit(request: HttpRequest, action: str, obj: Any, center: Center | None, data: dict[str, Any]) -> None:
    audit_log_write(actor=request.user, action=action, obj=obj, center=center, data=data)


def _seen_only(title: Any) -> type[admin.RelatedOnlyFieldListFilter]:
    """A filter offering only the rows the user sees (one center's list never names another's
    queues), under a Vietnamese title where the model field has none."""

    class SeenOnly(admin.RelatedOnlyFieldListFilter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return SeenOnly


_BY_CENTER = _seen_only(gettext_lazy("trung tâm"))
_BY_FLOOR = _seen_only(gettext_lazy("tầng"))
_BY_QUEUE = _seen_only(gettext_lazy("hàng đợi"))
_BY_AGENCY = _seen_only(gettext_lazy("cơ quan"))
# Model fields without a Vietnamese verbose name get their form label here.
_LABELS = {
    "center": gettext_lazy("Trung tâm"), "floor": gettext_lazy("Tầng"), "queue": gettext_lazy("Hàng đợi"),
}  # fmt: skip


class _CenterManaged(ScopedModelAdmin):
    """Rows that belong to one center: its staff view them, its managers edit them."""

    view_roles = _CENTER_STAFF
    edit_roles = _MANAGERS
    scope_center_field = "center"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or _manages(request, obj.center_id))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or _manages(request, obj.center_id))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and center_ids_managed_by(request.user) != frozenset()

    @admin.display(description=gettext_lazy("trung tâm"), ordering="center__ordering")
    def center_name(self, obj: Any) -> str:
        return obj.center.display_name

    @admin.display(description=gettext_lazy("tầng"), ordering="floor__ordering")
    def floor_name(self, obj: Any) -> str:
        return obj.floor.name if obj.floor else "—"

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """Viewers see the center and floor by name, under a Vietnamese label (the model fields have none)."""
        fieldsets: Any = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        swaps = {"center": "center_name", "floor": "floor_name"}
        return [(title, {**opts, "fields": [swaps.get(f, f) for f in opts["fields"]]}) for title, opts in fieldsets]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center":
            kwargs["queryset"] = _managed_centers(request)
        if db_field.name in _LABELS:
            kwargs.setdefault("label", _LABELS[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- queues -------------------------------------------------------------------------------------


class QueueForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = (
            "center", "code", "name", "is_active", "agencies", "sectors", "procedures", "prefix", "number_start",
            "number_end", "wrap", "daily_cap", "issue_cutoff_minutes", "default_service_minutes",
        )  # fmt: skip

    def clean_prefix(self) -> str:
        prefix = (self.cleaned_data.get("prefix") or "").strip().upper()
        if not _PREFIX.fullmatch(prefix):
            raise forms.ValidationError(_("Tiền tố chỉ gồm chữ cái A–Z không dấu (tối đa 4 chữ), ví dụ: A, B, TP."))
        return prefix

    def clean_daily_cap(self) -> int | None:
        cap = self.cleaned_data.get("daily_cap")
        if cap == 0:
            raise forms.ValidationError(_("Số phiếu tối đa mỗi ngày phải lớn hơn 0; để trống nếu không giới hạn."))
        return cap

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("number_start"), data.get("number_end")
        if start is not None and end is not None and end < start:
            self.add_error("number_end", _("Số kết thúc phải lớn hơn hoặc bằng số bắt đầu (%(start)s).") % {"start": start})
        self._check_prefix_free(data.get("center"), data.get("prefix"))
        return data

    def _check_prefix_free(self, center: Center | None, prefix: str | None) -> None:
        """Two queues of one center with one prefix would both show `A001` on the board."""
        if center is None or prefix is None or "prefix" in self.errors:
            return
        other = Queue.objects.filter(center=center, prefix=prefix).exclude(pk=self.instance.pk).first()
        if other is not None:
            self.add_error(
                "prefix",
                _("Tiền tố “%(prefix)s” đã dùng cho hàng đợi “%(queue)s” của trung tâm này.")
                % {"prefix": prefix or "—", "queue": other.name},
            )


@admin.register(Queue)
class QueueAdmin(_CenterManaged):
    form = QueueForm
    list_display = ("prefix", "name", "center_name", "code", "number_range", "daily_cap", "is_active", "counter_numbers")
    list_display_links = ("name",)
    list_filter = (("center", _BY_CENTER), "is_active", ("agencies", _BY_AGENCY))
    list_select_related = ("center",)
    search_fields = ("code", "name", "prefix")
    ordering = ("center__ordering", "prefix", "code")
    filter_horizontal = ("agencies", "sectors", "procedures")
    fieldsets = (
        (None, {"fields": ("center", "code", "name", "is_active")}),
        (gettext_lazy("Phục vụ"), {
            "fields": ("agencies", "sectors", "procedures"),
            "description": gettext_lazy(
                "Thủ tục được chọn trực tiếp được ưu tiên hơn lĩnh vực, lĩnh vực được ưu tiên hơn cơ quan."
            ),
        }),
        (gettext_lazy("Cấp số"), {"fields": (
            "prefix", "number_start", "number_end", "wrap", "daily_cap", "issue_cutoff_minutes",
            "default_service_minutes",
        )}),
    )  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("counters")

    @admin.display(description=gettext_lazy("dải số"))
    def number_range(self, obj: Queue) -> str:
        width = len(str(obj.number_end))
        return f"{obj.prefix}{obj.number_start:0{width}d}–{obj.prefix}{obj.number_end:0{width}d}"

    @admin.display(description=gettext_lazy("quầy phục vụ"))
    def counter_numbers(self, obj: Queue) -> str:
        numbers = sorted(counter.number for counter in obj.counters.all())
        return ", ".join(map(str, numbers)) or "—"

    def save_model(self, request: HttpRequest, obj: Queue, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        data = {"code": obj.code, "prefix": obj.prefix, "changed": form.changed_data}
        _audit(request, "queueing.queue." + ("updated" if change else "created"), obj, obj.center, data)

    def delete_model(self, request: HttpRequest, obj: Queue) -> None:
        _audit(request, "queueing.queue.deleted", obj, obj.center, {"code": obj.code})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for queue in queryset:
            self.delete_model(request, queue)


# --- counters -----------------------------------------------------------------------------------


class CounterQueueFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        center = self.instance.center if self.instance.center_id else None
        for form in self.forms:
            queue = (getattr(form, "cleaned_data", None) or {}).get("queue")
            if queue is None or form.cleaned_data.get("DELETE") or center is None:
                continue
            if queue.center_id != center.pk:
                form.add_error(
                    "queue",
                    _("Hàng đợi “%(queue)s” thuộc trung tâm khác, quầy này không phục vụ được.") % {"queue": queue.name},
                )


class CounterQueueInline(ScopedTabularInline):
    model = CounterQueue
    formset = CounterQueueFormSet
    fields = ("queue", "weight")
    extra = 1
    view_roles = _CENTER_STAFF
    edit_roles = _MANAGERS
    verbose_name_plural = gettext_lazy("hàng đợi quầy phục vụ (trọng số cao được gọi nhiều hơn)")

    def parent_editable(self, request: HttpRequest, counter: Any) -> bool:
        return counter is None or _manages(request, counter.center_id)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("queue")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "queue":
            kwargs["queryset"] = Queue.objects.filter(center__in=_managed_centers(request)).select_related("center")
            kwargs["label"] = _LABELS["queue"]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def officers_of_center(center_ids: Any) -> QuerySet[User]:
    """Active staff who may sit at these centers' counters (what `works_at_center` allows)."""
    at_center = Q(roles__role__in=CENTER_ROLES, roles__center_id__in=center_ids)
    province_admin = Q(roles__role=Role.ADMINISTRATOR, roles__center__isnull=True, roles__agency__isnull=True)
    return (
        User.objects.filter(at_center | province_admin | Q(is_superuser=True), is_active=True, is_staff=True)
        .distinct()
        .order_by("username")
    )


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ("center", "floor", "number", "name", "state", "officer")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        center, floor, officer = data.get("center"), data.get("floor"), data.get("officer")
        if center is not None and floor is not None and floor.center_id != center.pk:
            self.add_error(
                "floor",
                _("Tầng “%(floor)s” không thuộc %(center)s.") % {"floor": floor.name, "center": center.display_name},
            )
        if center is not None and officer is not None and "officer" in self.changed_data:
            self._check_officer(center, officer)
        if "state" in data and (data["state"] == Counter.State.CLOSED) != (officer is None):
            # The console keeps these together (signing out closes the counter); so does the admin.
            self.add_error("state", _("Quầy đang mở hoặc tạm dừng phải có cán bộ làm việc; quầy đóng thì bỏ trống cán bộ."))
        if self.instance.pk and {"officer", "state"} & set(self.changed_data):
            self._check_idle()
        return data

    def _check_officer(self, center: Center, officer: User) -> None:
        if not works_at_center(officer, center.pk):
            self.add_error(
                "officer",
                _("Cán bộ %(officer)s không làm việc tại %(center)s nên không ngồi quầy ở đây được.")
                % {"officer": officer, "center": center.display_name},
            )
            return
        other = Counter.objects.filter(officer=officer).exclude(pk=self.instance.pk).select_related("center").first()
        if other is not None:
            self.add_error(
                "officer",
                _("Cán bộ %(officer)s đang làm việc ở quầy số %(number)s (%(center)s).")
                % {"officer": officer, "number": other.number, "center": other.center.display_name},
            )

    def _check_idle(self) -> None:
        """Changing who sits here while a citizen is at the desk would lose their service time."""
        busy = Ticket.objects.filter(
            counter=self.instance, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING]
        ).first()
        if busy is not None:
            self.add_error(
                None,
                _("Quầy số %(number)s đang phục vụ số %(code)s: cán bộ cần kết thúc số này trước khi đổi người hoặc trạng thái.")
                % {"number": self.instance.number, "code": busy.code},
            )


@admin.register(Counter)
class CounterAdmin(_CenterManaged):
    form = CounterForm
    inlines = [CounterQueueInline]
    list_display = ("number", "name", "center_name", "floor_name", "state", "officer", "queue_codes")
    list_display_links = ("number", "name")
    list_filter = (("center", _BY_CENTER), ("floor", _BY_FLOOR), "state")
    list_select_related = ("center", "floor", "officer")
    search_fields = ("name", "officer__username", "officer__full_name")
    ordering = ("center__ordering", "number")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("queue_links__queue")

    @admin.display(description=gettext_lazy("hàng đợi (trọng số)"))
    def queue_codes(self, obj: Counter) -> str:
        links = sorted(obj.queue_links.all(), key=lambda link: (-link.weight, link.queue.prefix))
        return ", ".join(
            f"{link.queue.prefix or link.queue.code}" + (f" ({link.weight})" if link.weight != 1 else "") for link in links
        ) or "—"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        centers = _managed_centers(request)
        if db_field.name == "floor":
            kwargs["queryset"] = Floor.objects.filter(center__in=centers).select_related("center")
        elif db_field.name == "officer":
            kwargs["queryset"] = officers_of_center(centers.values("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Counter, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if {"state", "officer"} & set(form.changed_data):
            from_state = form.initial.get("state", "") if change else ""
            counter_record_admin_change(counter=obj, from_state=from_state, actor=request.user)
        data = {"number": obj.number, "state": obj.state, "officer": obj.officer_id, "changed": form.changed_data}
        _audit(request, "queueing.counter." + ("updated" if change else "created"), obj, obj.center, data)

    def delete_model(self, request: HttpRequest, obj: Counter) -> None:
        _audit(request, "queueing.counter.deleted", obj, obj.center, {"number": obj.number})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for counter in queryset:
            self.delete_model(request, counter)


# --- priority classes ---------------------------------------------------------------------------


@admin.register(PriorityClass)
class PriorityClassAdmin(ScopedModelAdmin):
    """Province-wide: every center calls priority tickets by the same ranks."""

    list_display = ("name", "code", "rank", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    view_roles = _CENTER_STAFF
    edit_roles = frozenset({Role.ADMINISTRATOR})

    def _province_admin(self, request: HttpRequest) -> bool:
        return center_ids_managed_by(request.user) is None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._province_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self._province_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._province_admin(request)

    def save_model(self, request: HttpRequest, obj: PriorityClass, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        data = {"code": obj.code, "rank": obj.rank, "is_active": obj.is_active}
        _audit(request, "queueing.priority_class." + ("updated" if change else "created"), obj, None, data)


# --- tickets (read-only) ------------------------------------------------------------------------


# What each history row means, in words (the action code stays the key statistics read).
_ACTIONS = {
    "queueing.ticket.issued": gettext_lazy("Cấp số"),
    "queueing.ticket.called": gettext_lazy("Gọi số"),
    "queueing.ticket.recalled": gettext_lazy("Gọi lại"),
    "queueing.ticket.serving": gettext_lazy("Bắt đầu phục vụ"),
    "queueing.ticket.done": gettext_lazy("Hoàn thành"),
    "queueing.ticket.no_show": gettext_lazy("Vắng mặt"),
    "queueing.ticket.recycled": gettext_lazy("Vắng mặt, xếp lại cuối hàng"),
    "queueing.ticket.transferred": gettext_lazy("Chuyển sang hàng đợi khác"),
    "queueing.ticket.cancelled": gettext_lazy("Hủy"),
    "queueing.ticket.walk_in": gettext_lazy("Phục vụ tại quầy không lấy số"),
}


def _status_label(value: str) -> str:
    return str(dict(Ticket.Status.choices).get(value, value))


# Keys a history row's data may carry, in words; values of `channel` are the ticket's channel labels.
_DATA_KEYS = {
    "channel": gettext_lazy("kênh"), "recall_count": gettext_lazy("lần gọi lại"),
    "to_queue": gettext_lazy("sang hàng đợi (mã số)"), "transferred_from": gettext_lazy("chuyển từ số (mã số)"),
}  # fmt: skip


def _details(data: dict[str, Any]) -> str:
    channels = dict(Ticket.Channel.choices)
    return "; ".join(
        f"{_DATA_KEYS.get(key, key)}: {channels.get(value, value) if key == 'channel' else value}"
        for key, value in sorted(data.items())
    )


def _event_row(event: TicketEvent) -> tuple[str, ...]:
    before, after = _status_label(event.from_status), _status_label(event.to_status)
    return (
        to_local(event.at).strftime("%H:%M:%S %d/%m/%Y"),  # seconds matter between a call and a recall
        str(_ACTIONS.get(event.action, event.action)),
        f"{before} → {after}" if before and before != after else after,
        str(event.actor or "—"),
        str(event.counter.number) if event.counter else "—",
        _details(event.data),
    )


def _or_dash(value: Any) -> str:
    return str(value) if value else "—"


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = (
        "code", "business_date_display", "issued_time", "queue_short", "status", "priority_name", "channel",
        "counter_number", "officer_name", "recall_count",
    )  # fmt: skip
    list_filter = ("status", ("center", _BY_CENTER), ("queue", _BY_QUEUE), "channel", "priority")
    list_select_related = ("queue", "center", "counter", "officer", "priority")
    search_fields = ("=code",)
    date_hierarchy = "business_date"
    ordering = ("-business_date", "-issued_at")
    view_roles = _CENTER_STAFF
    edit_roles = frozenset()
    scope_center_field = "center"
    _identity = ("code", "center_name", "queue_name", "business_date_display", "number", "priority_name", "channel")
    _state = ("status", "counter_number", "officer_name", "recall_count", "recycled", "transferred_from_code")
    _times = ("issued_display", "called_display", "started_display", "finished_display")
    fieldsets = (
        (None, {"fields": _identity}),
        (gettext_lazy("Tình trạng"), {"fields": _state}),
        (gettext_lazy("Thời điểm"), {"fields": _times}),
        (gettext_lazy("Lịch sử"), {"fields": ("history",)}),
    )
    readonly_fields = (*_identity, *_state, *_times, "history")

    @admin.display(description=gettext_lazy("trung tâm"))
    def center_name(self, obj: Ticket) -> str:
        return obj.center.display_name

    @admin.display(description=gettext_lazy("hàng đợi"))
    def queue_name(self, obj: Ticket) -> str:
        return obj.queue.name

    @admin.display(description=gettext_lazy("hàng đợi"), ordering="queue__prefix")
    def queue_short(self, obj: Ticket) -> str:
        return obj.queue.name.split(" – ")[0]  # "Tư pháp – Chứng thực, hộ tịch" → "Tư pháp": the list stays narrow

    @admin.display(description=gettext_lazy("ưu tiên"))
    def priority_name(self, obj: Ticket) -> str:
        return _or_dash(obj.priority)

    @admin.display(description=gettext_lazy("quầy"), ordering="counter__number")
    def counter_number(self, obj: Ticket) -> str:
        return _or_dash(obj.counter.number if obj.counter else None)

    @admin.display(description=gettext_lazy("cán bộ"))
    def officer_name(self, obj: Ticket) -> str:
        return _or_dash(obj.officer)

    @admin.display(description=gettext_lazy("chuyển từ số"))
    def transferred_from_code(self, obj: Ticket) -> str:
        return _or_dash(obj.transferred_from.code if obj.transferred_from else None)

    @admin.display(description=gettext_lazy("các bước"))
    def history(self, obj: Ticket) -> str:
        headers = [_("Thời điểm"), _("Hành động"), _("Trạng thái"), _("Cán bộ"), _("Quầy"), _("Chi tiết")]
        events = obj.events.select_related("actor", "counter").order_by("at", "pk")
        head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
        rows = format_html_join("", "<tr>" + "<td>{}</td>" * len(headers) + "</tr>", map(_event_row, events))
        return format_html('<table class="ticket-history"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, rows)

    @admin.display(description=gettext_lazy("ngày làm việc"), ordering="business_date")
    def business_date_display(self, obj: Ticket) -> str:
        return format_date(obj.business_date)

    @admin.display(description=gettext_lazy("giờ cấp"), ordering="issued_at")
    def issued_time(self, obj: Ticket) -> str:
        return to_local(obj.issued_at).strftime("%H:%M")

    @admin.display(description=gettext_lazy("thời điểm cấp"))
    def issued_display(self, obj: Ticket) -> str:
        return format_datetime(obj.issued_at)

    @admin.display(description=gettext_lazy("thời điểm gọi"))
    def called_display(self, obj: Ticket) -> str:
        return format_datetime(obj.called_at) if obj.called_at else "—"

    @admin.display(description=gettext_lazy("thời điểm bắt đầu"))
    def started_display(self, obj: Ticket) -> str:
        return format_datetime(obj.started_at) if obj.started_at else "—"

    @admin.display(description=gettext_lazy("thời điểm kết thúc"))
    def finished_display(self, obj: Ticket) -> str:
        return format_datetime(obj.finished_at) if obj.finished_at else "—"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """`a12` finds `A012`: officers type what the citizen reads out, without the zeros."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        match = re.fullmatch(r"\s*([A-Za-z]*)\s*0*(\d+)\s*", search_term)
        if match:
            prefix, number = match.group(1).upper(), int(match.group(2))
            results = results | queryset.filter(Q(queue__prefix=prefix) & Q(display_number=number))
        return results, duplicates
