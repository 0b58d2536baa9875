"""The center's dossier desk ("Hồ sơ tại trung tâm"): what the reception officers have on hand.

Four tabs: dossiers handled at the counters today, online dossiers waiting to be accepted (an
officer accepts or refuses them here, against the version the list showed), dossiers waiting for
a supplement, and results waiting to be returned. Only the centers where the user holds a
reception role are offered (ADR 0008 §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.backends import client_ip
from motcua.accounts.scoping import scope_for_user
from motcua.core.models import Center
from motcua.dossiers import access
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_reception_list
from motcua.dossiers.services import dossier_accept, dossier_refuse

from . import selectors
from .dossier_intake import dossier_detail_url
from .views import forbidden

LOGIN_URL = reverse_lazy("console:login")
PAGE = 100


@dataclass(frozen=True)
class Tab:
    name: str
    label: Any
    empty: Any


TABS = (
    Tab("today", gettext_lazy("Tiếp nhận hôm nay"), gettext_lazy("Hôm nay chưa có hồ sơ nào được tiếp nhận tại quầy.")),
    Tab("online_waiting", gettext_lazy("Trực tuyến chờ tiếp nhận"), gettext_lazy("Không có hồ sơ trực tuyến nào đang chờ.")),
    Tab("supplement", gettext_lazy("Chờ bổ sung"), gettext_lazy("Không có hồ sơ nào đang chờ công dân bổ sung.")),
    Tab("to_return", gettext_lazy("Chờ trả kết quả"), gettext_lazy("Không có kết quả nào đang chờ trả.")),
)  # fmt: skip
TAB_NAMES = tuple(tab.name for tab in TABS)


def reception_centers(user: Any) -> QuerySet[Center]:
    """Centers whose desk the user may see: where they hold a reception role (all, province-wide)."""
    centers = Center.objects.filter(is_active=True).order_by("ordering", "name")
    scope = scope_for_user(user)
    return centers if scope.province_wide else centers.filter(pk__in=scope.center_ids_for(*access.RECEPTION_ROLES))


def _chosen_center(request: HttpRequest, centers: QuerySet[Center]) -> Center | None:
    wanted = request.GET.get("trung_tam") or request.POST.get("trung_tam")
    if wanted:
        return centers.filter(code=wanted).first()
    seated = selectors.counter_of_officer(user=request.user)
    if seated is not None:
        return centers.filter(pk=seated.center_id).first() or centers.first()
    return centers.first()


@dataclass
class Row:
    dossier: Dossier
    url: str | None


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def reception_desk(request: HttpRequest) -> HttpResponse:
    centers = reception_centers(request.user)
    center = _chosen_center(request, centers)
    if center is None:
        return forbidden(request, _("Bạn không có quyền xem hồ sơ của trung tâm này."))
    name = request.GET.get("tab") or "today"
    name = name if name in TAB_NAMES else "today"
    now = timezone.now()
    dossiers = list(dossier_reception_list(request.user, center, name, now=now)[:PAGE])
    counts = {tab.name: dossier_reception_list(request.user, center, tab.name, now=now).count() for tab in TABS}
    return render(request, "console/dossiers/reception_desk.html", {
        "center": center, "centers": centers, "tabs": TABS, "tab": next(t for t in TABS if t.name == name),
        "counts": counts, "rows": [Row(d, dossier_detail_url(d)) for d in dossiers],
        "seated": selectors.counter_of_officer(user=request.user), "limit": PAGE,
        **_logbook_period(request),
    })  # fmt: skip


def _logbook_period(request: HttpRequest) -> dict[str, str]:
    """The log book form's dates: as last typed (after a refusal), else this month so far."""
    today = timezone.localdate()
    return {
        "logbook_start": request.GET.get("tu_ngay") or f"{today.replace(day=1):%d/%m/%Y}",
        "logbook_end": request.GET.get("den_ngay") or f"{today:%d/%m/%Y}",
    }


def _back(center: Center, tab: str) -> HttpResponse:
    return redirect(reverse("console:reception_desk") + "?" + urlencode({"trung_tam": center.code, "tab": tab}))


@login_required(login_url=LOGIN_URL)
@require_POST
def online_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept or refuse an online dossier, as the officer saw it (its version in the form)."""
    if action not in ("tiep-nhan", "tu-choi"):
        raise Http404
    dossier = get_object_or_404(Dossier.objects.select_related("receiving_center"), pk=pk)
    if not access.can_receive_at(request.user, dossier.receiving_center_id):
        return forbidden(request, _("Hồ sơ này được tiếp nhận tại trung tâm khác, bạn không có quyền xử lý."))
    version = _version(request.POST.get("version"))
    try:
        if action == "tiep-nhan":
            done = dossier_accept(officer=request.user, dossier=dossier, expected_version=version,
                                  ip=client_ip(request))  # fmt: skip
            return redirect("console:dossier_intake_result", pk=done.pk)
        done = dossier_refuse(officer=request.user, dossier=dossier, expected_version=version,
                              reason=request.POST.get("reason", ""), ip=client_ip(request))  # fmt: skip
        return redirect("console:dossier_intake_result", pk=done.pk)
    except DossierError as refusal:
        messages.error(request, str(refusal.message))
        return _back(dossier.receiving_center, "online_waiting")


def _version(value: str | None) -> int:
    """The version the list showed; a missing one can only be stale (never "whatever is there")."""
    try:
        return int(value or "")
    except ValueError:
        return -1
