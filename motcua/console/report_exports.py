"""Exports that run in the background, with their progress (issue 6, ADR 0010 §6).

The export buttons of every report page queue a job (`dashboards.export_response`) and land
here: the progress of the job (polled as JSON by report-export.js, or refreshed by the page
itself without JavaScript), then "Tải về". Only the job's owner sees it; for anyone else the
address does not exist (404), so a job's id reveals nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.reports.background import (
    KINDS,
    ExportRefused,
    export_for,
    export_open,
    export_recent,
    export_request,
    period_label,
)
from motcua.reports.models import ReportExport

from .dashboards import LOGIN_URL

Status = ReportExport.Status


def _own(request: HttpRequest, pk: Any) -> ReportExport:
    job = export_for(request.user, pk)
    if job is None:
        raise Http404
    return job


def back_url(job: ReportExport) -> str:
    """The report page the export came from, with its query string (period, grouping…)."""
    try:
        path = reverse(f"console:reports_{job.tab}")
    except NoReverseMatch:
        path = reverse("console:reports_dossiers")
    # PostgreSQL's jsonb keeps keys in its own order: put the period first, as the pages do.
    first = ("ky", "nam", "thang", "quy", "tu", "den")
    keys = [k for k in first if k in job.params] + sorted(k for k in job.params if k not in first)
    return f"{path}?{urlencode([(k, job.params[k]) for k in keys])}" if keys else path


def _download_url(job: ReportExport) -> str:
    return reverse("console:reports_export_download", args=[job.pk]) if job.status == Status.DONE else ""


def _state(job: ReportExport) -> dict[str, Any]:
    done = job.status == Status.DONE
    return {
        "status": job.status, "progress": job.progress, "step": job.step or job.get_status_display(),
        "download_url": _download_url(job), "error": job.error if job.status == Status.FAILED else "",
        "title": job.title, "status_label": job.get_status_display(),
        "file": f"{job.file_name} · {filesizeformat(job.size)}" if done else "",
    }  # fmt: skip


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def export_status(request: HttpRequest, pk: Any) -> HttpResponse:
    """The job's progress page; `?dang=json` the same as JSON; POST "Thử lại" queues it again."""
    job = _own(request, pk)
    if request.method == "POST":
        return _retry(request, job)
    if request.GET.get("dang") == "json":
        return JsonResponse(_state(job))
    return render(request, "console/reports/export.html", {
        "job": job, "state": _state(job), "period": period_label(job), "back_url": back_url(job),
        "kind_label": job.get_kind_display(), "finished": job.status in (Status.DONE, Status.FAILED),
        "recent": [(other, back_url(other)) for other in export_recent(request.user)],
    })  # fmt: skip


def _retry(request: HttpRequest, job: ReportExport) -> HttpResponse:
    if job.status != Status.FAILED:
        return redirect("console:reports_export", pk=job.pk)
    try:
        again = export_request(request.user, job.tab, job.kind, job.params)
    except ExportRefused as refused:
        messages.error(request, refused.message)
        return redirect("console:reports_export", pk=job.pk)
    return redirect("console:reports_export", pk=again.pk)


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def export_download(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """The finished file, as an attachment named after the report and the time it was made."""
    job = _own(request, pk)
    if job.status != Status.DONE or not job.file:
        messages.warning(request, _("Tệp chưa xuất xong."))
        return redirect("console:reports_export", pk=job.pk)
    try:
        handle = export_open(job, ip=request.META.get("REMOTE_ADDR"))
    except FileNotFoundError:
        messages.error(request, _("Tệp không còn được lưu; xin xuất lại từ trang báo cáo."))
        return redirect("console:reports_export", pk=job.pk)
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=KINDS[job.kind])
