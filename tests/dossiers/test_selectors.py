"""Reading dossiers: work lists, reception desk lists, the audited read and the public timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core.models import AuditLog
from motcua.dossiers.errors import DossierError, DossierPermissionDenied
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import (
    dossier_get_for_user,
    dossier_list_for_user,
    dossier_reception_list,
    dossier_timeline,
    dossier_work_list,
)

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db

S = Dossier.Status
# Accepted on 10/03/2026 08:00 → due 24/03/2026 08:00; "now" for the lists is Wednesday 18/03 10:00.
NOW = local(2026, 3, 18, 10, 0)


def accept(officer, procedure, center, *, at=TUESDAY_8AM, **fields):
    """An accepted dossier, then moved where the test needs it (the moves are tested elsewhere)."""
    from motcua.catalog.models import Agency
    from motcua.dossiers.services import dossier_accept

    dossier = dossier_accept(officer=officer, intake=make_intake(procedure), center=center, now=at)
    agency = fields.pop("agency", "so-khcn")
    values = {"status": S.PROCESSING, "current_agency": Agency.objects.get(code=agency) if agency else None,
              "forwarded_at": at, **fields}  # fmt: skip
    Dossier.objects.filter(pk=dossier.pk).update(**values)
    return Dossier.objects.get(pk=dossier.pk)


def codes(queryset):
    return [d.code for d in queryset]


@pytest.fixture
def make(procedure, center, reception_officer):
    return lambda **fields: accept(reception_officer, procedure, center, **fields)


def test_work_lists_of_an_agency_officer(make, khcn_officer):
    unassigned_late = make(due_at=NOW + timedelta(days=2))
    unassigned_early = make(due_at=NOW + timedelta(days=1))
    mine = make(assigned_to=khcn_officer)
    paused = make(status=S.SUPPLEMENT_REQUESTED, assigned_to=khcn_officer)
    elsewhere = make(agency="so-tu-phap")  # competent KH&CN, the step now at Tư pháp
    at_one_stop = make(status=S.ACCEPTED, agency=None, forwarded_at=None)

    def work(name):
        return codes(dossier_work_list(user=khcn_officer, name=name, now=NOW))

    assert work("unassigned") == [unassigned_early.code, unassigned_late.code]
    assert work("mine") == [mine.code, paused.code]
    assert work("supplement") == [paused.code]
    assert set(codes(dossier_list_for_user(user=khcn_officer))) == {
        d.code for d in (unassigned_late, unassigned_early, mine, paused, elsewhere, at_one_stop)
    }


def test_due_soon_and_overdue(make, khcn_officer):
    flagged = make(at_risk_at=NOW - timedelta(hours=1), due_at=NOW + timedelta(days=5))
    within = make(due_at=local(2026, 3, 19, 9, 0))  # 7 working hours away
    beyond = make(due_at=local(2026, 3, 19, 11, 0))  # 9 working hours away
    late = make(due_at=NOW - timedelta(minutes=1))
    flagged_late = make(overdue_at=NOW - timedelta(days=1), due_at=NOW - timedelta(days=1), status=S.AWAITING_PAYMENT)
    paused = make(status=S.SUPPLEMENT_REQUESTED, due_at=NOW - timedelta(days=1))  # clock stopped: not late
    make(status=S.RESULT_READY, due_at=NOW - timedelta(days=1))

    due_soon = codes(dossier_work_list(user=khcn_officer, name="due_soon", now=NOW))
    overdue = codes(dossier_work_list(user=khcn_officer, name="overdue", now=NOW))
    assert due_soon == [within.code, flagged.code]
    assert beyond.code not in due_soon
    assert overdue == [flagged_late.code, late.code]
    assert paused.code not in overdue


def test_paying_is_not_late_where_paying_pauses_the_clock(make, khcn_officer, settings):
    paying = make(status=S.AWAITING_PAYMENT, due_at=NOW - timedelta(days=1), paused_since=NOW - timedelta(days=2))
    assert codes(dossier_work_list(user=khcn_officer, name="overdue", now=NOW)) == [paying.code]
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_PAUSE_IN_PAYMENT": True}
    assert codes(dossier_work_list(user=khcn_officer, name="overdue", now=NOW)) == []


def test_returned_lists_results_of_the_competent_agency_recently(make, khcn_officer, organisation):
    from motcua.accounts.models import User

    ready = make(status=S.RESULT_READY, result_ready_at=NOW - timedelta(days=40))
    recent = make(status=S.RETURNED, result_ready_at=NOW - timedelta(days=3), returned_at=NOW - timedelta(days=2))
    make(status=S.RETURNED, result_ready_at=NOW - timedelta(days=60), returned_at=NOW - timedelta(days=45))
    # Waiting to be collected first (however old), then what was handed over lately.
    assert codes(dossier_work_list(user=khcn_officer, name="returned", now=NOW)) == [ready.code, recent.code]
    tuphap = User.objects.get(username="chuyenvien.tuphap")
    assert codes(dossier_work_list(user=tuphap, name="returned", now=NOW)) == []


def test_an_unknown_list_is_a_clear_error(khcn_officer, center, reception_officer):
    with pytest.raises(DossierError) as error:
        dossier_work_list(user=khcn_officer, name="everything")
    assert error.value.code == "dossier.unknown_list" and "everything" in str(error.value.message)
    with pytest.raises(DossierError):
        dossier_reception_list(reception_officer, center, "everything")


def test_a_work_list_is_one_query(make, khcn_officer, django_assert_num_queries):
    for _ in range(3):
        make(assigned_to=khcn_officer)
    khcn_officer = type(khcn_officer).objects.get(pk=khcn_officer.pk)  # scope not cached yet
    with django_assert_num_queries(2):  # the officer's roles, then the list with its joins
        rows = list(dossier_work_list(user=khcn_officer, name="mine", now=NOW))
        assert {(d.procedure.code, d.competent_agency.code, d.current_agency.code, d.assigned_to) for d in rows}


def test_reception_desk_lists(procedure, center, reception_officer, make):
    from motcua.dossiers.services import dossier_submit

    online = dossier_submit(intake=make_intake(procedure, channel=Dossier.Channel.ONLINE), center=center, now=NOW)
    today = make(status=S.ACCEPTED, agency=None, forwarded_at=None, at=local(2026, 3, 18, 8, 0))
    yesterday = make(at=local(2026, 3, 17, 8, 0))
    waiting = make(status=S.SUPPLEMENT_REQUESTED, paused_since=NOW - timedelta(days=1))
    ready = make(status=S.RESULT_READY, result_ready_at=NOW - timedelta(hours=2))

    def desk(name):
        return codes(dossier_reception_list(reception_officer, center, name, now=NOW))

    assert desk("today") == [today.code]
    assert [d.pk for d in dossier_reception_list(reception_officer, center, "online_waiting", now=NOW)] == [online.pk]
    assert desk("supplement") == [waiting.code]
    assert desk("to_return") == [ready.code]
    assert yesterday.code not in desk("today")


def test_get_writes_the_personal_data_audit_row(accepted, reception_officer, center):
    dossier = dossier_get_for_user(user=reception_officer, code=accepted.code, ip="10.1.2.3")
    assert dossier.pk == accepted.pk
    row = AuditLog.objects.get(action="dossiers.dossier.personal_data_viewed")
    assert (row.actor, row.object_type, row.object_id, row.center, row.ip) == (
        reception_officer, "dossiers.dossier", str(accepted.pk), center, "10.1.2.3"
    )  # fmt: skip
    dossier_get_for_user(user=reception_officer, pk=accepted.pk, audit=False)
    assert AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").count() == 1


def test_get_outside_scope_is_refused_and_not_logged_as_viewed(accepted, organisation):
    from motcua.accounts.models import User

    with pytest.raises(DossierPermissionDenied) as error:
        dossier_get_for_user(user=User.objects.get(username="tiepnhan.ninhkieu"), code=accepted.code)
    assert error.value.code == "dossier.forbidden"
    assert not AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").exists()
    with pytest.raises(Dossier.DoesNotExist):
        dossier_get_for_user(user=User.objects.get(username="admin"), code="000.00.00.H13-260310-9999")


def test_public_timeline_is_whitelisted_and_plain(accepted, khcn_leader):
    from motcua.dossiers.services import dossier_issue_apology

    dossier = Dossier.objects.get(pk=accepted.pk)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.PROCESSING, current_agency=dossier.competent_agency)
    dossier.refresh_from_db()
    dossier_issue_apology(officer=khcn_leader, dossier=dossier, reason="Ông Nguyễn Văn A, CCCD 092190001234, vắng",
                          new_due_at=local(2026, 3, 31, 8, 0), expected_version=dossier.version,
                          now=local(2026, 3, 16, 9, 0))  # fmt: skip
    DossierEvent.objects.create(dossier=dossier, action="dossier.assigned", to_status=S.PROCESSING, actor=khcn_leader,
                                at=local(2026, 3, 16, 10, 0), data={"assignee": "Đặng Quốc Bảo"})  # fmt: skip
    DossierEvent.objects.create(dossier=dossier, action="dossier.flagged_at_risk", to_status=S.PROCESSING,
                                at=local(2026, 3, 16, 11, 0))  # fmt: skip
    timeline = dossier_timeline(dossier)
    assert [(e.action, e.label) for e in timeline] == [
        ("dossier.submitted", "Đã nộp hồ sơ"),
        ("dossier.accepted", "Đã tiếp nhận hồ sơ"),
        ("dossier.apology_issued", "Xin lỗi và hẹn lại ngày trả kết quả"),
    ]
    assert timeline[1].status_label == "Được tiếp nhận"
    assert timeline[2].agency == "Sở Khoa học và Công nghệ thành phố Cần Thơ"
    text = repr(timeline)
    for personal in ("092190001234", "Nguyễn", "Trần Thị Hoa", "Huỳnh Văn Khoa", "anh@example.com"):
        assert personal not in text
