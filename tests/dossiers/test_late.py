"""The apology letter (rule 8): a new appointment that never makes a late dossier on time."""

from __future__ import annotations

import pytest

from motcua.dossiers.errors import DossierConflict, DossierError, DossierPermissionDenied, DossierTransitionError
from motcua.dossiers.models import ApologyLetter, Dossier, DossierEvent, DossierSlip

from .conftest import local

pytestmark = pytest.mark.django_db

# `accepted` is due Tuesday 24/03/2026 08:00 (10 working days from 10/03 08:00).
DUE = local(2026, 3, 24, 8, 0)
NEW_DUE = local(2026, 3, 31, 8, 0)
EARLY = local(2026, 3, 16, 9, 0)  # six working days before the due time
LATE = local(2026, 3, 23, 9, 0)  # seven working hours before it: less than one working day


def processing(dossier, *, status=Dossier.Status.PROCESSING, agency_code="so-khcn", **fields):
    """Put `dossier` where the processing services would have (they are tested elsewhere)."""
    from motcua.catalog.models import Agency

    Dossier.objects.filter(pk=dossier.pk).update(
        status=status, current_agency=Agency.objects.get(code=agency_code), forwarded_at=dossier.accepted_at, **fields
    )
    return Dossier.objects.get(pk=dossier.pk)


def apologise(officer, dossier, *, now=EARLY, new_due_at=NEW_DUE, reason="Chờ ý kiến của cơ quan phối hợp"):
    from motcua.dossiers.services import dossier_issue_apology

    return dossier_issue_apology(officer=officer, dossier=dossier, reason=reason, new_due_at=new_due_at,
                                 expected_version=dossier.version, ip="10.0.0.5", now=now)  # fmt: skip


def with_motcua(settings, **values):
    settings.MOTCUA = {**settings.MOTCUA, **values}


def test_apology_moves_the_appointment_only(accepted, khcn_leader):
    dossier = processing(accepted, at_risk_at=EARLY, overdue_at=EARLY)
    letter = apologise(khcn_leader, dossier)
    dossier.refresh_from_db()
    assert (letter.number, letter.agency.code) == (1, "so-khcn")
    assert (letter.previous_due_at, letter.new_due_at) == (DUE, NEW_DUE)
    assert letter.issued_by == khcn_leader and letter.issued_at == EARLY
    assert dossier.due_at == NEW_DUE and dossier.original_due_at == DUE
    assert dossier.at_risk_at is None and dossier.overdue_at is None
    assert dossier.status == Dossier.Status.PROCESSING and dossier.version == accepted.version + 1
    event = dossier.events.get(action="dossier.apology_issued")
    assert (event.actor, event.from_status, event.to_status, event.agency.code) == (khcn_leader, 4, 4, "so-khcn")
    assert event.reason == "Chờ ý kiến của cơ quan phối hợp" and event.data["late_notice"] is False
    slip = dossier.slips.get(kind=DossierSlip.Kind.APOLOGY)
    assert slip.payload["new_due_at"] == "08:00 ngày 31/03/2026"
    assert slip.payload["previous_due_at"] == "08:00 ngày 24/03/2026"
    assert slip.payload["agency"] == "Sở Khoa học và Công nghệ thành phố Cần Thơ"
    assert slip.payload["reason"] == "Chờ ý kiến của cơ quan phối hợp"


def test_an_apologised_dossier_still_counts_late(accepted, khcn_leader):
    dossier = processing(accepted)
    apologise(khcn_leader, dossier)
    ready = local(2026, 3, 26, 10, 0)  # after the original due time, before the new appointment
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT_READY, result_ready_at=ready)
    dossier.refresh_from_db()
    assert ready < dossier.due_at
    assert dossier.is_late is True


def test_one_apology_per_dossier_by_default(accepted, khcn_leader, settings):
    dossier = processing(accepted)
    apologise(khcn_leader, dossier)
    with pytest.raises(DossierError) as error:
        apologise(khcn_leader, Dossier.objects.get(pk=dossier.pk), new_due_at=local(2026, 4, 7, 8, 0))
    assert error.value.code == "dossier.apology_limit"
    assert ApologyLetter.objects.count() == 1
    with_motcua(settings, APOLOGY_MAX_PER_DOSSIER=2)
    second = apologise(khcn_leader, Dossier.objects.get(pk=dossier.pk), new_due_at=local(2026, 4, 7, 8, 0))
    assert second.number == 2 and second.previous_due_at == NEW_DUE
    assert Dossier.objects.get(pk=dossier.pk).original_due_at == DUE


