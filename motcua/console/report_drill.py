"""Drill-down: the dossiers behind a figure of the dossier dashboard (issue 6).

`?chi-so=<count>&nhom=<group>&ma=<id>` with the period's parameters lists, 50 a page, the
dossiers `motcua.reports.drill.dossiers_behind` finds — as many as the figure clicked on the
dashboard. The list shows applicants' names, so every view and every export is audited.
A bad count, group or key gets a Vietnamese message on the page; a key the user's scope never
touches gets the refusal page (the list itself is always inside the scope anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.accounts.backends import client_ip
from motcua.core.services import audit_log_write
from motcua.dossiers.models import Dossier
from motcua.portal.forms import Pager, page_number
from motcua.reports._scope import ReportScope
from motcua.reports.drill import GROUP_FIELDS, METRICS, NO_KEY, dossiers_behind
from motcua.reports.labels import labels_for
from motcua.reports.tables import COUNT, TEXT, Column, ReportTable, cell_text

from . import report_registry
from .dashboard_tables import GROUP_LABELS, METRIC_LABELS
from .dashboards import DOSSIER_GROUPS, dashboard, export_response
from .report_period import ChosenPeriod
from .report_scope import scope_text
from .views import forbidden

PER_PAGE = 50
EXPORT_CAP = 20_000  # rows in an exported list; a longer one says it was cut


class BadDrill(Exception):
    """An address the drill-down cannot read; the message says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Drill:
    metric: str
    group_by: str | None
    key: Any  # an id, NO_KEY, or None for the whole scope
    label: str  # the group row's name ("" for the whole scope)

    @property
    def title(self) -> str:
        what = str(METRIC_LABELS[self.metric])
        return f"{what} · {self.label}" if self.label else what

    def audit_data(self, chosen: ChosenPeriod, count: int) -> dict[str, Any]:
        return {"metric": self.metric, "group": self.group_by or "", "key": "" if self.key is None else str(self.key),
                "period": chosen.params, "period_label": chosen.label, "count": count}  # fmt: skip


def read_drill(params: QueryDict, scope: ReportScope) -> Drill:
    """The figure asked for, checked: BadDrill for what cannot be read, PermissionError for a
    group row the scope never touches."""
    metric = params.get("chi-so", "")
    if metric not in METRICS:
        raise BadDrill(_("Chỉ số không hợp lệ: không biết số liệu nào cần xem chi tiết."))
    group_by = params.get("nhom", "") or None
    if group_by is not None and (group_by not in DOSSIER_GROUPS or group_by not in GROUP_FIELDS):
        raise BadDrill(_("Cách nhóm không hợp lệ: chỉ xem theo cơ quan, lĩnh vực, thủ tục, nơi tiếp nhận hoặc cán bộ."))
    raw = params.get("ma", "").strip()
    if group_by is None or not raw:
        return Drill(metric, group_by, None, "")
    if raw == NO_KEY:
        return Drill(metric, group_by, NO_KEY, _("không xác định"))
    if not raw.isdigit():
        raise BadDrill(_("Mã đơn vị không hợp lệ."))
    key = int(raw)
    label = labels_for(group_by, [key]).get(key)
    if label is None:
        raise BadDrill(_("Không tìm thấy %(group)s có mã này.") % {"group": str(GROUP_LABELS[group_by]).lower()})
    if not scope.everything and not _touches(scope, group_by, key):
        raise PermissionError(key)
    return Drill(metric, group_by, key, label)


def _touches(scope: ReportScope, group_by: str, key: int) -> bool:
    """Whether any dossier inside the scope belongs to the group row `key`."""
    inside = Dossier.objects.filter(receiving_center_id__in=scope.center_ids) | Dossier.objects.filter(
        competent_agency_id__in=scope.agency_ids
    )
    return inside.filter(**{GROUP_FIELDS[group_by]: key}).exists()


def _when(value: Any) -> str:
    from motcua.core.calendar import to_local

    return f"{to_local(value):%H:%M %d/%m/%Y}" if value else ""


def _columns() -> list[Column]:
    return [
        Column("code", _("Mã hồ sơ"), TEXT), Column("procedure", _("Thủ tục"), TEXT),
        Column("applicant", _("Người nộp"), TEXT), Column("channel", _("Kênh"), TEXT),
        Column("accepted", _("Ngày tiếp nhận"), TEXT), Column("due", _("Hẹn trả"), TEXT),
        Column("result", _("Ngày có kết quả"), TEXT), Column("status", _("Trạng thái"), TEXT),
    ]  # fmt: skip


