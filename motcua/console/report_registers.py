"""The periodic report a center sends upward, and the apology-letter register (issue 6).

Both are report pages like the dashboards (`@dashboard`: sign-in, GET only, scope, period) and
register their table builder, so the Excel and PDF files hold the screen's figures. The figures
themselves are `motcua.reports.registers`.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.accounts.backends import client_ip
from motcua.reports import registers
from motcua.reports.tables import COUNT, ReportTable, cell_text

from . import charts, report_registry
from .dashboards import dashboard, export_response
from .report_period import ChosenPeriod
from .report_scope import scope_text

PAGE_SIZE = 50


def _subtitle(scope: Any, chosen: ChosenPeriod) -> str:
    return f"{chosen.label} · {scope_text(scope)}"


# --- the periodic upward report ----------------------------------------------------------------


@report_registry.exportable("upward", "bao-cao-dinh-ky")
def upward_report(scope: Any, chosen: ChosenPeriod, params: Any) -> list[ReportTable]:
    return [registers.upward_table(chosen.period, scope=scope, subtitle=_subtitle(scope, chosen))]


def _header() -> list[dict[str, Any]]:
    """The form's two header rows: each group over its figures (a lone figure spans both rows)."""
    return [{"label": g.label, "span": len(g.keys), "subs": list(g.short)} for g in registers.upward_groups()]


# The form's column numbers and how the totals are made of them, as printed under its header.
COLUMN_NUMBERS = ("(1)", "(2)=(3)+(4)+(5)", "(3)", "(4)", "(5)", "(6)=(7)+(8)+(9)", "(7)", "(8)", "(9)",
                  "(10)=(11)+(12)", "(11)", "(12)", "(13)=(2)−(6)−(10)")  # fmt: skip


def _line(table: ReportTable, row: dict[str, Any]) -> dict[str, Any]:
    """A row as the template draws it (templates cannot read the `_level` keys)."""
    return {"level": row["_level"], "name": row["_name"], "texts": table.texts(row)[1:]}


@dashboard("upward")
def upward(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    # Files are built in the background from the registered builder: nothing to compute here for one.
    if (exported := export_response(request, "upward")) is not None:
        return exported
    table = upward_report(scope, chosen, request.GET)[0]
    return render(request, "console/reports/upward.html", {
        **context, "table": table, "groups": _header(), "lines": [_line(table, row) for row in table.rows],
        "total": _line(table, table.totals) if table.totals else None,
        "numbers": COLUMN_NUMBERS,
        "balance": {column.key: cell_text((table.totals or {}).get(column.key), COUNT) for column in table.columns[1:]},
    })  # fmt: skip


# --- the apology-letter register ---------------------------------------------------------------


@report_registry.exportable("apologies", "so-van-ban-xin-loi")
def apology_report(scope: Any, chosen: ChosenPeriod, params: Any) -> list[ReportTable]:
    return registers.apology_tables(chosen.period, scope=scope, subtitle=_subtitle(scope, chosen))


def _page_number(request: HttpRequest) -> str:
    wanted = request.GET.get("trang", "1")
    return wanted if wanted.isdigit() else "1"


@dashboard("apologies")
def apologies(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    # A file is built in the background from the registered builder (which every download
    # audits), so the screen's rows are not needed for it — nor worth reading for a long register.
    if (exported := export_response(request, "apologies")) is not None:
        return exported
    letters = registers.apology_letters(chosen.period, scope=scope)
    counts = registers.apology_counts(letters)
    top = max((n for _name, n in counts), default=0)
    page = Paginator(letters, PAGE_SIZE).get_page(_page_number(request))
    rows = registers.apology_rows(page.object_list, first=page.start_index())
    registers.audit_apology_read(user=request.user, period=chosen.period, rows=len(rows), ip=client_ip(request))
    return render(request, "console/reports/apologies.html", {
        **context, "summary": registers.apology_summary_table(counts, subtitle=context["subtitle"]),
        "table": registers.apology_register_table(rows, subtitle=context["subtitle"]), "page": page,
        "lines": [{"row": row, "tone": row["_tone"], "url": reverse("console:dossier_detail", args=[row["_dossier_id"]])}
                  for row in rows],
        "total": page.paginator.count, "outcomes": registers.apology_outcome_counts(letters),
        "by_agency": charts.bar_chart([(name, n, cell_text(n, COUNT)) for name, n in counts], maximum=max(top, 1)),
        "page_query": f"{context['query']}&trang=",
    })  # fmt: skip
