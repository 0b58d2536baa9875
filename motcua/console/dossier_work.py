"""The agencies' work lists ("Hồ sơ cần xử lý"): one tab per selectors.WORK_LISTS name.

The lists come from `dossiers.selectors.dossier_work_list`, which keeps each officer to their
own agencies; this view only adds the text filter, the page and the deadline badges.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.accounts.models import Role
from motcua.accounts.scoping import scope_for_user
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, DossierStep
from motcua.portal.forms import Pager, page_number

from .views import forbidden

LOGIN_URL = reverse_lazy("console:login")
PER_PAGE = 25

TAB_LABELS = {
    "unassigned": _("Chưa phân công"),
    "mine": _("Tôi đang xử lý"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
    "supplement": _("Chờ bổ sung"),
    "returned": _("Đã có kết quả"),
}
OPEN_FOR_CLOCK = (Dossier.Status.ACCEPTED, Dossier.Status.PROCESSING, Dossier.Status.AWAITING_PAYMENT)


def may_work(user: Any) -> bool:
    """Agency officers and leaders (and province administrators) have work lists."""
    return scope_for_user(user).has_role(Role.AGENCY_OFFICER, Role.AGENCY_LEADER)


def is_agency_leader(user: Any) -> bool:
    scope = scope_for_user(user)
    return scope.province_wide or Role.AGENCY_LEADER in scope.roles


def deadline_badge(dossier: Dossier, now: datetime) -> tuple[str, Any] | None:
    """(css modifier, label) of the due-time badge: paused, overdue or at risk; None when calm.

    Overdue is read from the clock as well as from the deadline job's flag, so a dossier past
    its due time never looks calm between two runs of the job.
    """
    if dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED:
        return "paused", _("Tạm dừng")
    if dossier.status not in OPEN_FOR_CLOCK or dossier.due_at is None:
        return None
    if dossier.overdue_at or dossier.due_at < now:
        return "overdue", _("Quá hạn")
    if dossier.at_risk_at:
        return "at_risk", _("Sắp đến hạn")
    return None


def open_steps() -> Prefetch:
    """The step being worked on (started, not handed over), as `open_steps` on each dossier."""
    return Prefetch(
        "steps", queryset=DossierStep.objects.filter(started_at__isnull=False, handed_over_at__isnull=True)
        .select_related("agency"), to_attr="open_steps",
    )  # fmt: skip


def _filtered(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    if not text:
        return queryset
    return queryset.filter(Q(code__icontains=text) | Q(applicant_name__icontains=text))


def _default_tab(user: Any) -> str:
    return "unassigned" if is_agency_leader(user) else "mine"


def _page(queryset: QuerySet[Dossier], number: int) -> tuple[Pager, list[Dossier]]:
    pager = Pager(number=number, count=queryset.count(), per_page=PER_PAGE)
    pager.number = min(pager.number, pager.pages)  # an old link past the end shows the last page
    rows = queryset.select_related("procedure", "assigned_to", "current_agency").prefetch_related(open_steps())
    return pager, list(rows[pager.offset : pager.offset + PER_PAGE])


def _rows(dossiers: list[Dossier], now: datetime) -> list[dict[str, Any]]:
    return [
        {"dossier": d, "badge": deadline_badge(d, now), "step": (getattr(d, "open_steps", None) or [None])[0]}
        for d in dossiers
    ]


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def dossier_work(request: HttpRequest) -> HttpResponse:
    if not may_work(request.user):
        return forbidden(
            request, str(_("Danh sách hồ sơ cần xử lý dành cho chuyên viên và lãnh đạo các cơ quan giải quyết."))
        )
    name = request.GET.get("ds", "")
    name = name if name in selectors.WORK_LISTS else _default_tab(request.user)
    text = " ".join(request.GET.get("q", "").split())[:80]
    now = timezone.now()
    counts = {tab: _filtered(selectors.dossier_work_list(user=request.user, name=tab, now=now), text).count()
              for tab in selectors.WORK_LISTS}  # fmt: skip
    queryset = _filtered(selectors.dossier_work_list(user=request.user, name=name, now=now), text)
    pager, dossiers = _page(queryset, page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/dossiers/work_list.html", {
        "tabs": [(tab, TAB_LABELS[tab], counts[tab]) for tab in selectors.WORK_LISTS],
        "current": name, "current_label": TAB_LABELS[name], "text": text, "rows": _rows(dossiers, now),
        "pager": pager, "base_query": query.urlencode(), "now": now, "may_work": True,
    })  # fmt: skip
