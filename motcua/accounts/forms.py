"""Forms for the officer admin and the login page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .backends import lockout_message
from .models import RoleAssignment, User
from .services import role_grant_check, role_scope_validate


class LoginLockoutMixin:
    """Say "locked, try again later" instead of "wrong password" when the throttle refused."""

    request: Any

    def get_invalid_login_error(self) -> ValidationError:
        if getattr(self.request, "login_locked", False):
            return ValidationError(lockout_message(), code="locked")
        return super().get_invalid_login_error()  # type: ignore[misc]


class OfficerLoginForm(LoginLockoutMixin, AdminAuthenticationForm):
    pass


class OfficerCreationForm(UserCreationForm):
    """Username, full name and password; roles come from the inline below it."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_username(self) -> str:
        username = super().clean_username()
        return username.strip().lower() if username else username


class OfficerChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "password", "full_name", "phone", "email", "is_active", "is_staff", "is_superuser")  # type: ignore[assignment]


class RoleAssignmentForm(forms.ModelForm):
    """One role row: the scope must fit the role and the editor must be allowed to grant it."""

    editor: Any = None  # set by the admin, per request

    class Meta:
        model = RoleAssignment
        fields = ("role", "center", "agency")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE") or "role" not in data:
            return data
        role, center, agency = data["role"], data.get("center"), data.get("agency")
        role_scope_validate(role=role, center=center, agency=agency)
        try:
            role_grant_check(actor=self.editor, role=role, center=center, agency=agency)
        except PermissionDenied as denied:
            raise ValidationError(str(denied)) from None
        return data


class RoleAssignmentFormSet(forms.BaseInlineFormSet):
    """No duplicate rows, and a center leader must leave the officer with at least one role.

    An officer without roles drops out of the leader's list, so the leader could never fix
    the account again.
    """

    require_one = False  # set by the admin for editors who are not province-wide

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data.get("role") and not f.cleaned_data.get("DELETE")]
        keys = [(f.cleaned_data["role"], f.cleaned_data.get("center"), f.cleaned_data.get("agency")) for f in kept]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Một vai trò bị nhập trùng phạm vi."))
        if self.require_one and not kept:
            raise ValidationError(_("Cán bộ cần có ít nhất một vai trò."))


ROLE_HELP = gettext_lazy(
    "Tiếp nhận, lãnh đạo trung tâm: chọn trung tâm. Chuyên viên, lãnh đạo cơ quan: chọn cơ quan. "
    "Quản trị hệ thống: để trống cả hai (toàn tỉnh) hoặc chọn một trung tâm."
)
