"""The officer admin, in Vietnamese, scoped by role.

Only administrators and center leaders open it. A center leader sees the officers of their
center and may hand out only reception-officer roles there; every save goes through
`accounts.services`, so the admin writes the same audit rows as any other caller.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.catalog.models import Agency
from motcua.core.models import Center
from motcua.core.services import audit_log_write

from .admin_mixins import ScopedAdminMixin, ScopedTabularInline
from .forms import (
    ROLE_HELP,
    OfficerChangeForm,
    OfficerCreationForm,
    OfficerLoginForm,
    RoleAssignmentForm,
    RoleAssignmentFormSet,
)
from .models import Role, RoleAssignment, User
from .scoping import CENTER_ROLES, can_manage_officer, managed_center_ids, scope_for_user
from .selectors import officer_list_for_user
from .services import OFFICER_FIELDS, officer_create, officer_grant_role, officer_revoke_role, officer_update

USER_ADMIN_ROLES = frozenset({Role.ADMINISTRATOR, Role.CENTER_LEADER})

# Roles replace Django's groups and permissions, so their admin pages would only mislead.
try:
    admin.site.unregister(Group)
except NotRegistered:
    pass
# The login page tells a locked-out officer to wait instead of showing "wrong password".
admin.site.login_form = OfficerLoginForm


def _is_province_admin(request: HttpRequest) -> bool:
    return scope_for_user(request.user).province_wide


class RoleAssignmentInline(ScopedTabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    formset = RoleAssignmentFormSet
    fields = ("role", "center", "agency")
    extra = 1
    view_roles = USER_ADMIN_ROLES
    edit_roles = USER_ADMIN_ROLES
    verbose_name_plural = _("vai trò và phạm vi")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = type("EditorRoleAssignmentForm", (self.form,), {"editor": request.user})
        formset = super().get_formset(request, obj, **kwargs)
        formset.require_one = not _is_province_admin(request)  # type: ignore[attr-defined]
        return formset

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("center", "agency")

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not _is_province_admin(request):
            center_admin = scope_for_user(request.user).has_role(Role.ADMINISTRATOR)
            allowed = CENTER_ROLES if center_admin else {Role.RECEPTION_OFFICER}
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value in allowed]
        kwargs.setdefault("help_text", ROLE_HELP)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not _is_province_admin(request):
            if db_field.name == "center":
                kwargs["queryset"] = Center.objects.filter(pk__in=managed_center_ids(request.user))
            elif db_field.name == "agency":
                kwargs["queryset"] = Agency.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_edit(self, request: HttpRequest, obj: Any) -> bool:
        return self._has_role(request, self.edit_roles) and (obj is None or can_manage_officer(request.user, obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request, obj)


@admin.register(User)
class OfficerAdmin(ScopedAdminMixin, DjangoUserAdmin):
    view_roles = USER_ADMIN_ROLES
    edit_roles = USER_ADMIN_ROLES
    form = OfficerChangeForm
    add_form = OfficerCreationForm
    inlines = [RoleAssignmentInline]
    list_display = ("username", "full_name", "role_list", "is_active", "last_login")
    list_filter = ("is_active", "roles__role")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    filter_horizontal = ()
    actions = ["deactivate_selected"]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),)
    profile_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "phone", "email")}),
    )
    flag_fieldsets = ((_("Trạng thái tài khoản"), {"fields": ("is_active", "is_staff", "is_superuser")}),)
    dates_fieldsets = ((_("Thời gian"), {"fields": ("last_login", "date_joined")}),)
    fieldsets = profile_fieldsets + flag_fieldsets + dates_fieldsets  # type: ignore[assignment]

    @admin.display(description=_("vai trò"))
    def role_list(self, obj: User) -> str:
        return "; ".join(str(assignment) for assignment in obj.roles.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return officer_list_for_user(user=request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        # Flags are left out of the form altogether for everyone but province administrators.
        flags = self.flag_fieldsets if _is_province_admin(request) else ()
        return self.profile_fieldsets + flags + self.dates_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("username", "last_login", "date_joined") if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_manage_officer(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, never deleted: audit rows keep their actor

    def has_deactivate_permission(self, request: HttpRequest) -> bool:
        return _is_province_admin(request)

    @admin.action(description=_("Khóa các tài khoản đã chọn"), permissions=["deactivate"])
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        officers = [officer for officer in queryset if officer.is_active and officer.pk != request.user.pk]
        for officer in officers:
            officer_update(officer=officer, values={"is_active": False}, actor=request.user)
        message = ngettext("Đã khóa %(count)d tài khoản.", "Đã khóa %(count)d tài khoản.", len(officers))
        self.message_user(request, message % {"count": len(officers)}, messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            return  # created in save_related, together with the roles from the inline
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in OFFICER_FIELDS}
        officer_update(officer=obj, values=values, actor=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)
            return
        roles = [_role_spec(f) for formset in formsets for f in formset.forms if _is_kept(f)]
        officer = officer_create(
            username=form.cleaned_data["username"], full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"], roles=roles, actor=request.user,
        )  # fmt: skip
        _adopt(form.instance, officer)
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = list(officer.roles.all()), [], []

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        officer, actor = form.instance, request.user
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            stored = _stored(inline_form)
            if stored is not None and (inline_form in formset.deleted_forms or inline_form.has_changed()):
                officer_revoke_role(assignment=stored, actor=actor)
                formset.deleted_objects.append(stored)
            if _is_kept(inline_form) and (stored is None or inline_form.has_changed()):
                role, center, agency = _role_spec(inline_form)
                assignment = officer_grant_role(officer=officer, role=role, center=center, agency=agency, actor=actor)
                formset.new_objects.append(assignment)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            officer = self.get_object(request, unquote(id))
            audit_log_write(actor=request.user, action="accounts.officer.password_set", obj=officer,
                            data={"username": getattr(officer, "username", "")})  # fmt: skip
        return response


def _is_kept(form: Any) -> bool:
    """A filled-in inline row that is not marked for deletion."""
    data = getattr(form, "cleaned_data", None) or {}
    return bool(data.get("role")) and not data.get("DELETE")


def _stored(form: Any) -> RoleAssignment | None:
    pk = form.instance.pk
    return RoleAssignment.objects.select_related("user", "center", "agency").filter(pk=pk).first() if pk else None


def _role_spec(form: Any) -> tuple[str, Center | None, Agency | None]:
    data = form.cleaned_data
    return data["role"], data.get("center"), data.get("agency")


def _adopt(instance: User, officer: User) -> None:
    """Point the admin's unsaved object at the officer the service created (for the redirect and log)."""
    instance.pk, instance.username, instance.password = officer.pk, officer.username, officer.password
    instance._state.adding, instance._state.db = False, officer._state.db
