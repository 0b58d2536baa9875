"""Dossier admin: read-only, scoped like the console (a dossier changes only through its services).

The province IT team and leaders use it to look a dossier up with its whole history; every
opening of a dossier here is a read of personal data and is audited like the console's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from motcua.accounts.admin_mixins import ReadOnlyAdminMixin, ScopedModelAdmin, ScopedTabularInline
from motcua.accounts.backends import client_ip
from motcua.core.services import audit_log_write

from . import access
from .models import Dossier, DossierDocument, DossierEvent, DossierFee, DossierStep

_READ_ONLY: frozenset[str] = frozenset()

class _ReadOnlyInline(ReadOnlyAdminMixin, ScopedTabularInline):
    extra = 0
    can_delete = False
    edit_roles = _READ_ONLY

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

class EventInline(_ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "actor_kind", "agency", "counter", "reason"]

class DocumentInline(_ReadOnlyInline):
    model = DossierDocument
    fields = ["name", "provided", "originals", "certified_copies", "plain_copies", "show_only", "replaced_by"]

class FeeInline(_ReadOnlyInline):
    model = DossierFee
    fields = ["name", "amount", "quantity", "paid", "method", "receipt_number", "paid_at"]

class StepInline(_ReadOnlyInline):
    model = DossierStep
    fields = ["ordering", "name", "agency", "started_at", "due_at", "handed_over_at", "outcome"]

@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    edit_roles = _READ_ONLY
    list_display = ["code", "procedure", "receiving_center", "competent_agency", "status", "accepted_at", "due_at"]
    list_filter = ["status", "channel", "receiving_center", "competent_agency"]
    search_fields = ["code"]
    date_hierarchy = "submitted_at"
    list_select_related = ["procedure", "receiving_center", "competent_agency"]
    inlines = [DocumentInline, FeeInline, StepInline, EventInline]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        return Dossier.objects.filter(access.visible_q(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Dossier._meta.fields]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        dossier = self.get_queryset(request).filter(pk=object_id).first()
        if dossier is not None:
            audit_log_write(actor=request.user, action="dossiers.dossier.personal_data_viewed", obj=dossier,
                            center=dossier.receiving_center, ip=client_ip(request),
                            data={"via": "admin"})  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)
