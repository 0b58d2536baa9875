"""Durations on the console screens: `12:05` in tables, `12 phút` in sentences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def clock(value: timedelta | None) -> str:
    """`0:45`, `12:05`, `1:02:05` (minutes and seconds; hours when there are some); `–` for none."""
    if value is None:
        return "–"
    seconds = max(int(round(value.total_seconds())), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def in_minutes(value: timedelta | None) -> str:
    """`dưới 1 phút`, `12 phút`, `1 giờ 5 phút`."""
    if value is None:
        return "–"
    minutes = max(int(value.total_seconds() // 60), 0)
    if minutes < 1:
        return _("dưới 1 phút")
    if minutes < 60:
        return _("%(m)s phút") % {"m": minutes}
    return _("%(h)s giờ %(m)s phút") % {"h": minutes // 60, "m": minutes % 60}


@register.simple_tag
def may_see_today(user: Any) -> bool:
    """Whether the menu offers the "today" page (leaders and administrators of a center)."""
    from motcua.console.selectors import center_list_for_leader

    return center_list_for_leader(user=user).exists()


@register.simple_tag
def dossier_menu(user: Any) -> dict[str, bool]:
    """Which dossier screens the menu offers: the center's desk (reception roles) and the
    agency's work list (agency roles)."""
    from motcua.accounts.scoping import scope_for_user
    from motcua.dossiers import access

    scope = scope_for_user(user)
    return {
        "desk": scope.province_wide or bool(scope.center_ids_for(*access.RECEPTION_ROLES)),
        "work": scope.province_wide or bool(scope.agency_ids_for(*access.AGENCY_ROLES)),
    }


@register.simple_tag
def face_demo_centers(user: Any) -> list[Any]:
    """Centers whose kiosk this officer may hand a demo card read (the kiosk's face check without
    a card reader): only in demo mode, only where they work; province-wide administrators do not
    stand by a kiosk, so they get no link (the page still lets them in)."""
    from motcua.accounts.scoping import CENTER_ROLES, scope_for_user
    from motcua.core.models import Center
    from motcua.identity.services.card_reads import demo_enrolment_on

    if not demo_enrolment_on():
        return []
    ids = scope_for_user(user).center_ids_for(*CENTER_ROLES)
    return list(Center.objects.filter(pk__in=ids).order_by("name")[:5])


@register.simple_tag
def may_see_reports(user: Any) -> bool:
    """Whether the menu offers the dashboards (leaders of a center or an agency, administrators)."""
    from motcua.console.report_scope import scope_or_none

    return scope_or_none(user) is not None
