"""Report exports built in the background (issue 6, ADR 0010 §6): ask, run, drain.

`export_request` stores the job and, once the request's transaction commits, starts it on a
daemon thread of the web process (`MOTCUA["REPORTS_EXPORT_IN_PROCESS"]`, default on). Whoever
runs it — that thread or `manage.py reports_drain` — first claims it with a conditional update,
so exactly one runner builds the file; a claim older than STALE_CLAIM (a runner that died) may
be taken again. The figures are those of the user's scope *when the file is built*: a leader
who lost a center between the click and the run does not get its figures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connections, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.calendar import to_local
from motcua.core.services import audit_log_write

from ._scope import report_scope
from .exports import tables_pdf, tables_xlsx
from .models import ReportExport

logger = logging.getLogger(__name__)
T = TypeVar("T")

Status = ReportExport.Status
KINDS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
MAX_WAITING = 5  # queued or running exports a user may have at once
STALE_CLAIM = timedelta(minutes=15)  # a running claim older than this belongs to a runner that died
WRITE_FROM, WRITE_TO = 40, 95  # the share of the bar that writing the file fills
# What the page is called until the file names its first table (the tab names of the reports).
TAB_TITLES = {
    "dossiers": gettext_lazy("Hồ sơ"), "queues": gettext_lazy("Hàng đợi"), "indicators": gettext_lazy("Chỉ số 766"),
    "drill": gettext_lazy("Hồ sơ chi tiết"),
    "upward": gettext_lazy("Báo cáo định kỳ"), "apologies": gettext_lazy("Văn bản xin lỗi"),
}  # fmt: skip


class ExportRefused(Exception):
    """An export that may not be made; `message` says why, in Vietnamese, for the screen."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _setting(name: str, default: Any) -> Any:
    return settings.MOTCUA.get(name, default)


def _retrying_if_locked(write: Callable[[], T]) -> T:
    """Run a one-statement write again when SQLite reports a lock (a thread and a drain on one
    file); every write here is a conditional UPDATE, harmless to repeat. PostgreSQL waits instead."""
    for attempt in range(10):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 9:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def _builder(tab: str) -> Any:
    from motcua.console.report_registry import builder_for  # the pages register their tables there

    return builder_for(tab)


def _has_scope(user: Any) -> bool:
    scope = report_scope(user)
    return bool(user.is_active and (scope.everything or scope.center_ids or scope.agency_ids))


def _chosen(params: dict[str, str], now: datetime) -> Any:
    from motcua.console.report_period import period_from

    query = QueryDict(mutable=True)
    query.update(params)
    return period_from(query, today=to_local(now).date())


def export_params(query: QueryDict | dict[str, Any], *, now: datetime | None = None) -> dict[str, str]:
    """The page's query string to keep with the job: `xuat` left out, the period made explicit
    (a job built tomorrow still covers the month the screen showed)."""
    params = {str(key): str(value) for key, value in query.items() if key not in ("xuat", "dang")}
    params.update(_chosen(params, now or timezone.now()).params)
    return params


def period_label(job: ReportExport) -> str:
    return str(_chosen(job.params, job.created_at).label)


# --- ask --------------------------------------------------------------------------------------


@transaction.atomic
def export_request(user: Any, tab: str, kind: str, params: QueryDict | dict[str, Any], *,
                   now: datetime | None = None) -> ReportExport:  # fmt: skip
    """Queue an export of page `tab` as `kind` (xlsx|pdf); it starts after the commit."""
    now = now or timezone.now()
    if kind not in KINDS:
        raise ExportRefused(_("Chỉ xuất được tệp Excel hoặc PDF."))
    if _builder(tab) is None:
        raise ExportRefused(_("Báo cáo này không xuất được ra tệp."))
    if not _has_scope(user):
        raise ExportRefused(_("Báo cáo dành cho lãnh đạo trung tâm, lãnh đạo cơ quan và quản trị hệ thống."))
    waiting = ReportExport.objects.filter(user=user, status__in=[Status.QUEUED, Status.RUNNING],
                                          created_at__gte=now - STALE_CLAIM).count()  # fmt: skip
    if waiting >= MAX_WAITING:
        raise ExportRefused(
            _("Bạn đang có %(n)s tệp chờ xuất. Xin đợi các tệp này xong rồi xuất thêm.") % {"n": waiting}
        )
    job = ReportExport.objects.create(user=user, tab=tab, title=str(TAB_TITLES.get(tab, tab)), kind=kind,
                                      params=export_params(params, now=now), created_at=now,
                                      step=_("Đang chờ đến lượt…"))  # fmt: skip
    audit_log_write(actor=user, action="reports.export.requested", obj=job, now=now,
                    data={"tab": tab, "kind": kind, "params": job.params})  # fmt: skip
    transaction.on_commit(lambda: start_soon(job.pk))
    return job


def start_soon(pk: Any) -> None:
    """Run the job on a daemon thread of this process, unless a drain timer does it."""
    if _setting("REPORTS_EXPORT_IN_PROCESS", True):
        threading.Thread(target=_run_in_thread, args=(pk,), name=f"report-export-{pk}", daemon=True).start()


def _run_in_thread(pk: Any) -> None:
    try:
        export_run(pk)
    except Exception:  # a thread has nobody to raise to; the job stays claimed and goes stale
        logger.exception("report export %s: the runner crashed", pk)
    finally:
        connections.close_all()  # this thread's own connections


# --- run --------------------------------------------------------------------------------------


