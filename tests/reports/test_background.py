"""Report exports in the background (issue 6): ask → run → a file holding the page's figures;
failures; one runner per job even with real threads; the drain; limits and owners."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pypdfium2
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from motcua.console.report_period import period_from
from motcua.console.report_registry import tables_for
from motcua.core.models import AuditLog
from motcua.reports import exports
from motcua.reports._scope import report_scope
from motcua.reports.background import (
    MAX_WAITING,
    ExportRefused,
    export_claim,
    export_drain,
    export_for,
    export_recent,
    export_request,
    export_run,
)
from motcua.reports.models import ReportExport
from motcua.reports.tables import cell_text
from tests.dossiers.conftest import TUESDAY_8AM

from ..queueing.test_concurrency import _patiently, _run_in_threads

MARCH = {"ky": "thang", "nam": "2026", "thang": "3"}
LATER = TUESDAY_8AM + timedelta(hours=2)
Status = ReportExport.Status


@pytest.fixture(autouse=True)
def _storage_and_no_thread(settings, tmp_path):
    """Files in a folder of this test; jobs run only when the test runs them."""
    settings.MEDIA_ROOT = tmp_path
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_IN_PROCESS": False}


@pytest.fixture
def _later_that_day():
    with time_machine.travel(LATER, tick=False):
        yield


def _screen_tables(user, tab: str, params: dict[str, str]):
    query = QueryDict(mutable=True)
    query.update(params)
    return tables_for(tab, report_scope(user), period_from(query, today=LATER.date()), params)


def _stored(job: ReportExport) -> bytes:
    with default_storage.open(job.file.name, "rb") as handle:
        return handle.read()


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_an_excel_export_holds_the_figures_of_the_page(leader, accepted):
    params = {**MARCH, "nhom": "agency", "xuat": "xlsx"}
    job = export_request(leader, "dossiers", "xlsx", params)
    assert job.status == Status.QUEUED and "xuat" not in job.params and job.params["nhom"] == "agency"
    assert AuditLog.objects.filter(action="reports.export.requested", object_id=str(job.pk), actor=leader).exists()

    assert export_run(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Status.DONE, 100, "")
    assert job.file.name.startswith("reports/exports/") and job.file_name.startswith("bao-cao-ho-so-20260310-")
    assert job.file_name.endswith(".xlsx") and job.size == len(_stored(job))
    assert job.started_at and job.finished_at and job.title

    [table] = _screen_tables(leader, "dossiers", params)
    sheet = load_workbook(io.BytesIO(_stored(job))).worksheets[0]
    assert sheet["A1"].value == table.title and sheet["A2"].value == table.subtitle
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    for row in [*table.rows, table.totals]:
        values = table.values(row)
        assert rows[values[0]][1] == values[1]  # received, as on the screen
    assert rows["Tổng cộng"][1] == 1
    assert export_run(job.pk) is False  # done: nobody builds it again


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_a_pdf_export_prints_the_texts_of_the_page(leader, accepted):
    job = export_request(leader, "indicators", "pdf", MARCH)
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.file_name.startswith("chi-so-766-")
    text = pypdfium2.PdfDocument(_stored(job))[0].get_textpage().get_text_range()
    [table] = _screen_tables(leader, "indicators", MARCH)
    assert table.title in text and "Tháng 3/2026" in text
    first = table.texts(table.rows[0])
    assert first[0] in text


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_progress_is_written_while_the_file_is_written(leader, accepted, monkeypatch):
    seen: list[tuple[int, str]] = []
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    original = exports.tables_xlsx

    def watching(tables, *, progress=None):
        def spy(done, total):
            progress(done, total)
            job = ReportExport.objects.get()
            seen.append((job.progress, job.step))

        return original(tables, progress=spy)

    monkeypatch.setattr("motcua.reports.background.tables_xlsx", watching)
    job = export_request(leader, "dossiers", "xlsx", {**MARCH, "nhom": "agency"})
    export_run(job.pk)
    assert seen and all(step == "Đang ghi tệp…" for _, step in seen)
    assert 40 <= seen[0][0] <= seen[-1][0] == 95  # the bar only moves forward, up to the end of writing


def test_the_exporters_still_work_without_a_callback():
    from motcua.reports.tables import COUNT, TEXT, Column, ReportTable

    table = ReportTable("Thử", [Column("name", "Tên", TEXT), Column("n", "Số", COUNT)],
                        [{"name": f"Dòng {i}", "n": i} for i in range(120)], totals={"name": "Tổng cộng", "n": 7140})  # fmt: skip
    calls: list[tuple[int, int]] = []
    assert exports.tables_xlsx([table])[:2] == b"PK"
    assert exports.tables_pdf([table], title="Thử", progress=lambda d, t: calls.append((d, t)))[:4] == b"%PDF"
    assert calls == [(50, 121), (100, 121), (121, 121)]
    assert cell_text(7140, COUNT) == "7.140"


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_a_failure_is_told_in_vietnamese_and_the_traceback_goes_to_the_log(leader, accepted, caplog):
    job = export_request(leader, "dossiers", "pdf", MARCH)
    with mock.patch("motcua.reports.background.tables_pdf", side_effect=RuntimeError("font missing /secret/path")):
        assert export_run(job.pk) is True
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.finished_at and not job.file
    assert "Không xuất được tệp" in job.error and "secret" not in job.error
    assert "font missing" in caplog.text


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_the_figures_are_those_of_the_users_scope_when_the_file_is_built(leader, accepted):
    job = export_request(leader, "dossiers", "xlsx", MARCH)
    leader.is_active = False
    leader.save()
    export_run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == "Tài khoản không còn quyền xem báo cáo này."


@pytest.mark.django_db
def test_refusals(leader, reception_officer):
    with pytest.raises(ExportRefused, match="Excel hoặc PDF"):
        export_request(leader, "dossiers", "csv", MARCH)
    with pytest.raises(ExportRefused, match="không xuất được"):
        export_request(leader, "staffing", "xlsx", MARCH)
    with pytest.raises(ExportRefused, match="dành cho lãnh đạo"):
        export_request(reception_officer, "dossiers", "xlsx", MARCH)
    assert not ReportExport.objects.exists()


@pytest.mark.django_db
def test_a_user_may_have_five_exports_waiting(leader, admin_user):
    for _ in range(MAX_WAITING):
        export_request(leader, "queues", "xlsx", MARCH)
    with pytest.raises(ExportRefused, match="Bạn đang có 5 tệp chờ xuất"):
        export_request(leader, "queues", "pdf", MARCH)
    export_request(admin_user, "queues", "pdf", MARCH)  # the limit is per user
    ReportExport.objects.filter(user=leader).update(created_at=timezone.now() - timedelta(hours=1))
    export_request(leader, "queues", "pdf", MARCH)  # forgotten jobs stop counting


@pytest.mark.django_db
def test_only_the_owner_finds_a_job(leader, admin_user):
    job = export_request(leader, "queues", "xlsx", MARCH)
    assert export_for(leader, job.pk) == job
    assert export_for(admin_user, job.pk) is None
    assert export_recent(admin_user) == [] and export_recent(leader) == [job]


@pytest.mark.django_db
@pytest.mark.usefixtures("_later_that_day")
def test_the_drain_builds_waiting_jobs_and_forgets_old_ones(leader, accepted, settings):
    old = export_request(leader, "dossiers", "xlsx", MARCH)
    export_run(old.pk)
    old.refresh_from_db()
    old_file = old.file.name
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    waiting = export_request(leader, "queues", "pdf", MARCH)
    stale = export_request(leader, "indicators", "xlsx", MARCH)
    ReportExport.objects.filter(pk=stale.pk).update(
        status=Status.RUNNING, claimed_at=timezone.now() - timedelta(minutes=20)
    )
    fresh = export_request(leader, "indicators", "pdf", MARCH)
    ReportExport.objects.filter(pk=fresh.pk).update(
        status=Status.RUNNING, claimed_at=timezone.now() - timedelta(minutes=1)
    )

    assert export_drain() == (2, 1)
    assert not ReportExport.objects.filter(pk=old.pk).exists() and not default_storage.exists(old_file)
    assert ReportExport.objects.get(pk=waiting.pk).status == Status.DONE
    assert ReportExport.objects.get(pk=stale.pk).status == Status.DONE  # its runner died: taken again
    assert ReportExport.objects.get(pk=fresh.pk).status == Status.RUNNING  # someone is on it

    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_EXPORT_KEEP_DAYS": 0}
    out = io.StringIO()
    with time_machine.travel(LATER + timedelta(hours=1), tick=False):
        call_command("reports_drain", stdout=out)
    assert "0 export(s) built, 3 old export(s) removed" in out.getvalue()
    assert not ReportExport.objects.exists()


# --- one runner per job, with real threads (own connections) ---------------------------------


def _plain_job(**fields) -> ReportExport:
    from motcua.accounts.models import User

    user = User.objects.create(username="nobody")
    return ReportExport.objects.create(user=user, tab="dossiers", kind="xlsx", params=MARCH,
                                       created_at=timezone.now(), **fields)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_runners_one_winner():
    job = _plain_job()
    now = timezone.now()
    won = _run_in_threads(lambda i: _patiently(lambda: export_claim(job.pk, now=now + timedelta(seconds=i))), count=8)
    assert won.count(True) == 1
    job.refresh_from_db()
    assert job.status == Status.RUNNING and job.claimed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_thread_and_the_drain_run_a_job_once():
    job = _plain_job()  # its user leads nothing: the run ends quickly, refused
    ran = _run_in_threads(lambda i: _patiently(lambda: export_run(job.pk)), count=4)
    assert ran.count(True) == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED and "không còn quyền" in job.error


@pytest.mark.django_db(transaction=True)
def test_a_stale_claim_is_taken_again_and_the_old_runner_writes_nothing():
    now = timezone.now()
    job = _plain_job(status=Status.RUNNING, claimed_at=now - timedelta(minutes=16))
    assert not export_claim(job.pk, now=now - timedelta(minutes=10))  # 6 minutes old: still held
    won = _run_in_threads(lambda i: _patiently(lambda: export_claim(job.pk, now=now)), count=4)
    assert won.count(True) == 1
    assert ReportExport.objects.filter(pk=job.pk, claimed_at=now).exists()
