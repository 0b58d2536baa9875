"""Identity rows in the admin: shown to those who need them, written only by their services.

Citizen profiles and consents are personal data of the whole province: province administrators
only, and opening one is audited (rule 20). Face checks hold no face, only outcomes; center
leaders see their center's, to spot a kiosk camera that fails too often.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from motcua.accounts.admin_mixins import ReadOnlyAdminMixin, ScopedModelAdmin
from motcua.accounts.backends import client_ip
from motcua.accounts.models import Role
from motcua.core.services import audit_log_write

from .models import CitizenProfile, CitizenToken, ConsentRecord, FaceCheck, TicketIdentity
from .services.tokens import citizen_token_revoke

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


@admin.register(CitizenToken)
class CitizenTokenAdmin(_ProvinceReadOnly):
    """The app sign-ins of citizens: read-only (the hash is never shown), revoked by the action."""

    list_display = ("user", "label", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_select_related = ("user",)
    list_filter = ("revoked_at",)
    search_fields = ("=user__citizen__phone", "=user__citizen__email", "=user__citizen__national_id")
    ordering = ("-created_at",)
    exclude = ("key_hash",)
    actions = ["revoke"]

    @admin.action(description=gettext_lazy("Thu hồi (đăng xuất thiết bị)"), permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[CitizenToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            citizen_token_revoke(token=token, actor=request.user, ip=client_ip(request), now=timezone.now())
            count += 1
        self.message_user(request, ngettext("Đã thu hồi %(n)d phiên.", "Đã thu hồi %(n)d phiên.", count) % {"n": count},
                          messages.SUCCESS)  # fmt: skip
