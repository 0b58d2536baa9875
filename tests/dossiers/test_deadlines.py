"""The deadline job: flags at the right moments, once, whatever runs it how often or in parallel."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.dossiers.deadlines import dossier_flag_deadlines
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from tests.queueing.test_concurrency import _patiently

from .conftest import local

# `accepted` was accepted Tuesday 10/03/2026 08:00 on paper: forward by 17:00 that day, due
# Tuesday 24/03/2026 08:00. Eight working hours before that is Monday 23/03 08:00.
DUE = local(2026, 3, 24, 8, 0)
AT_RISK_FROM = local(2026, 3, 23, 8, 0)
FLAGS = ("dossier.flagged_at_risk", "dossier.flagged_overdue", "dossier.forward_overdue")


def processing(dossier, **fields):
    from motcua.catalog.models import Agency

    values = {"status": Dossier.Status.PROCESSING, "current_agency": Agency.objects.get(code="so-khcn"),
              "forwarded_at": dossier.accepted_at, **fields}  # fmt: skip
    Dossier.objects.filter(pk=dossier.pk).update(**values)
    return Dossier.objects.get(pk=dossier.pk)


def flags(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier, action__in=FLAGS).values_list("action", flat=True))


@pytest.mark.django_db
def test_at_risk_when_eight_working_hours_remain(accepted):
    dossier = processing(accepted)
    run = dossier_flag_deadlines(now=AT_RISK_FROM - timedelta(minutes=1))
    assert run.at_risk == 0 and run.candidates == 0  # beyond the window: not even read
    assert Dossier.objects.get(pk=dossier.pk).at_risk_at is None
    run = dossier_flag_deadlines(now=AT_RISK_FROM)
    assert (run.at_risk, run.overdue) == (1, 0)
    dossier.refresh_from_db()
    assert dossier.at_risk_at == AT_RISK_FROM and dossier.overdue_at is None
    assert dossier.version == accepted.version  # an officer's open screen is not made stale
    event = DossierEvent.objects.get(dossier=dossier, action="dossier.flagged_at_risk")
    assert (event.actor, event.actor_kind, event.from_status, event.to_status) == (None, "system", 4, 4)
    assert event.at == AT_RISK_FROM


@pytest.mark.django_db
def test_the_window_counts_working_time_over_a_weekend(accepted):
    # Due Monday 08:00: from Friday 08:00 eight working hours (and a weekend) remain.
    dossier = processing(accepted, due_at=local(2026, 3, 16, 8, 0))
    assert dossier_flag_deadlines(now=local(2026, 3, 13, 7, 59)).at_risk == 0
    assert dossier_flag_deadlines(now=local(2026, 3, 13, 8, 0)).at_risk == 1
    assert flags(dossier) == ["dossier.flagged_at_risk"]


@pytest.mark.django_db
def test_overdue_at_the_due_time_and_nothing_more_on_later_runs(accepted):
    dossier = processing(accepted)
    dossier_flag_deadlines(now=AT_RISK_FROM)
    assert dossier_flag_deadlines(now=DUE - timedelta(minutes=1)).overdue == 0
    run = dossier_flag_deadlines(now=DUE)
    assert (run.at_risk, run.overdue) == (0, 1)
    dossier.refresh_from_db()
    assert dossier.overdue_at == DUE and dossier.at_risk_at == AT_RISK_FROM
    for later in (DUE, DUE + timedelta(days=1), DUE + timedelta(days=30)):
        assert dossier_flag_deadlines(now=later).changed == 0
    assert flags(dossier) == ["dossier.flagged_at_risk", "dossier.flagged_overdue"]
    assert Dossier.objects.get(pk=dossier.pk).overdue_at == DUE


@pytest.mark.django_db
def test_a_dossier_found_overdue_is_not_also_flagged_at_risk(accepted):
    dossier = processing(accepted, status=Dossier.Status.AWAITING_PAYMENT)
    dossier_flag_deadlines(now=DUE + timedelta(hours=2))
    assert flags(dossier) == ["dossier.flagged_overdue"]


@pytest.mark.django_db
def test_running_twice_at_the_same_moment_changes_nothing(accepted):
    dossier = processing(accepted)
    first = dossier_flag_deadlines(now=AT_RISK_FROM)
    second = dossier_flag_deadlines(now=AT_RISK_FROM)
    assert (first.at_risk, second.changed) == (1, 0)
    assert flags(dossier) == ["dossier.flagged_at_risk"]


@pytest.mark.django_db
def test_paper_not_forwarded_by_its_deadline(accepted):
    forward_due = local(2026, 3, 10, 17, 0)
    assert accepted.forward_due_at == forward_due and accepted.status == Dossier.Status.ACCEPTED
    assert dossier_flag_deadlines(now=forward_due - timedelta(minutes=1)).forward_overdue == 0
    run = dossier_flag_deadlines(now=forward_due)
    assert run.forward_overdue == 1
    assert Dossier.objects.get(pk=accepted.pk).forward_overdue_at == forward_due
    assert dossier_flag_deadlines(now=forward_due + timedelta(hours=1)).forward_overdue == 0
    event = DossierEvent.objects.get(dossier=accepted, action="dossier.forward_overdue")
    assert (event.to_status, event.actor_kind) == (2, "system")


@pytest.mark.django_db
def test_forwarded_in_time_is_never_flagged(accepted):
    processing(accepted)
    dossier_flag_deadlines(now=local(2026, 3, 11, 9, 0))
    assert flags(accepted) == []


@pytest.mark.django_db
def test_a_dossier_without_due_time_is_never_flagged(accepted):
    dossier = processing(accepted, due_at=None, original_due_at=None)
    for now in (AT_RISK_FROM, DUE, DUE + timedelta(days=365)):
        assert dossier_flag_deadlines(now=now).changed == 0
    assert flags(dossier) == []


@pytest.mark.django_db
def test_a_paused_dossier_is_never_flagged(accepted):
    dossier = processing(accepted, status=Dossier.Status.SUPPLEMENT_REQUESTED, paused_since=local(2026, 3, 12, 9, 0))
    for now in (AT_RISK_FROM, DUE, DUE + timedelta(days=10)):
        dossier_flag_deadlines(now=now)
    dossier.refresh_from_db()
    assert flags(dossier) == [] and dossier.at_risk_at is None and dossier.overdue_at is None


@pytest.mark.django_db
def test_awaiting_payment_is_flagged_unless_paying_pauses_the_clock(accepted, settings):
    dossier = processing(accepted, status=Dossier.Status.AWAITING_PAYMENT, paused_since=local(2026, 3, 20, 9, 0))
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_PAUSE_IN_PAYMENT": True}
    assert dossier_flag_deadlines(now=DUE + timedelta(days=1)).changed == 0
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_PAUSE_IN_PAYMENT": False}
    assert dossier_flag_deadlines(now=DUE + timedelta(days=1)).overdue == 1
    assert flags(dossier) == ["dossier.flagged_overdue"]


@pytest.mark.django_db
def test_final_and_result_ready_dossiers_are_not_flagged(accepted):
    for status in (Dossier.Status.RESULT_READY, Dossier.Status.RETURNED, Dossier.Status.STOPPED):
        processing(accepted, status=status)
        dossier_flag_deadlines(now=DUE + timedelta(days=1))
    assert flags(accepted) == []


@pytest.mark.django_db
def test_after_an_apology_the_new_appointment_is_watched(accepted, khcn_leader):
    from motcua.dossiers.services import dossier_issue_apology

    dossier = processing(accepted)
    dossier_flag_deadlines(now=AT_RISK_FROM)
    new_due = local(2026, 3, 31, 8, 0)
    dossier_issue_apology(officer=khcn_leader, dossier=dossier, reason="Chờ xác minh", new_due_at=new_due,
                          expected_version=dossier.version, now=AT_RISK_FROM + timedelta(hours=1))  # fmt: skip
    assert dossier_flag_deadlines(now=DUE).changed == 0  # the old due time is no longer the appointment
    assert dossier_flag_deadlines(now=local(2026, 3, 30, 8, 0)).at_risk == 1
    assert dossier_flag_deadlines(now=new_due).overdue == 1
    assert flags(dossier) == ["dossier.flagged_at_risk", "dossier.flagged_at_risk", "dossier.flagged_overdue"]


@pytest.mark.django_db
def test_a_flag_computed_for_a_due_time_that_moved_is_dropped(accepted):
    from motcua.dossiers.deadlines import _flag

    dossier = processing(accepted)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=DUE + timedelta(days=7))  # moved after it was read
    assert _flag(dossier, "at_risk_at", "dossier.flagged_at_risk", AT_RISK_FROM, due_at=DUE) is False
    assert flags(dossier) == [] and Dossier.objects.get(pk=dossier.pk).at_risk_at is None


@pytest.mark.django_db
def test_supplement_deadline_passed_closes_the_dossier(accepted):
    requested, deadline = local(2026, 3, 12, 9, 0), local(2026, 3, 26, 9, 0)
    dossier = processing(accepted, status=Dossier.Status.SUPPLEMENT_REQUESTED, paused_since=requested)
    SupplementRequest.objects.create(
        dossier=dossier, stage=SupplementRequest.Stage.PROCESSING, items=[{"document": "Bản sao quyết định"}],
        reason="Thiếu bản sao", requested_at=requested, deadline_at=deadline,
    )  # fmt: skip
    assert dossier_flag_deadlines(now=deadline - timedelta(minutes=1)).supplements_expired == 0
    run = dossier_flag_deadlines(now=deadline)
    assert run.supplements_expired == 1
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.STOPPED
    assert dossier.events.filter(action="dossier.supplement_expired").count() == 1
    assert dossier_flag_deadlines(now=deadline + timedelta(hours=1)).supplements_expired == 0


@pytest.mark.django_db
def test_the_command_prints_the_counts(accepted, capsys, monkeypatch):
    import motcua.dossiers.management.commands.dossier_deadlines as command

    processing(accepted)
    monkeypatch.setattr(command, "dossier_flag_deadlines", lambda: dossier_flag_deadlines(now=DUE))
    call_command("dossier_deadlines")
    assert capsys.readouterr().out.strip() == (
        "candidates=1 at_risk=0 overdue=1 forward_overdue=0 supplements_expired=0"
    )


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_flag_once(accepted):
    """Two workers released together on the same moment: one flag each, one history row each."""
    dossier = processing(accepted)
    barrier = threading.Barrier(2)
    runs, errors = [], []

    def work() -> None:
        try:
            barrier.wait()
            runs.append(_patiently(lambda: dossier_flag_deadlines(now=DUE)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(run.overdue for run in runs) == 1
    assert flags(dossier) == ["dossier.flagged_overdue"]
    assert Dossier.objects.get(pk=dossier.pk).overdue_at == DUE
