"""Officers and their roles, each role scoped to a center and/or an agency."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    CENTER_LEADER = "center_leader", _("Lãnh đạo trung tâm")
    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    AGENCY_OFFICER = "agency_officer", _("Chuyên viên cơ quan")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")


class User(AbstractUser):
    """A staff account (Officer). Citizens get their own accounts in the identity issue."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role of an officer, limited to a center, an agency, or both.

    An administrator with neither sees the whole province; every other role needs the scope
    its work is done in (a reception officer a center, an agency officer an agency).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    center = models.ForeignKey(
        "core.Center", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("trung tâm")
    )
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("cơ quan")
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = pgettext_lazy("số nhiều", "phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "center", "agency"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        scope = " / ".join(str(s) for s in (self.center, self.agency) if s)
        return f"{self.get_role_display()}" + (f" ({scope})" if scope else "")
