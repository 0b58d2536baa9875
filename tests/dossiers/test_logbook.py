"""The log book export: the period's dossiers of one center, in order, with local times; scoped and audited."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from motcua.core.models import AuditLog
from motcua.dossiers.errors import DossierError, DossierPermissionDenied
from motcua.dossiers.logbook import SHEET_TITLE, logbook_xlsx
from motcua.dossiers.models import ApologyLetter, Dossier

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db

HEADINGS = [
    "STT", "Mã hồ sơ", "Tên thủ tục", "Người nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Cơ quan giải quyết",
    "Trạng thái", "Ngày có kết quả", "Ngày trả", "Đúng hạn/Trễ hạn", "Ghi chú",
]  # fmt: skip
FIRST_ROW = 5  # title, center, period, headings
MARCH_10, MARCH_11 = date(2026, 3, 10), date(2026, 3, 11)
NOON_MARCH_30 = local(2026, 3, 30, 12, 0)


def _rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data))[SHEET_TITLE]
    assert [cell.value for cell in sheet[4]] == HEADINGS
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=FIRST_ROW)]


@pytest.fixture
def accept(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept

    def run(now: datetime, **overrides) -> Dossier:
        intake = make_intake(procedure, **overrides)
        return dossier_accept(officer=reception_officer, intake=intake, center=center, now=now)

    return run


@pytest.fixture
def refused(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_refuse

    return dossier_refuse(officer=reception_officer, reason="Không thuộc thẩm quyền", intake=make_intake(procedure),
                          center=center, now=local(2026, 3, 10, 9, 30))  # fmt: skip


def test_rows_are_the_periods_dossiers_in_receipt_order(accepted, refused, accept, reception_officer, center):
    from motcua.dossiers.services import Applicant

    after_midnight = accept(
        local(2026, 3, 11, 0, 30), applicant=Applicant(name="Lê Văn Bình", national_id="092190005678")
    )
    accept(local(2026, 3, 12, 8, 0))  # outside the period
    rows = _rows(logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_11, now=NOON_MARCH_30))
    assert [row[:4] for row in rows] == [
        (1, accepted.code, "Thay đổi, bổ sung, cấp lại giấy chứng nhận đăng ký tổ chức khoa học và công nghệ",
         "Nguyễn Thị Ánh"),
        (2, None, "Thay đổi, bổ sung, cấp lại giấy chứng nhận đăng ký tổ chức khoa học và công nghệ", "Nguyễn Thị Ánh"),
        (3, after_midnight.code, "Thay đổi, bổ sung, cấp lại giấy chứng nhận đăng ký tổ chức khoa học và công nghệ",
         "Lê Văn Bình"),
    ]  # fmt: skip
    first, refusal, third = rows
    assert first[4:8] == (datetime(2026, 3, 10, 8, 0), datetime(2026, 3, 24, 8, 0),
                          "Sở Khoa học và Công nghệ thành phố Cần Thơ", "Được tiếp nhận")  # fmt: skip
    assert refusal[4] == datetime(2026, 3, 10, 9, 30) and refusal[5] is None
    assert refusal[7] == "Không được tiếp nhận" and refusal[11] == "Lý do: Không thuộc thẩm quyền"
    assert third[4] == datetime(2026, 3, 11, 0, 30)  # a local date, not the UTC one (10/03 17:30)
    assert "092190005678" not in str(rows)


def test_times_are_excel_dates_shown_day_first(accepted, reception_officer, center):
    data = logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_10, now=TUESDAY_8AM)
    sheet = load_workbook(io.BytesIO(data))[SHEET_TITLE]
    assert sheet["E5"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Từ ngày 10/03/2026 đến ngày 10/03/2026"


def test_timeliness_compares_with_the_original_due_time(accept, reception_officer, center, khcn_leader):
    early, late, overdue, open_ = (accept(local(2026, 3, 10, 8, i)) for i in range(4))
    Dossier.objects.filter(pk=early.pk).update(
        status=Dossier.Status.RESULT_READY, result_ready_at=local(2026, 3, 20, 9, 0)
    )
    # An apology moved the appointment to 31/03, but against the original 24/03 the result is late (rule 8).
    Dossier.objects.filter(pk=late.pk).update(
        status=Dossier.Status.RETURNED, due_at=local(2026, 3, 31, 8, 0), result_ready_at=local(2026, 3, 27, 10, 0),
        returned_at=local(2026, 3, 27, 14, 0),
    )  # fmt: skip
    ApologyLetter.objects.create(dossier=late, agency=late.competent_agency, reason="Chờ xác minh",
                                 previous_due_at=late.due_at, new_due_at=local(2026, 3, 31, 8, 0),
                                 issued_at=local(2026, 3, 20, 8, 0), issued_by=khcn_leader)  # fmt: skip
    Dossier.objects.filter(pk=open_.pk).update(original_due_at=local(2026, 4, 30, 8, 0))
    data = logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_10, now=NOON_MARCH_30)
    by_code = {row[1]: row for row in _rows(data)}
    assert by_code[early.code][8] == datetime(2026, 3, 20, 9, 0) and by_code[early.code][10] == "Trước hạn"
    assert by_code[late.code][5] == datetime(2026, 3, 31, 8, 0)
    assert by_code[late.code][9] == datetime(2026, 3, 27, 14, 0) and by_code[late.code][10] == "Quá hạn"
    assert by_code[overdue.code][10] == "Đang quá hạn"
    assert by_code[open_.code][10] is None


def test_other_centers_and_agency_officers_may_not_export(accepted, center, agency_officer, organisation):
    from motcua.accounts.models import User

    for user in (User.objects.get(username="tiepnhan.ninhkieu"), agency_officer):
        with pytest.raises(DossierPermissionDenied) as error:
            logbook_xlsx(user=user, center=center, start=MARCH_10, end=MARCH_10, now=TUESDAY_8AM)
        assert error.value.code == "dossier.logbook_forbidden"
    assert not AuditLog.objects.filter(action="dossiers.logbook.exported").exists()


def test_a_leader_and_an_administrator_may(accepted, center, leader, admin_user):
    for user in (leader, admin_user):
        assert len(_rows(logbook_xlsx(user=user, center=center, start=MARCH_10, end=MARCH_10, now=TUESDAY_8AM))) == 1


def test_export_is_audited(accepted, refused, reception_officer, center):
    logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_11, ip="10.0.0.7", now=NOON_MARCH_30)
    entry = AuditLog.objects.get(action="dossiers.logbook.exported")
    assert (entry.actor, entry.center, entry.ip, entry.at) == (reception_officer, center, "10.0.0.7", NOON_MARCH_30)
    assert entry.data == {"start": "2026-03-10", "end": "2026-03-11", "rows": 2}


def test_a_period_ending_before_it_starts_is_refused(reception_officer, center):
    with pytest.raises(DossierError) as error:
        logbook_xlsx(user=reception_officer, center=center, start=MARCH_11, end=MARCH_10)
    assert error.value.code == "dossier.logbook_period"


def test_one_query_reads_all_the_rows(accept, reception_officer, center, django_assert_max_num_queries):
    for minute in range(6):
        accept(local(2026, 3, 10, 9, minute))
    with django_assert_max_num_queries(3):  # the scope (if not cached), the dossiers, the audit row
        rows = _rows(logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_10, now=TUESDAY_8AM))
    assert len(rows) == 6


def test_text_is_never_a_formula(procedure, center, reception_officer):
    from motcua.dossiers.services import Applicant, dossier_accept

    intake = make_intake(procedure, applicant=Applicant(name='=HYPERLINK("x")', national_id="092190001234"))
    dossier_accept(officer=reception_officer, intake=intake, center=center, now=TUESDAY_8AM)
    data = logbook_xlsx(user=reception_officer, center=center, start=MARCH_10, end=MARCH_10, now=TUESDAY_8AM)
    sheet = load_workbook(io.BytesIO(data))[SHEET_TITLE]
    assert sheet["D5"].value == '=HYPERLINK("x")' and sheet["D5"].data_type == "s"
