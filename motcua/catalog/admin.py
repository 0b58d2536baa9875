"""Catalog admin (Vietnamese): agencies, sectors, procedures with their papers, fees and steps.

Who may do what:
* every staff member may view the catalog (it is published to everyone anyway);
* a province-wide administrator may edit everything, import files and delete procedures;
* an agency leader may add and edit the procedures (and their fees) of the agencies they lead.

Every save of a procedure — its form and inlines, or a fee with its tiers — freezes a new
`ProcedureVersion` through `procedure_record_version` when (and only when) the content changed;
the change page lists the versions and each old one can be read as it stood.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.admin_mixins import ALL_STAFF_ROLES, ScopedAdminMixin, ScopedModelAdmin, ScopedTabularInline
from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user
from motcua.core.choices import TimeUnit
from motcua.core.models import Center
from motcua.core.text import fold, format_date, format_datetime

from .exporting import catalog_export
from .fees import fee_describe, fee_describe_data
from .forms import CatalogImportForm, ProcedureAdminForm
from .importing import catalog_import
from .models import (
    Agency,
    Fee,
    FeeTier,
    NationalDatabase,
    Procedure,
    ProcedureStep,
    ProcedureVersion,
    RequiredDocument,
    Sector,
)
from .services import procedure_record_version

_EDITORS = frozenset({Role.ADMINISTRATOR, Role.AGENCY_LEADER})
# Text fields are long free text, but a 10-line box per inline row makes the page unusable.
_SHORT_TEXT: dict[type[models.Field], dict[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
}
_MEDIUM_TEXT: dict[type[models.Field], dict[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}
}
_EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _led_agency_ids(request: HttpRequest) -> frozenset[int] | None:
    """Agencies whose procedures the user may edit; None means all (a province-wide administrator)."""
    scope = scope_for_user(request.user)
    return None if scope.province_wide else scope.agency_ids_for(Role.AGENCY_LEADER)


def _is_province_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_staff) and _led_agency_ids(request) is None


class _ProcedureEditing(ScopedAdminMixin):
    """Edit rights that follow the procedure's agency; every staff member may view."""

    view_roles = ALL_STAFF_ROLES
    edit_roles = _EDITORS

    def procedure_of(self, obj: Any) -> Procedure | None:
        return obj  # the procedure itself, or the parent procedure of an inline

    def may_edit(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._has_role(request, self.edit_roles):
            return False
        led = _led_agency_ids(request)
        procedure = self.procedure_of(obj)
        if led is None:
            return True
        return bool(led) if procedure is None else procedure.agency_id in led

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.may_edit(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # An agency leader files new procedures under their own agencies only.
        led = _led_agency_ids(request)
        if db_field.name == "agency" and db_field.model is Procedure and led is not None:
            kwargs["queryset"] = Agency.objects.filter(pk__in=led)
        if db_field.name == "procedure" and led is not None:  # a fee can't be moved to another agency
            kwargs["queryset"] = Procedure.objects.filter(agency_id__in=led)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


# --- agencies and sectors -----------------------------------------------------------------------


class AgencyInForceFilter(admin.SimpleListFilter):
    title = gettext_lazy("đang hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("Đang hiệu lực")), ("no", _("Hết hiệu lực hoặc chưa hiệu lực"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        if self.value() == "yes":
            return queryset.filter(in_force)
        if self.value() == "no":
            return queryset.exclude(in_force)
        return queryset


@admin.register(Agency)
class AgencyAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "short_name", "kind", "valid_from", "valid_to", "successor", "in_force")
    list_filter = (AgencyInForceFilter, "kind")
    search_fields = ("code", "name", "short_name", "aliases")
    list_select_related = ("successor",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "unit_id", "aliases")}),
        (gettext_lazy("Hiệu lực (sắp xếp, hợp nhất cơ quan)"), {"fields": ("valid_from", "valid_to", "successor")}),
    )

    @admin.display(description=gettext_lazy("đang hiệu lực"), boolean=True)
    def in_force(self, obj: Agency) -> bool:
        today = timezone.localdate()
        return (obj.valid_from or date.min) <= today <= (obj.valid_to or date.max)


