"""Due times and the supplement pause on the working calendar (ADR 0008 §5, rules 4–7).

The values are the ADR's test plan: default sessions 07:00–11:30 and 13:30–17:00, Tết
27–31/01/2025, 30/04 and 01/05 holidays, 02/05 swapped day off, 26/04/2025 make-up Saturday.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core.calendar import version_due_at
from motcua.dossiers.models import Dossier

from . import test_processing as proc
from .conftest import local
from .test_processing import Flow, make_procedure

pytestmark = pytest.mark.django_db

people = proc.people


def _due(center, accepted_at, value, unit="working_days", cutoff=None):
    snapshot = {"time_value": str(value), "time_unit": unit, "same_day_cutoff": cutoff}
    return version_due_at(snapshot=snapshot, center=center, accepted_at=accepted_at)


@pytest.mark.parametrize(
    ("accepted_at", "value", "unit", "due"),
    [
        (local(2025, 3, 7, 16, 30), 1, "working_days", local(2025, 3, 10, 16, 30)),  # over a weekend
        (local(2025, 3, 10, 12, 15), 1, "working_days", local(2025, 3, 11, 11, 30)),  # lunch counts from 13:30
        (local(2025, 3, 10, 15, 5), 0, "same_day", local(2025, 3, 11, 17, 0)),  # after the 15:00 cut-off
        (local(2025, 3, 10, 14, 55), 0, "same_day", local(2025, 3, 10, 17, 0)),
        (local(2025, 1, 24, 9, 0), 3, "working_days", local(2025, 2, 5, 9, 0)),  # Tết
        (local(2025, 4, 25, 14, 0), 1, "working_days", local(2025, 4, 26, 14, 0)),  # make-up Saturday
        (local(2025, 4, 29, 9, 0), 1, "working_days", local(2025, 5, 5, 9, 0)),  # 30/4, 1/5, 2/5
        (local(2025, 3, 10, 8, 0), 0, "none", None),  # no legal time: no due time, never flagged
    ],
)
def test_due_times_from_a_frozen_version(center, accepted_at, value, unit, due):
    assert _due(center, accepted_at, value, unit, cutoff="15:00" if unit == "same_day" else None) == due


@pytest.fixture
def two_days(people, center):
    """A 2-working-day procedure with one step; its frozen version is what every dossier uses."""
    return Flow(people, center), make_procedure("TG.0002", time_value=2)


def test_a_supplement_pause_moves_the_due_and_original_due_times(two_days):
    """ADR 0008 test plan: accepted Mon 10/03/2025 08:00 + 2 → Wed 12/03 08:00; paused Mon 14:00
    → Wed 10:00 is 14 working hours → due and original due Thu 13/03 16:00."""
    flow, procedure = two_days
    dossier = flow.forward(flow.accept(procedure, now=local(2025, 3, 10, 8, 0)), now=local(2025, 3, 10, 8, 0))
    assert dossier.due_at == dossier.original_due_at == local(2025, 3, 12, 8, 0)
    assert dossier.steps.get().due_at == local(2025, 3, 12, 8, 0)
    dossier = flow.ask_supplement(dossier, now=local(2025, 3, 10, 14, 0))
    Dossier.objects.filter(pk=dossier.pk).update(at_risk_at=local(2025, 3, 10, 14, 0))  # raised before the pause
    dossier = flow.receive_supplement(Dossier.objects.get(pk=dossier.pk), now=local(2025, 3, 12, 10, 0))
    assert dossier.paused_total == timedelta(hours=14)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.due_at == stored.original_due_at == local(2025, 3, 13, 16, 0)
    assert stored.steps.get().due_at == local(2025, 3, 13, 16, 0)
    assert stored.at_risk_at is None and stored.overdue_at is None and stored.paused_since is None
    assert stored.supplements.get().paused == timedelta(hours=14)


def test_a_pause_over_tet_counts_only_working_hours(people, center):
    flow = Flow(people, center)
    dossier = flow.forward(flow.accept(make_procedure("TG.0005", time_value=5), now=local(2025, 1, 20, 8, 0)))
    assert dossier.due_at == local(2025, 2, 3, 8, 0)  # 27–31/01 are Tết days off
    dossier = flow.ask_supplement(dossier, now=local(2025, 1, 24, 9, 0))
    dossier = flow.receive_supplement(dossier, now=local(2025, 2, 3, 9, 0))
    assert dossier.paused_total == timedelta(hours=8)  # Fri 09:00–17:00 and Mon 07:00–09:00
    assert dossier.due_at == dossier.original_due_at == local(2025, 2, 4, 8, 0)


def test_a_pause_over_a_make_up_saturday_counts_that_saturday(people, center):
    flow = Flow(people, center)
    dossier = flow.forward(flow.accept(make_procedure("TG.0006", time_value=2), now=local(2025, 4, 24, 8, 0)))
    assert dossier.due_at == local(2025, 4, 26, 8, 0)  # Saturday 26/04/2025 is worked
    dossier = flow.ask_supplement(dossier, now=local(2025, 4, 25, 14, 0))
    dossier = flow.receive_supplement(dossier, now=local(2025, 4, 28, 14, 0))
    assert dossier.paused_total == timedelta(hours=16)  # Fri 3 h, Sat 8 h, Mon 5 h
    assert dossier.due_at == local(2025, 4, 29, 8, 0)


def test_a_pause_outside_working_hours_moves_nothing(two_days):
    """Nothing paused means nothing added: a due time at 17:00 must not slide to the next morning."""
    flow, procedure = two_days
    dossier = flow.forward(flow.accept(procedure, now=local(2025, 3, 10, 7, 0)), now=local(2025, 3, 10, 7, 0))
    assert dossier.due_at == local(2025, 3, 11, 17, 0)
    dossier = flow.ask_supplement(dossier, now=local(2025, 3, 10, 17, 30))
    dossier = flow.receive_supplement(dossier, now=local(2025, 3, 10, 18, 0))
    assert dossier.paused_total == timedelta(0)
    assert dossier.due_at == dossier.original_due_at == local(2025, 3, 11, 17, 0)


def test_the_supplement_deadline_counts_working_days_from_the_request(people, center):
    from motcua.dossiers.models import SupplementRequest

    flow = Flow(people, center)
    procedure = make_procedure("TG.0007", time_value=10, supplement=(3, "working_days"))
    dossier = flow.forward(flow.accept(procedure, now=local(2025, 4, 28, 8, 0)))
    flow.ask_supplement(dossier, now=local(2025, 4, 29, 9, 0))
    assert SupplementRequest.objects.get(dossier=dossier).deadline_at == local(2025, 5, 7, 9, 0)  # 30/4–2/5 off
