"""Devices in the admin: center managers list, create and revoke the devices of their centers.

A token is shown once, in the message after "save"; afterwards only its prefix is visible.
Devices are revoked, never deleted, so the audit log keeps naming them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.accounts.admin_mixins import ScopedModelAdmin
from motcua.accounts.models import Role
from motcua.core.models import Center
from motcua.core.selectors import center_ids_managed_by
from motcua.core.services import audit_log_write
from motcua.core.text import format_datetime

from .models import Device
from .services import device_create, device_revoke

_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER})


def _managed_centers(request: HttpRequest) -> QuerySet[Center]:
    managed = center_ids_managed_by(request.user)
    return Center.objects.all() if managed is None else Center.objects.filter(pk__in=managed)


class DeviceForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = ("center", "kind", "name")


@admin.register(Device)
class DeviceAdmin(ScopedModelAdmin):
    form = DeviceForm
    view_roles = _MANAGERS
    edit_roles = _MANAGERS
    list_display = ("name", "center", "kind", "token_prefix", "is_active", "last_seen", "created_by")
    list_filter = (("center", admin.RelatedOnlyFieldListFilter), "kind", "is_active")
    list_select_related = ("center", "created_by")
    search_fields = ("name", "=token_prefix")
    actions = ["revoke_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Device]:
        # Only the centers the user manages: a reception officer's center grant is not enough.
        return super().get_queryset(request).filter(center__in=_managed_centers(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("center", "kind", "token_prefix", "is_active", "created_at", "created_by", "last_seen", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("center", "kind", "name") if obj is None else ("name", *self.get_readonly_fields(request, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and center_ids_managed_by(request.user) != frozenset()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center":
            kwargs["queryset"] = _managed_centers(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("lần cuối kết nối"), ordering="last_seen_at")
    def last_seen(self, obj: Device) -> str:
        return format_datetime(obj.last_seen_at) if obj.last_seen_at else "—"

    def save_model(self, request: HttpRequest, obj: Device, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            data = {"name": obj.name, "changed": form.changed_data}
            audit_log_write(actor=request.user, action="devices.device.updated", obj=obj, center=obj.center, data=data)
            return
        device, token = device_create(center=obj.center, kind=obj.kind, name=obj.name, created_by=request.user)
        obj.__dict__.update({f.attname: getattr(device, f.attname) for f in Device._meta.concrete_fields})
        obj._state.adding = False
        messages.warning(
            request,
            _("Mã truy cập của thiết bị “%(name)s” (chỉ hiển thị một lần, hãy sao chép ngay): %(token)s")
            % {"name": device.name, "token": token},
        )

    @admin.action(description=gettext_lazy("Thu hồi mã truy cập của các thiết bị đã chọn"))
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Device]) -> None:
        revoked = 0
        for device in queryset.filter(is_active=True):
            device_revoke(device=device, actor=request.user)
            revoked += 1
        self.message_user(
            request, ngettext("Đã thu hồi %(n)d thiết bị.", "Đã thu hồi %(n)d thiết bị.", revoked) % {"n": revoked}
        )