@admin.register(Sector)
class SectorAdmin(ScopedModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    prepopulated_fields = {"code": ("name",)}


# --- reading an old version ---------------------------------------------------------------------

_SNAPSHOT_FIELDS = [
    "code", "code_verified", "name", "name_en", "agency", "sector", "centers", "location_independent",
    "online_level", "time_value", "time_unit", "same_day_cutoff", "time_note", "fee_note", "result",
    "legal_basis", "effective_date", "verification", "is_active",
]  # fmt: skip


def _snapshot_value(name: str, value: Any) -> str:
    """A snapshot value as people read it: labels for codes, dd/mm/yyyy dates, names for agencies."""
    field = Procedure._meta.get_field(name)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if name == "agency":
        return str(Agency.objects.filter(code=value).first() or value)
    if name == "sector":
        return value["name"]
    if name == "centers":
        return ", ".join(Center.objects.filter(code__in=value).values_list("name", flat=True)) or ", ".join(value)
    if name == "effective_date":
        return format_date(date.fromisoformat(value))
    return str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)  # type: ignore[union-attr]


def _snapshot_tables(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    databases = dict(NationalDatabase.choices)
    units = dict(TimeUnit.choices)
    yes = _("Có")
    documents = [
        [d["name"], d["originals"], d["certified_copies"], d["plain_copies"], yes if d["show_only"] else "",
         databases.get(d["replaced_by"], "") if d["replaced_by"] else "", d["note"]]
        for d in snapshot.get("documents", [])
    ]  # fmt: skip
    fees = [[f["name"], fee_describe_data(f), f["note"]] for f in snapshot.get("fees", [])]
    steps = [[s["name"], s["agency"] or "—", f"{s['time_value']} {units.get(s['time_unit'], '')}"]
             for s in snapshot.get("steps", [])]  # fmt: skip
    return [
        {"title": _("Thành phần hồ sơ"), "rows": documents,
         "headers": [_("Tên giấy tờ"), _("Bản chính"), _("Bản sao chứng thực"), _("Bản sao"), _("Chỉ xuất trình"),
                     _("Thay thế bởi CSDL"), _("Ghi chú")]},
        {"title": _("Phí, lệ phí"), "rows": fees, "headers": [_("Tên"), _("Mức thu"), _("Ghi chú")]},
        {"title": _("Quy trình xử lý"), "rows": steps, "headers": [_("Bước"), _("Cơ quan"), _("Thời gian")]},
    ]  # fmt: skip


def version_sections(snapshot: dict[str, Any]) -> dict[str, Any]:
    fields = [
        (str(Procedure._meta.get_field(name).verbose_name).capitalize(), _snapshot_value(name, snapshot.get(name)))  # type: ignore[union-attr]
        for name in _SNAPSHOT_FIELDS
    ]
    return {"fields": fields, "tables": _snapshot_tables(snapshot)}


# --- procedures ---------------------------------------------------------------------------------


class RequiredDocumentInline(_ProcedureEditing, ScopedTabularInline):
    model = RequiredDocument
    formfield_overrides = _SHORT_TEXT
    extra = 0
    fields = ("ordering", "name", "originals", "certified_copies", "plain_copies", "show_only", "replaced_by", "note")


class FeeInline(_ProcedureEditing, ScopedTabularInline):
    model = Fee
    formfield_overrides = _SHORT_TEXT
    extra = 0
    fields = ("ordering", "name", "kind", "amount", "unit", "per", "cap", "note", "wording")
    readonly_fields = ("wording",)
    show_change_link = True  # tiers are edited on the fee's own page

    @admin.display(description=gettext_lazy("cách tính (bậc phí sửa ở trang của phí)"))
    def wording(self, obj: Fee) -> str:
        return fee_describe(obj) if obj.pk else ""


class ProcedureStepInline(_ProcedureEditing, ScopedTabularInline):
    model = ProcedureStep
    extra = 0
    fields = ("ordering", "name", "agency", "time_value", "time_unit")


def _change_note(form: Any, formsets: list[Any], add: bool) -> str:
    if note := form.cleaned_data.get("change_note"):
        return note
    if add:
        return _("Tạo mới trong trang quản trị")
    changed = [str(form.fields[name].label) for name in form.changed_data if name != "change_note"]
    changed += [str(formset.model._meta.verbose_name_plural) for formset in formsets if formset.has_changed()]
    return _("Sửa: %(items)s") % {"items": ", ".join(changed)} if changed else _("Lưu lại, không có thay đổi")


@admin.register(Procedure)
class ProcedureAdmin(_ProcedureEditing, ScopedModelAdmin):
    # No scope_agency_field: the list is not filtered (everyone views the whole catalog);
    # the agency only limits who may edit, in `_ProcedureEditing.may_edit`.
    form = ProcedureAdminForm
    formfield_overrides = _MEDIUM_TEXT
    inlines = [RequiredDocumentInline, FeeInline, ProcedureStepInline]
    list_display = ("code", "name", "agency", "sector", "online_level", "time_text", "version", "is_active")
    list_filter = ("agency", "sector", "online_level", "time_unit", "is_active")
    list_select_related = ("agency", "sector")
    search_fields = ("code", "name")
    readonly_fields = ("version", "updated_at")
    filter_horizontal = ("centers",)
    actions = ["export_csv", "export_xlsx"]
    fieldsets = (
        (None, {"fields": ("code", "code_verified", "name", "name_en", "agency", "sector", "is_active")}),
        (gettext_lazy("Tiếp nhận"), {"fields": ("centers", "location_independent", "online_level")}),
        (gettext_lazy("Thời hạn giải quyết"), {"fields": ("time_value", "time_unit", "same_day_cutoff", "time_note")}),
        (gettext_lazy("Nội dung"), {"fields": ("fee_note", "result", "legal_basis", "effective_date", "verification")}),
        (gettext_lazy("Phiên bản"), {"fields": ("version", "updated_at", "change_note")}),
    )  # fmt: skip

    @admin.display(description=gettext_lazy("thời hạn"), ordering="time_value")
    def time_text(self, obj: Procedure) -> str:
        if obj.time_unit in {"same_day", "none"}:
            return obj.get_time_unit_display()
        return f"{obj.time_value.normalize():f} {obj.get_time_unit_display()}"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Dossiers point at procedures; retiring one (`is_active`) is the agency's tool, deleting is IT's.
        return _is_province_admin(request) and self._has_role(request, self.edit_roles)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """Also match typed-without-accents names (`chung thuc` finds `Chứng thực`)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            folded = queryset.filter(*[Q(search_name__contains=word) for word in words])
            results = results | folded
        return results, may_have_duplicates

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        note = _change_note(form, formsets, add=not change)
        version = procedure_record_version(procedure=form.instance, actor=request.user, change_note=note)
        if version is None:
            self.message_user(request, _("Nội dung không thay đổi nên không tạo phiên bản mới."), messages.INFO)
        else:
            self.message_user(request, _("Đã lưu phiên bản %(number)s.") % {"number": version.number})

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        versions = ProcedureVersion.objects.filter(procedure_id=object_id).select_related("created_by")
        rows = [
            {"number": v.number, "time": format_datetime(v.created_at), "who": v.created_by or "—", "note": v.change_note,
             "url": reverse("admin:catalog_procedure_version", args=[object_id, v.number])}
            for v in versions
        ]  # fmt: skip
        return super().change_view(request, object_id, form_url, (extra_context or {}) | {"versions": rows})

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="catalog_procedure_import"),
            path("export/<str:fmt>/", view(self.export_view), name="catalog_procedure_export"),
            path("<path:object_id>/versions/<int:number>/", view(self.version_view), name="catalog_procedure_version"),
        ] + super().get_urls()  # fmt: skip

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        extra = {"can_import": _is_province_admin(request)}
        return super().changelist_view(request, (extra_context or {}) | extra)

    # --- import, export, versions --------------------------------------------------------------

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not _is_province_admin(request):
            raise PermissionDenied
        form = CatalogImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = catalog_import(
                file=upload, filename=upload.name, actor=request.user,
                skip_bad_rows=form.cleaned_data["skip_bad_rows"], dry_run=form.cleaned_data["dry_run"],
            )  # fmt: skip
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta, "title": _("Nhập danh mục thủ tục từ tệp"), "form": form, "report": report,
            "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"],
        }  # fmt: skip
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in _EXPORT_TYPES or not self.has_view_permission(request):
            raise PermissionDenied
        return self._export(self.get_queryset(request), fmt)

    def _export(self, queryset: QuerySet[Procedure], fmt: str) -> HttpResponse:
        content = catalog_export(queryset=queryset, fmt="xlsx" if fmt == "xlsx" else "csv")
        response = HttpResponse(content, content_type=_EXPORT_TYPES[fmt])
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
        return response

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        return self._export(queryset, "csv")

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn (Excel)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Procedure]) -> HttpResponse:
        return self._export(queryset, "xlsx")

    def version_view(self, request: HttpRequest, object_id: str, number: int) -> HttpResponse:
        procedure = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, procedure):
            raise PermissionDenied
        version = get_object_or_404(procedure.versions.select_related("created_by"), number=number)
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta, "original": procedure, "version": version,
            "title": _("%(code)s – phiên bản %(number)s") % {"code": procedure.code, "number": number},
            "created": format_datetime(version.created_at), "effective": format_date(version.effective_date),
            "sections": version_sections(version.snapshot),
        }  # fmt: skip
        return TemplateResponse(request, "admin/catalog/procedure/version.html", context)


# --- fees (with their tiers) --------------------------------------------------------------------


class FeeTierInline(_ProcedureEditing, ScopedTabularInline):
    model = FeeTier
    extra = 1
    fields = ("from_quantity", "to_quantity", "unit_price")

    def procedure_of(self, obj: Any) -> Procedure | None:
        return obj.procedure if obj is not None else None


@admin.register(Fee)
class FeeAdmin(_ProcedureEditing, ScopedModelAdmin):
    inlines = [FeeTierInline]
    formfield_overrides = _SHORT_TEXT
    list_display = ("procedure", "name", "kind", "wording")
    list_filter = ("kind",)
    list_select_related = ("procedure",)
    search_fields = ("procedure__code", "procedure__name", "name")
    fields = ("procedure", "ordering", "name", "kind", "amount", "unit", "per", "cap", "note")
    raw_id_fields = ("procedure",)

    def procedure_of(self, obj: Any) -> Procedure | None:
        return obj.procedure if obj is not None else None

    @admin.display(description=gettext_lazy("cách tính"))
    def wording(self, obj: Fee) -> str:
        return fee_describe(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        note = _("Sửa phí, lệ phí: %(name)s") % {"name": form.instance.name}
        procedure_record_version(procedure=form.instance.procedure, actor=request.user, change_note=note)

    def delete_model(self, request: HttpRequest, obj: Fee) -> None:
        procedure = obj.procedure
        super().delete_model(request, obj)
        note = _("Xóa phí, lệ phí: %(name)s") % {"name": obj.name}
        procedure_record_version(procedure=procedure, actor=request.user, change_note=note)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Fee]) -> None:
        procedures = list(Procedure.objects.filter(fees__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for procedure in procedures:
            procedure_record_version(procedure=procedure, actor=request.user, change_note=_("Xóa phí, lệ phí"))