def _line(dossier: Dossier) -> dict[str, Any]:
    return {
        "pk": dossier.pk, "code": dossier.code or "", "procedure": dossier.procedure.name,
        "applicant": dossier.applicant_name, "channel": dossier.get_channel_display(),
        "accepted": _when(dossier.accepted_at), "due": _when(dossier.original_due_at),
        "result": _when(dossier.result_ready_at), "status": dossier.get_status_display(),
    }  # fmt: skip


def _rows(queryset: Any, start: int, stop: int) -> list[dict[str, Any]]:
    return [_line(d) for d in queryset.select_related("procedure")[start:stop]]


def _table(drill: Drill, chosen: ChosenPeriod, scope: ReportScope, rows: list[dict[str, Any]],
           count: int) -> ReportTable:  # fmt: skip
    notes = [_("Hồ sơ được đếm đúng như con số trên báo cáo hồ sơ; hẹn trả là hạn ban đầu (ngày hẹn lại "
               "sau văn bản xin lỗi không làm hồ sơ trễ hạn thành đúng hạn).")]  # fmt: skip
    if count > len(rows) and len(rows) >= EXPORT_CAP:
        notes.append(_("Danh sách có %(n)s hồ sơ; tệp chỉ ghi %(cap)s hồ sơ đầu tiên.")
                     % {"n": cell_text(count, COUNT), "cap": cell_text(EXPORT_CAP, COUNT)})  # fmt: skip
    return ReportTable(drill.title, _columns(), rows, subtitle=f"{chosen.label} · {scope_text(scope)}", notes=notes)


@report_registry.exportable("drill", "ho-so-chi-tiet")
def drill_report(scope: ReportScope, chosen: ChosenPeriod, params: QueryDict) -> list[ReportTable]:
    """Every dossier behind the figure (at most EXPORT_CAP), for the Excel and PDF files."""
    try:
        drill = read_drill(params, scope)
    except (BadDrill, PermissionError) as bad:
        from motcua.reports.background import ExportRefused

        message = bad.message if isinstance(bad, BadDrill) else _("Bạn không có quyền xem số liệu của đơn vị này.")
        raise ExportRefused(message) from None
    queryset = dossiers_behind(drill.metric, chosen.period, scope=scope, group_by=drill.group_by, key=drill.key)
    count = queryset.count()
    return [_table(drill, chosen, scope, _rows(queryset, 0, EXPORT_CAP), count)]


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("page", "xuat"):
        query.pop(name, None)
    return query.urlencode()


def _back(chosen: ChosenPeriod, drill: Drill | None) -> str:
    query = QueryDict(mutable=True)
    query.update(chosen.params)
    if drill and drill.group_by:
        query["nhom"] = drill.group_by
    return f"{reverse('console:reports_dossiers')}?{query.urlencode()}"


@dashboard("drill")
def drill(request: HttpRequest, scope: Any, chosen: ChosenPeriod, context: dict[str, Any]) -> HttpResponse:
    try:
        asked = read_drill(request.GET, scope)
    except BadDrill as bad:
        return render(request, "console/reports/drill.html",
                      {**context, "error": bad.message, "back": _back(chosen, None)}, status=400)  # fmt: skip
    except PermissionError:
        return forbidden(request, _("Bạn không có quyền xem số liệu của đơn vị này."))
    queryset = dossiers_behind(asked.metric, chosen.period, scope=scope, group_by=asked.group_by, key=asked.key)
    count = queryset.count()
    pager = Pager(number=page_number(request.GET.get("page")), count=count, per_page=PER_PAGE)
    pager.number = min(pager.number, pager.pages)  # an old link past the end shows the last page
    kind = request.GET.get("xuat", "")
    audit_log_write(actor=request.user, action="reports.drill.exported" if kind else "reports.drill.viewed",
                    ip=client_ip(request), data={**asked.audit_data(chosen, count), "page": pager.number,
                                                 **({"export": kind} if kind else {})})  # fmt: skip
    if (exported := export_response(request, "drill")) is not None:
        return exported
    rows = _rows(queryset, pager.offset, pager.offset + PER_PAGE)  # the screen's page only: an export reads its own
    table = _table(asked, chosen, scope, rows, count)
    extra = {"chi-so": asked.metric, **({"ma": str(asked.key)} if asked.key is not None else {})}
    return render(request, "console/reports/drill.html", {
        **context, "drill": asked, "count": count, "rows": rows, "table": table, "pager": pager,
        "base_query": _page_query(request), "back": _back(chosen, asked), "group_by": asked.group_by or "",
        "export_extra_query": "&" + urlencode(extra), "count_text": cell_text(count, COUNT),
    })  # fmt: skip
