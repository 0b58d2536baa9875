"""Admin for centers, the working calendar and the audit log (Vietnamese, scoped by role).

Who may do what:
* a province-wide administrator: everything;
* a center leader: view and edit their own center (hours, contact) and add/edit/delete the
  calendar rows of that center; province-wide rows are read-only for them;
* other staff: view the centers they work at and the calendar that applies to them;
* the audit log is read-only, for administrators and center leaders (their centers' rows).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.accounts.admin_mixins import ScopedModelAdmin, ScopedTabularInline
from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user

from .forms import CalendarDayForm, CenterForm
from .models import AuditLog, CalendarDay, Center, Floor
from .selectors import center_ids_managed_by
from .services import calendar_day_delete, calendar_day_save, calendar_sync, center_save
from .text import format_date, format_datetime

_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER})
_WEEKDAYS = [
    gettext_lazy("Thứ Hai"), gettext_lazy("Thứ Ba"), gettext_lazy("Thứ Tư"), gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"), gettext_lazy("Thứ Bảy"), gettext_lazy("Chủ nhật"),
]  # fmt: skip


def _manages(request: HttpRequest, center_id: int | None) -> bool:
    """Whether the user may edit things belonging to this center (None: province-wide data)."""
    managed = center_ids_managed_by(request.user)
    return managed is None or (center_id is not None and center_id in managed)


def _is_province_admin(request: HttpRequest) -> bool:
    return center_ids_managed_by(request.user) is None


class FloorInline(ScopedTabularInline):
    model = Floor
    extra = 0
    fields = ("code", "name", "ordering")
    edit_roles = _MANAGERS

    def parent_editable(self, request: HttpRequest, center: Any) -> bool:
        return _manages(request, center.pk if center else None)


@admin.register(Center)
class CenterAdmin(ScopedModelAdmin):
    form = CenterForm
    inlines = [FloorInline]
    list_display = ("code", "name", "level", "unit_id", "reception_hours", "working_hours", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "short_name")
    scope_center_field = "id"
    edit_roles = _MANAGERS
    # Codes and unit IDs end up in dossier codes and URLs: only the province IT team changes them.
    admin_only_fields = ("code", "level", "unit_id", "is_active", "ordering")

    @admin.display(description=gettext_lazy("giờ tiếp nhận"))
    def reception_hours(self, obj: Center) -> str:
        return obj.reception_text

    @admin.display(description=gettext_lazy("giờ làm việc (tính hạn)"))
    def working_hours(self, obj: Center) -> str:
        return obj.working_text

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if _is_province_admin(request) else self.admin_only_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or _manages(request, obj.pk))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and _is_province_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _is_province_admin(request)

    def save_model(self, request: HttpRequest, obj: Center, form: Any, change: bool) -> None:
        center_save(center=obj, actor=request.user)


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("năm")
    parameter_name = "nam"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedModelAdmin):
    form = CalendarDayForm
    list_display = ("date_display", "weekday", "name", "scope_display", "kind", "source")
    list_filter = (YearFilter, "kind", "source", "center")
    list_select_related = ("center",)
    search_fields = ("name",)
    ordering = ("-date",)
    readonly_fields = ("source",)
    edit_roles = _MANAGERS
    actions = ["reseed_years"]

    @admin.display(description=gettext_lazy("ngày"), ordering="date")
    def date_display(self, obj: CalendarDay) -> str:
        return format_date(obj.date)

    @admin.display(description=gettext_lazy("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    @admin.display(description=gettext_lazy("áp dụng cho"), ordering="center__name")
    def scope_display(self, obj: CalendarDay) -> str:
        return obj.center.display_name if obj.center else _("Toàn tỉnh/thành phố")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        """Province rows apply to everyone; a center's own rows only to people of that center."""
        queryset = super().get_queryset(request)
        scope = scope_for_user(request.user)
        if scope.province_wide:
            return queryset
        return queryset.filter(Q(center__isnull=True) | Q(center_id__in=scope.center_ids))

    def _may_edit(self, request: HttpRequest, obj: CalendarDay | None) -> bool:
        if obj is None or _is_province_admin(request):
            return True
        return obj.source == CalendarDay.Source.MANUAL and _manages(request, obj.center_id)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and center_ids_managed_by(request.user) != frozenset()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        managed = center_ids_managed_by(request.user)
        if db_field.name == "center" and managed is not None:
            # A leader writes rows for their own centers only, never province-wide ones.
            kwargs["queryset"] = Center.objects.filter(pk__in=managed)
            kwargs["required"] = True
            kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not _is_province_admin(request):
            actions.pop("reseed_years", None)
        return actions

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        calendar_day_save(calendar_day=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_delete(calendar_day=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for row in queryset:
            calendar_day_delete(calendar_day=row, actor=request.user)

    @admin.action(description=gettext_lazy("Nạp lại lịch nghỉ lễ nhà nước cho năm của các dòng đã chọn"))
    def reseed_years(self, request: HttpRequest, queryset: QuerySet) -> None:
        years = sorted({d.year for d in queryset.dates("date", "year")})
        result = calendar_sync(years=years)
        message = ngettext(
            "Năm %(years)s: thêm %(added)d ngày, cập nhật %(updated)d, xóa %(removed)d.",
            "Các năm %(years)s: thêm %(added)d ngày, cập nhật %(updated)d, xóa %(removed)d.",
            len(years),
        ) % {
            "years": ", ".join(map(str, years)),
            "added": len(result.added),
            "updated": len(result.updated),
            "removed": len(result.removed),
        }
        self.message_user(request, message, messages.SUCCESS)


@admin.register(AuditLog)
class AuditLogAdmin(ScopedModelAdmin):
    list_display = ("at_display", "actor", "action", "object_type", "object_id", "center", "ip")
    list_select_related = ("actor", "center")
    search_fields = ("action", "object_id", "actor__username", "actor__full_name")
    date_hierarchy = "at"
    view_roles = _MANAGERS
    edit_roles = frozenset()
    scope_center_field = "center"

    @admin.display(description=gettext_lazy("thời điểm"), ordering="at")
    def at_display(self, obj: AuditLog) -> str:
        return format_datetime(obj.at)

    # The log is evidence: nobody edits or deletes it through the admin, administrators included.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
