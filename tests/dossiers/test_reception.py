"""The counter's three outcomes: accept (code, due time, steps, receipt), supplement, refuse."""

from __future__ import annotations

import pytest

from motcua.dossiers.errors import DossierConflict, DossierError, DossierPermissionDenied, DossierTransitionError
from motcua.dossiers.models import Dossier, DossierSlip

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db


def test_accept_gives_code_due_time_steps_and_receipt(accepted):
    assert accepted.code == "000.00.00.H13-260310-0001"
    assert accepted.status == Dossier.Status.ACCEPTED
    assert accepted.due_at == accepted.original_due_at == local(2026, 3, 24, 8, 0)  # 10 working days
    assert accepted.forward_due_at == local(2026, 3, 10, 17, 0)
    assert [s.name for s in accepted.steps.all()][0] == "Tiếp nhận hồ sơ"
    assert list(accepted.events.values_list("action", flat=True)) == ["dossier.submitted", "dossier.accepted"]
    slip = accepted.slips.get()
    assert slip.kind == DossierSlip.Kind.RECEIPT
    assert slip.payload["code"] == accepted.code
    assert slip.payload["due_at"] == "08:00 ngày 24/03/2026"
    assert "092190001234" not in str(slip.payload["tracking_url"])


def test_second_acceptance_of_the_day_takes_the_next_number(accepted, procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept

    second = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    assert second.code == "000.00.00.H13-260310-0002"


def test_paper_accepted_after_the_cutoff_moves_by_the_next_morning(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept

    dossier = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center,
                             now=local(2026, 3, 10, 15, 30))  # fmt: skip
    assert dossier.forward_due_at == local(2026, 3, 11, 7, 0)


def test_refusal_needs_a_reason_and_has_no_code(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_refuse

    with pytest.raises(DossierError) as error:
        dossier_refuse(officer=reception_officer, reason=" ", intake=make_intake(procedure), center=center)
    assert error.value.code == "dossier.reason_required"
    assert not Dossier.objects.exists()
    refused = dossier_refuse(officer=reception_officer, reason="Thiếu giấy phép", intake=make_intake(procedure),
                             center=center, now=TUESDAY_8AM)  # fmt: skip
    assert refused.status == Dossier.Status.REFUSED and refused.code is None
    assert refused.slips.get().payload["reason"] == "Thiếu giấy phép"


def test_supplement_at_reception_keeps_status_one(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_request_reception_supplement

    items = [{"document": "Bản sao Giấy chứng nhận", "note": "bản sao chứng thực"}]
    dossier = dossier_request_reception_supplement(officer=reception_officer, items=items, reason="Thiếu bản sao",
                                                   intake=make_intake(procedure), center=center, now=TUESDAY_8AM)  # fmt: skip
    assert dossier.status == Dossier.Status.SUBMITTED and dossier.code is None
    assert dossier.slips.get().payload["items"] == items


def test_other_centers_officer_may_not_receive_here(procedure, center, organisation):
    from motcua.accounts.models import User
    from motcua.dossiers.services import dossier_accept

    other = User.objects.get(username="tiepnhan.ninhkieu")
    with pytest.raises(DossierPermissionDenied):
        dossier_accept(officer=other, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)


def test_stale_version_is_a_conflict_and_accepted_cannot_be_accepted(accepted, reception_officer):
    from motcua.dossiers.services import dossier_accept

    with pytest.raises(DossierConflict):
        dossier_accept(officer=reception_officer, dossier=accepted, expected_version=0)
    with pytest.raises(DossierTransitionError):
        dossier_accept(officer=reception_officer, dossier=accepted, expected_version=accepted.version)


def test_an_online_dossier_goes_to_the_agency_as_it_is_accepted(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept, dossier_submit

    submitted = dossier_submit(intake=make_intake(procedure, channel=Dossier.Channel.ONLINE), center=center,
                               now=local(2026, 3, 9, 21, 0))  # fmt: skip
    assert submitted.status == Dossier.Status.SUBMITTED and submitted.due_at is None  # rule 4: no clock yet
    dossier = dossier_accept(officer=reception_officer, dossier=submitted, expected_version=submitted.version,
                             now=TUESDAY_8AM)  # fmt: skip
    assert dossier.status == Dossier.Status.PROCESSING and dossier.forward_due_at is None
    assert dossier.due_at == local(2026, 3, 24, 8, 0)  # counted from acceptance, not submission
    assert list(dossier.events.values_list("action", flat=True)) == [
        "dossier.submitted", "dossier.accepted", "dossier.forwarded",
    ]  # fmt: skip