def export_claim(pk: Any, *, now: datetime) -> bool:
    """Take a queued job (or a stale running one) for this runner; False when another has it."""
    free = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, claimed_at__lt=now - STALE_CLAIM)
    return _retrying_if_locked(lambda: ReportExport.objects.filter(free, pk=pk).update(
        status=Status.RUNNING, claimed_at=now, started_at=now, progress=5, step=_("Đang tính số liệu…"), error="",
    )) == 1  # fmt: skip


class _Run:
    """One runner's hold on a job: every write is conditional on its claim still standing."""

    def __init__(self, job: ReportExport, claimed_at: datetime) -> None:
        self.job, self.claimed_at = job, claimed_at
        self.shown, self.shown_at = 0, 0.0

    def save(self, **fields: Any) -> bool:
        query = ReportExport.objects.filter(pk=self.job.pk, claimed_at=self.claimed_at, status=Status.RUNNING)
        return _retrying_if_locked(lambda: query.update(**fields)) == 1

    def writing(self, done: int, total: int) -> None:
        """The exporters' progress callback: at most a few writes a second, and only on change."""
        percent = WRITE_FROM + (WRITE_TO - WRITE_FROM) * done // max(total, 1)
        if percent > self.shown and (done == total or time.monotonic() - self.shown_at > 0.3):
            self.shown, self.shown_at = percent, time.monotonic()
            self.save(progress=percent)


def export_run(pk: Any, *, now: datetime | None = None) -> bool:
    """Build the file of job `pk` if this runner wins the claim; True when it did the work."""
    claimed_at = now or timezone.now()
    if not export_claim(pk, now=claimed_at):
        return False
    run = _Run(ReportExport.objects.select_related("user").get(pk=pk), claimed_at)
    try:
        _build(run)
    except ExportRefused as refused:
        _fail(run, refused.message)
    except Exception:
        logger.exception("report export %s (%s.%s) failed", pk, run.job.tab, run.job.kind)
        _fail(
            run, _("Không xuất được tệp vì một lỗi của hệ thống. Xin thử lại; nếu vẫn lỗi, xin báo quản trị hệ thống.")
        )
    return True


def _build(run: _Run) -> None:
    from motcua.console.report_registry import tables_for

    job = run.job
    entry = _builder(job.tab)
    if entry is None:
        raise ExportRefused(_("Báo cáo này không xuất được ra tệp."))
    if not _has_scope(job.user):
        raise ExportRefused(_("Tài khoản không còn quyền xem báo cáo này."))
    tables = tables_for(job.tab, report_scope(job.user), _chosen(job.params, job.created_at), job.params)
    if not tables:
        raise ExportRefused(_("Báo cáo không có bảng số liệu nào để xuất."))
    title = tables[0].title
    run.save(progress=WRITE_FROM, step=_("Đang ghi tệp…"), title=title[:200])
    if job.kind == "xlsx":
        data = tables_xlsx(tables, progress=run.writing)
    else:
        data = tables_pdf(tables, title=title, progress=run.writing)
    run.save(progress=WRITE_TO, step=_("Đang lưu tệp…"))
    finished = timezone.now()
    stored = default_storage.save(f"reports/exports/{job.pk}.{job.kind}", ContentFile(data))
    name = f"{slugify(entry.file_name) or 'bao-cao'}-{to_local(finished):%Y%m%d-%H%M}.{job.kind}"
    if not run.save(status=Status.DONE, progress=100, step="", file=stored, file_name=name, size=len(data),
                    finished_at=finished):  # fmt: skip
        default_storage.delete(stored)  # another runner retook the job meanwhile: its file counts


def _fail(run: _Run, message: str) -> None:
    run.save(status=Status.FAILED, step="", error=message[:300], finished_at=timezone.now())


# --- drain ------------------------------------------------------------------------------------


def export_drain(*, now: datetime | None = None) -> tuple[int, int]:
    """Run the queued (and stale) jobs, then forget old ones: (jobs built, jobs removed)."""
    now = now or timezone.now()
    removed = export_cleanup(now=now)
    due = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, claimed_at__lt=now - STALE_CLAIM)
    built = 0
    for pk in list(ReportExport.objects.filter(due).order_by("created_at").values_list("pk", flat=True)):
        built += export_run(pk)
    return built, removed


def export_cleanup(*, now: datetime | None = None) -> int:
    """Delete the files and rows of exports older than REPORTS_EXPORT_KEEP_DAYS."""
    now = now or timezone.now()
    before = now - timedelta(days=_setting("REPORTS_EXPORT_KEEP_DAYS", 7))
    removed = 0
    busy = Q(status=Status.RUNNING, claimed_at__gte=now - STALE_CLAIM)  # being built right now
    for job in ReportExport.objects.filter(created_at__lt=before).exclude(busy):
        if job.file.name:
            default_storage.delete(job.file.name)
        job.delete()
        removed += 1
    return removed


# --- read -------------------------------------------------------------------------------------


def export_for(user: Any, pk: Any) -> ReportExport | None:
    """The user's own job `pk`; None for anyone else's (the screens answer 404)."""
    return ReportExport.objects.filter(pk=pk, user=user).first() if getattr(user, "pk", None) else None


def export_recent(user: Any, limit: int = 10) -> list[ReportExport]:
    return list(ReportExport.objects.filter(user=user).order_by("-created_at")[:limit])


def export_open(job: ReportExport, *, ip: str | None = None) -> Any:
    """The stored file of a finished job, opened for reading; the download is audited."""
    handle = default_storage.open(job.file.name or "", "rb")
    audit_log_write(actor=job.user, action="reports.export.downloaded", obj=job, ip=ip,
                    data={"tab": job.tab, "kind": job.kind, "file": job.file_name})  # fmt: skip
    return handle
