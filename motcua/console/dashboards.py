"""The leaders' dashboards (issue 6, ADR 0010): dossiers, queues and Decision 766, for a period.

Each view reads `motcua.reports.figures` inside the user's reporting scope, turns the figures into
one report table (`dashboard_tables`) and draws it with its charts — or sends the same table as
Excel or PDF (`?xuat=xlsx|pdf`), so a file always holds the screen's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.calendar import to_local
from motcua.reports.background import ExportRefused, export_request
from motcua.reports.figures import dossier_figures, indicators_766, queue_figures, trend
from motcua.reports.staffing import HOURS, staffing_advice
from motcua.reports.tables import RATE, ReportTable, cell_text

from . import charts, dashboard_tables, report_registry
from .report_period import ChosenPeriod, choices, period_from
from .report_scope import scope_or_none, scope_text
from .views import forbidden

LOGIN_URL = reverse_lazy("console:login")
DOSSIER_GROUPS = ("agency", "sector", "procedure", "center", "officer")
QUEUE_GROUPS = ("queue", "counter", "officer")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
OPEN_HOURS = range(6, 19)


def _frame(request: HttpRequest, tab: str) -> tuple[Any, ChosenPeriod, dict[str, Any]] | HttpResponse:
    """The scope (or the refusal page), the period, and what every dashboard page shows."""
    scope = scope_or_none(request.user)
    if scope is None:
        return forbidden(request, _("Báo cáo dành cho lãnh đạo trung tâm, lãnh đạo cơ quan và quản trị hệ thống."))
    today = to_local(timezone.now()).date()
    chosen = period_from(request.GET, today=today)
    query = "&".join(f"{key}={value}" for key, value in chosen.params.items())
    return scope, chosen, {
        "tab": tab, "chosen": chosen, "choices": choices(today), "query": query,
        "scope_text": scope_text(scope), "subtitle": f"{chosen.label} · {scope_text(scope)}",
    }  # fmt: skip


def dashboard(tab: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A dashboard view: signed in, GET only, never cached, and given the user's scope, the period
    and the page frame — or the refusal page for a user who answers for no figures."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required(login_url=LOGIN_URL)
        @require_safe
        @never_cache
        @wraps(view)
        def framed_view(request: HttpRequest) -> HttpResponse:
            framed = _frame(request, tab)
            if isinstance(framed, HttpResponse):
                return framed
            return view(request, *framed)

        return framed_view

    return wrap


def _group(params: Any, allowed: tuple[str, ...]) -> str:
    wanted = params.get("nhom", "")
    return wanted if wanted in allowed else allowed[0]


def export_response(request: HttpRequest, tab: str) -> HttpResponse | None:
    """`?xuat=xlsx|pdf`: queue the page's export and send the user to its progress page.

    Every export runs in the background, small or large: one way for the user (the progress
    page, "Tải về", a retry), one audit trail, and a request that never waits on a big PDF. The
    job rebuilds the tables from the same query string (`report_registry`), so a page asks this
    first, before computing anything for the screen.
    """
    kind = request.GET.get("xuat", "")
    if not kind or request.method != "GET":  # HEAD (a link preview) starts nothing
        return None
    try:
        job = export_request(request.user, tab, kind, request.GET)
    except ExportRefused as refused:
        messages.error(request, refused.message)
        back = request.GET.copy()
        back.pop("xuat", None)
        return redirect(f"{request.path}?{back.urlencode()}")
    return redirect("console:reports_export", pk=job.pk)


# --- dossiers --------------------------------------------------------------------------------


def _trend_step(chosen: ChosenPeriod) -> str:
    days = (chosen.period.end - chosen.period.start).days + 1
    return "day" if days <= 31 else "week" if days <= 92 else "month"


def _trend_chart(points: list[Any], step: str, metric: str) -> dict[str, Any]:
    fmt = {"day": "%d/%m", "week": "%d/%m", "month": "%m/%Y"}[step]
    kind = RATE if metric.endswith("_rate") else "count"
    values = [(f"{p.period.start:{fmt}}", None if p.value is None else (p.value * 100 if kind == RATE else p.value),
               cell_text(p.value, kind)) for p in points]  # fmt: skip
    return charts.line_chart(values, maximum=100 if kind == RATE else None, unit=" %" if kind == RATE else "")


def _tone(rate: float | None) -> str:
    if rate is None:
        return ""
    return "good" if rate >= 0.95 else "warn" if rate >= 0.8 else "bad"


KPI_KINDS = {
    "received": "count", "online_rate": RATE, "resolved": "count", "resolved_late": "count", "on_time_rate": RATE,
    "in_progress_within_time": "count", "within_time_rate": RATE, "in_progress_overdue": "count",
    "satisfaction_rate": RATE, "digitised_rate": RATE, "e_result_rate": RATE,
}  # fmt: skip


def _kpi(total: Any) -> dict[str, str]:
    return {key: cell_text(total[key] if total else None, kind) for key, kind in KPI_KINDS.items()}


def _dossier_tables(scope: Any, chosen: ChosenPeriod, params: Any) -> tuple[list[Any], Any, ReportTable]:
    group_by = _group(params, DOSSIER_GROUPS)
    rows = dossier_figures(chosen.period, scope=scope, group_by=group_by)
    total = next(iter(dossier_figures(chosen.period, scope=scope)), None)
    subtitle = f"{chosen.label} · {scope_text(scope)}"
    return rows, total, dashboard_tables.dossier_table(rows, total, group_by=group_by, subtitle=subtitle)


@report_registry.exportable("dossiers", "bao-cao-ho-so")
def dossier_report(scope: Any, chosen: ChosenPeriod, params: Any) -> list[ReportTable]:
    return [_dossier_tables(scope, chosen, params)[2]]


@dashboard("dossiers")
def dossiers(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    if (exported := export_response(request, "dossiers")) is not None:
        return exported
    group_by = _group(request.GET, DOSSIER_GROUPS)
    rows, total, table = _dossier_tables(scope, chosen, request.GET)
    step = _trend_step(chosen)
    ranked = sorted((row for row in rows if row["resolved"]), key=lambda row: row["on_time_rate"] or 0)[:15]
    return render(request, "console/reports/dossiers.html", {
        **context, "group_by": group_by, "groups": DOSSIER_GROUPS, "group_labels": dashboard_tables.GROUP_LABELS,
        "table": table, "kpi": _kpi(total),
        "on_time_trend": _trend_chart(trend(chosen.period, "on_time_rate", scope=scope, step=step), step, "on_time_rate"),
        "received_trend": _trend_chart(trend(chosen.period, "received", scope=scope, step=step), step, "received"),
        "ranked": charts.bar_chart(
            [(row.label, (row["on_time_rate"] or 0) * 100, cell_text(row["on_time_rate"], RATE)) for row in ranked],
            maximum=100, tones=[_tone(row["on_time_rate"]) for row in ranked]),
    })  # fmt: skip


# --- queues ----------------------------------------------------------------------------------


def _histogram(row: Any, kind: str) -> dict[str, Any]:
    from motcua.reports.models import HISTOGRAM_EDGES

    edges = list(HISTOGRAM_EDGES)
    labels = [f"{a}–{b}" for a, b in zip(edges, edges[1:], strict=False)] + [f"{edges[-1]}+"]
    counts = row.wait_histogram if kind == "wait" else row.service_histogram
    return charts.column_chart([(label, count, cell_text(count, "count")) for label, count in zip(labels, counts, strict=False)])


def _arrivals(arrivals: list[list[int]], days_by_weekday: list[int]) -> dict[str, Any]:
    """Mean arrivals per weekday and hour (over the weekdays of the period that had tickets)."""
    hours = list(OPEN_HOURS)
    values = [[arrivals[d][h] / days_by_weekday[d] if days_by_weekday[d] else 0 for h in hours] for d in range(7)]
    keep = [d for d in range(7) if any(arrivals[d])] or list(range(5))
    return charts.heatmap([WEEKDAYS[d] for d in keep], [f"{h}h" for h in hours], [values[d] for d in keep])


def _weekday_counts(chosen: ChosenPeriod) -> list[int]:
    counts = [0] * 7
    for day in chosen.period.days():
        counts[day.weekday()] += 1
    return counts


def _queue_tables(scope: Any, chosen: ChosenPeriod, params: Any) -> tuple[Any, Any, ReportTable]:
    group_by = _group(params, QUEUE_GROUPS)
    figures = queue_figures(chosen.period, scope=scope, group_by=group_by)
    total = figures.total()
    subtitle = f"{chosen.label} · {scope_text(scope)}"
    return figures, total, dashboard_tables.queue_table(figures.rows, total, group_by=group_by, subtitle=subtitle)


@report_registry.exportable("queues", "bao-cao-hang-doi")
def queue_report(scope: Any, chosen: ChosenPeriod, params: Any) -> list[ReportTable]:
    return [_queue_tables(scope, chosen, params)[2]]


@dashboard("queues")
def queues(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    if (exported := export_response(request, "queues")) is not None:
        return exported
    group_by = _group(request.GET, QUEUE_GROUPS)
    figures, total, table = _queue_tables(scope, chosen, request.GET)
    return render(request, "console/reports/queues.html", {
        **context, "group_by": group_by, "groups": QUEUE_GROUPS, "group_labels": dashboard_tables.GROUP_LABELS,
        "table": table, "total": total,
        "arrivals": _arrivals(figures.arrivals, _weekday_counts(chosen)),
        "wait_histogram": _histogram(total, "wait") if total else None,
        "service_histogram": _histogram(total, "service") if total else None,
    })  # fmt: skip


# --- Decision 766 ----------------------------------------------------------------------------


def _score_text(group: Any) -> str:
    # floatformat rounds half up from the decimal text, like the group cards (7,95 → 8,0).
    score = "–" if group.score is None else floatformat(group.score, 1)
    return f"{score} / {number_format(group.weight, decimal_pos=0)}"


@report_registry.exportable("indicators", "chi-so-766")
def indicator_report(scope: Any, chosen: ChosenPeriod, params: Any) -> list[ReportTable]:
    groups = indicators_766(chosen.period, scope=scope)
    return [dashboard_tables.indicator_table(groups, subtitle=f"{chosen.label} · {scope_text(scope)}")]


@dashboard("indicators")
def indicators(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    if (exported := export_response(request, "indicators")) is not None:
        return exported
    groups = indicators_766(chosen.period, scope=scope)
    table = dashboard_tables.indicator_table(groups, subtitle=context["subtitle"])
    scored = [g for g in groups if g.score is not None]
    return render(request, "console/reports/indicators.html", {
        **context, "groups": groups, "table": table,
        "estimate": sum(g.score for g in scored if g.score is not None), "weight": sum(g.weight for g in scored),
        "scores": charts.bar_chart([(g.label, g.score or 0, _score_text(g)) for g in groups],
                                   maximum=max((g.weight for g in groups), default=1)),
    })  # fmt: skip


# --- staffing advice -------------------------------------------------------------------------


def _target(request: HttpRequest, name: str, default: float, low: float, high: float) -> float:
    try:
        value = float(request.GET.get(name, default))
    except ValueError:
        return default
    return value if low <= value <= high else default


def _staffing_centers(scope: Any) -> list[Any]:
    from motcua.core.models import Center

    centers = Center.objects.filter(is_active=True).order_by("ordering", "name")
    return list(centers if scope.everything else centers.filter(pk__in=scope.center_ids))


@dashboard("staffing")
def staffing(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    centers = _staffing_centers(scope)
    if not centers:
        return forbidden(request, _("Tư vấn bố trí quầy dành cho lãnh đạo trung tâm và quản trị hệ thống."))
    center = next((c for c in centers if c.code == request.GET.get("center")), centers[0])
    share = _target(request, "ty-le", 100 * settings.MOTCUA.get("REPORTS_SERVICE_TARGET_SHARE", 0.8), 50, 99)
    minutes = _target(request, "phut", settings.MOTCUA.get("REPORTS_SERVICE_TARGET_MINUTES", 15), 1, 120)
    yesterday = to_local(timezone.now()).date() - timedelta(days=1)
    period = chosen.period.clipped(yesterday)
    advice = staffing_advice(center=center, start=period.start, end=period.end, target_share=share / 100,
                             target_seconds=minutes * 60) if period else []  # fmt: skip
    return render(request, "console/reports/staffing.html", {
        **context, "centers": centers, "center": center, "share": share, "minutes": minutes, "advice": advice,
        "hours": list(HOURS), "extra_query": f"&center={center.code}&ty-le={share:g}&phut={minutes:g}",
    })  # fmt: skip
