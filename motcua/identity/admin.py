"""Identity rows in the admin: shown to those who need them, written only by their services.

Citizen profiles and consents are personal data of the whole province: province administrators
only, and opening one is audited (rule 20). Face checks hold no face, only outcomes; center
leaders see their center's, to spot a kiosk camera that fails too often.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

from motcua.accounts.admin_mixins import ReadOnlyAdminMixin, ScopedModelAdmin
from motcua.accounts.backends import client_ip
from motcua.accounts.models import Role
from motcua.core.services import audit_log_write

from .models import CitizenProfile, ConsentRecord, FaceCheck, TicketIdentity

_ADMINS = frozenset({Role.ADMINISTRATOR})


class _ProvinceReadOnly(ReadOnlyAdminMixin, ScopedModelAdmin):
    view_roles = _ADMINS
    edit_roles = frozenset()

    def _has_role(self, request: HttpRequest, roles: frozenset[str]) -> bool:
        from motcua.accounts.scoping import scope_for_user

        # A center's administrator manages that center, not the province's citizens.
        return super()._has_role(request, roles) and scope_for_user(request.user).province_wide


@admin.register(CitizenProfile)
class CitizenProfileAdmin(_ProvinceReadOnly):
    list_display = ("full_name", "national_id", "phone", "email", "created_at", "assisted")
    list_select_related = ("registered_by",)
    search_fields = ("=national_id", "=phone", "=email", "full_name")
    ordering = ("-created_at",)
    exclude = ("user",)

    @admin.display(description=gettext_lazy("được hỗ trợ đăng ký"), boolean=True)
    def assisted(self, obj: CitizenProfile) -> bool:
        return obj.registered_by_id is not None

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().change_view(request, object_id, *args, **kwargs)
        if response.status_code == 200:
            audit_log_write(
                actor=request.user, action="identity.citizen.viewed", ip=client_ip(request),
                data={"profile": str(object_id), "where": "admin"},
            )  # fmt: skip
        return response


@admin.register(ConsentRecord)
class ConsentRecordAdmin(_ProvinceReadOnly):
    list_display = ("given_at", "kind", "text_version", "device", "user", "withdrawn_at")
    list_filter = ("kind", "text_version")
    list_select_related = ("device", "user")
    ordering = ("-given_at",)


@admin.register(FaceCheck)
class FaceCheckAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ("at", "result", "distance", "threshold", "challenge", "device", "center", "duration_ms")
    list_filter = ("result", "challenge")
    list_select_related = ("device", "center")
    ordering = ("-at",)
    exclude = ("national_id_hash",)
    view_roles = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER})
    edit_roles = frozenset()
    scope_center_field = "center"


@admin.register(TicketIdentity)
class TicketIdentityAdmin(_ProvinceReadOnly):
    list_display = ("ticket", "full_name", "method", "verified_at")
    list_filter = ("method",)
    list_select_related = ("ticket",)
    ordering = ("-verified_at",)
    search_fields = ("=national_id",)