def test_late_apology_is_allowed_with_a_notice_when_the_policy_warns(accepted, khcn_leader):
    letter = apologise(khcn_leader, processing(accepted), now=LATE)
    event = DossierEvent.objects.get(dossier=letter.dossier, action="dossier.apology_issued")
    assert event.data["late_notice"] is True


def test_late_apology_is_refused_when_the_policy_blocks(accepted, khcn_leader, settings):
    with_motcua(settings, APOLOGY_LATE_POLICY="block")
    dossier = processing(accepted)
    with pytest.raises(DossierError) as error:
        apologise(khcn_leader, dossier, now=LATE)
    assert error.value.code == "dossier.apology_too_late"
    assert "1 ngày làm việc" in str(error.value.message)
    assert not ApologyLetter.objects.exists() and Dossier.objects.get(pk=dossier.pk).due_at == DUE
    assert apologise(khcn_leader, dossier, now=EARLY).number == 1


def test_while_paused_the_lead_time_counts_from_the_pause(accepted, khcn_leader, settings):
    with_motcua(settings, APOLOGY_LATE_POLICY="block")
    # Paused on 16/03, six working days before the due time: the time since does not run.
    dossier = processing(accepted, status=Dossier.Status.SUPPLEMENT_REQUESTED, paused_since=EARLY)
    letter = apologise(khcn_leader, dossier, now=LATE)
    assert letter.dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED


@pytest.mark.parametrize(
    ("reason", "new_due_at", "code"),
    [
        ("  ", NEW_DUE, "dossier.reason_required"),
        ("Chờ kết quả xác minh", DUE, "dossier.apology_due_not_later"),
        ("Chờ kết quả xác minh", local(2026, 3, 20, 8, 0), "dossier.apology_due_not_later"),
        ("Chờ kết quả xác minh", NEW_DUE.replace(tzinfo=None), "dossier.apology_due_not_later"),
    ],
)
def test_reason_and_a_later_appointment_are_required(accepted, khcn_leader, reason, new_due_at, code):
    dossier = processing(accepted)
    with pytest.raises(DossierError) as error:
        apologise(khcn_leader, dossier, reason=reason, new_due_at=new_due_at)
    assert error.value.code == code
    assert not ApologyLetter.objects.exists() and not DossierSlip.objects.filter(kind="apology").exists()


def test_new_appointment_must_be_in_the_future(accepted, khcn_leader):
    with pytest.raises(DossierError) as error:
        apologise(khcn_leader, processing(accepted), now=local(2026, 4, 1, 9, 0))
    assert error.value.code == "dossier.apology_due_not_later"


def test_only_open_dossiers_with_a_due_time(accepted, khcn_leader):
    with pytest.raises(DossierTransitionError):  # still at the one-stop (2)
        apologise(khcn_leader, accepted)
    for status in (Dossier.Status.RESULT_READY, Dossier.Status.STOPPED):
        with pytest.raises(DossierTransitionError):
            apologise(khcn_leader, processing(accepted, status=status))
    with pytest.raises(DossierError) as error:
        apologise(khcn_leader, processing(accepted, due_at=None, original_due_at=None))
    assert error.value.code == "dossier.no_due_time"
    assert not ApologyLetter.objects.exists()


def test_stale_screen_is_a_conflict(accepted, khcn_leader):
    from motcua.dossiers.services import dossier_issue_apology

    dossier = processing(accepted)
    with pytest.raises(DossierConflict):
        dossier_issue_apology(officer=khcn_leader, dossier=dossier, reason="Chậm", new_due_at=NEW_DUE,
                              expected_version=dossier.version - 1, now=EARLY)  # fmt: skip


def test_leader_of_the_current_agency_apologises_for_it(accepted, organisation):
    from motcua.accounts.models import User

    tuphap_leader = User.objects.get(username="lanhdao.tuphap")
    letter = apologise(tuphap_leader, processing(accepted, agency_code="so-tu-phap"))
    assert letter.agency.code == "so-tu-phap"
    assert letter.dossier.slips.get(kind="apology").payload["agency"] == "Sở Tư pháp thành phố Cần Thơ"


@pytest.mark.parametrize("username", ["chuyenvien.khcn", "lanhdao.tuphap", "lanhdao", "tiepnhan"])
def test_only_a_leader_of_the_dossiers_agencies(accepted, organisation, username):
    from motcua.accounts.models import User

    with pytest.raises(DossierPermissionDenied) as error:
        apologise(User.objects.get(username=username), processing(accepted))
    assert error.value.code == "dossier.forbidden"
    assert not ApologyLetter.objects.exists()
