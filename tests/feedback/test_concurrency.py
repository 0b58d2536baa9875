"""One rating per ticket and one assessment per dossier when two devices send at the same moment.

Real threads, each with its own connection, released together (tests/queueing/test_concurrency).
On PostgreSQL both may pass the "already given?" check; the one-to-one column then makes the
second insert fail, and the service answers it like a later second try. On SQLite writers are
serialised and the second one sees the first's row.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.core.models import AuditLog
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import DossierAssessment, TicketRating
from motcua.feedback.services import dossier_assessment_give, ticket_rating_give
from tests.dossiers.conftest import local
from tests.dossiers.test_conflict_pg import _processing, small_world  # noqa: F401  (a fixture, by name)
from tests.queueing.test_concurrency import _patiently, _run_in_threads, plain_center  # noqa: F401

from .conftest import ANSWERS, ASKED, ensure_scheme, serve

pytestmark = pytest.mark.django_db(transaction=True)


def _given_or_refused(call: Any) -> Any:
    try:
        return _patiently(call)
    except FeedbackRefused as refused:
        return refused


def test_two_devices_rating_one_ticket_leave_one_rating(plain_center):  # noqa: F811
    from motcua.accounts.models import User
    from tests.queueing.conftest import make_counter, make_queue

    queue = make_queue(plain_center, "b")
    officer = User.objects.create(username="cb1")
    ticket = serve(queue, make_counter(plain_center, 1, [queue], officer=officer), officer)
    answers = ["very_satisfied", "not_satisfied"]
    results = _run_in_threads(lambda i: _given_or_refused(lambda: ticket_rating_give(
        ticket=ticket, answer=answers[i], channel=["kiosk", "tablet"][i], now=ticket.finished_at)), count=2)  # fmt: skip
    ratings = [r for r in results if isinstance(r, TicketRating)]
    refusals = [r for r in results if isinstance(r, FeedbackRefused)]
    assert len(ratings) == 1 and [r.code for r in refusals] == ["already_rated"]
    stored = TicketRating.objects.get(ticket=ticket)
    assert stored.answer == ratings[0].answer
    assert AuditLog.objects.filter(action="feedback.ticket_rating.given").count() == 1


def _returned(world: dict[str, Any]) -> Any:
    from motcua.accounts.models import Role, RoleAssignment, User
    from motcua.catalog.models import Agency
    from motcua.dossiers import services

    leader = User.objects.create_user(username="lanhdao", full_name="Võ Minh Tuấn", password="x")
    RoleAssignment.objects.create(user=leader, role=Role.AGENCY_LEADER, agency=Agency.objects.get(code="so-khcn"))
    dossier = _processing(world)
    dossier = services.dossier_hand_over(officer=world["bao"], dossier=dossier, expected_version=dossier.version,
                                         now=local(2026, 3, 10, 9, 0))  # fmt: skip
    dossier = services.dossier_approve_result(officer=leader, dossier=dossier, expected_version=dossier.version,
                                              kind="paper", document_number="1/GCN", now=local(2026, 3, 10, 10, 0))  # fmt: skip
    dossier = services.dossier_mark_result_ready(officer=leader, dossier=dossier, expected_version=dossier.version,
                                                 now=local(2026, 3, 10, 10, 5))  # fmt: skip
    return services.dossier_return_at_counter(officer=world["reception"], dossier=dossier, collected_by_name="Ánh",
                                              expected_version=dossier.version, now=local(2026, 3, 11, 8, 0))  # fmt: skip


def test_two_screens_assessing_one_dossier_leave_one_assessment(small_world):  # noqa: F811
    ensure_scheme()  # the migration's row does not survive another transactional test's flush
    dossier = _returned(small_world)
    overall = ["very_satisfied", "not_satisfied"]
    results = _run_in_threads(lambda i: _given_or_refused(lambda: dossier_assessment_give(
        dossier=dossier, scores=ASKED, answers={**ANSWERS, "overall": overall[i]}, channel=["kiosk", "portal"][i],
        now=local(2026, 3, 11, 9, i))), count=2)  # fmt: skip
    assessments = [r for r in results if isinstance(r, DossierAssessment)]
    refusals = [r for r in results if isinstance(r, FeedbackRefused)]
    assert len(assessments) == 1 and [r.code for r in refusals] == ["already_assessed"]
    assert DossierAssessment.objects.get(dossier=dossier).overall == assessments[0].overall
    assert AuditLog.objects.filter(action="feedback.dossier_assessment.given").count() == 1
