"""Feedback fixtures: tickets served through the queue services, dossiers returned through the
dossier services (the dossier tests' `Flow`), and the shipped scheme."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.dossiers import test_processing as proc
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

# The dossier tests' fixtures, by name (pytest finds fixtures in the conftest's namespace).
people, flow = proc.people, proc.flow

# The shipped scheme's asked indicators and questions, all answered.
ASKED = {4: 2, 5: 1, 6: 2, 7: 2, 8: 1, 9: 0}
ANSWERS = {"ease": "satisfied", "overall": "very_satisfied"}


def serve(queue, counter, officer, at: datetime = TUESDAY_8AM):
    """Issue a ticket at `at`, call, start and finish it at the counter (finished at `at` + 10 min)."""
    from motcua.queueing.services import ticket_call_next, ticket_finish, ticket_issue, ticket_start

    ticket = ticket_issue(queue=queue, channel="kiosk", now=at)
    called = ticket_call_next(counter=counter, officer=officer, now=at + timedelta(minutes=1))
    assert called is not None and called.pk == ticket.pk
    ticket_start(ticket=ticket, officer=officer, now=at + timedelta(minutes=2))
    return ticket_finish(ticket=ticket, officer=officer, now=at + timedelta(minutes=10))


@pytest.fixture
def queue(center):
    return make_queue(center, "b")


@pytest.fixture
def counter(center, queue, reception_officer):
    return make_counter(center, 1, [queue], officer=reception_officer)


@pytest.fixture
def served(queue, counter, reception_officer):
    return serve(queue, counter, reception_officer)


def return_at_counter(flow: Any, dossier: Any, now: datetime | None = None):
    from motcua.dossiers.services import dossier_return_at_counter

    return dossier_return_at_counter(officer=flow.people.reception, dossier=dossier, collected_by_name="Nguyễn Thị Ánh",
                                     expected_version=dossier.version, now=flow.tick(now))  # fmt: skip


def returned(flow: Any, procedure: Any, *, ready_at: datetime | None = None):
    """A dossier of `procedure` accepted, forwarded, handed through its steps, approved, made
    ready (at `ready_at`) and returned a minute later."""
    dossier = flow.approve(flow.to_last_step(flow.processing(procedure)))
    return return_at_counter(flow, flow.ready(dossier, now=ready_at))


@pytest.fixture
def workhorse_returned(flow):
    """A returned dossier of a plain procedure (its one step), ready minutes after acceptance: early."""
    return returned(flow, proc.make_procedure("DG.0001"))


def ensure_scheme():
    """The shipped scheme, as its migration loads it (a transactional test's flush removes it)."""
    from datetime import date

    from motcua.feedback.models import AssessmentScheme
    from motcua.feedback.schemes import builtin_scheme

    data = builtin_scheme("nd61-2018")
    defaults = {"title": data["title"], "legal_basis": data["legal_basis"],
                "valid_from": date.fromisoformat(data["valid_from"]), "definition": data["definition"]}  # fmt: skip
    return AssessmentScheme.objects.get_or_create(code=data["code"], defaults=defaults)[0]


@pytest.fixture
def scheme(db):
    return ensure_scheme()
