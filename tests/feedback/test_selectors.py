"""Summaries for dashboards: counts, mean, grades and the share of each answer, in a few queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.feedback.models import DossierAssessment, TicketRating
from motcua.feedback.selectors import assessment_summary, ticket_rating_summary
from motcua.feedback.services import dossier_assessment_give, ticket_rating_give
from tests.dossiers.conftest import local
from tests.dossiers.test_processing import make_procedure
from tests.queueing.conftest import TUESDAY_8AM

from .conftest import ASKED, returned, serve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scheme")]


def test_ticket_rating_summary_counts_each_answer_and_its_share(queue, counter, reception_officer,
                                                                django_assert_num_queries):  # fmt: skip
    answers = ["very_satisfied", "very_satisfied", "satisfied", "not_satisfied"]
    for i, answer in enumerate(answers):
        ticket = serve(queue, counter, reception_officer, TUESDAY_8AM + timedelta(minutes=15 * i))
        ticket_rating_give(ticket=ticket, answer=answer, channel="tablet", now=ticket.finished_at)
    with django_assert_num_queries(1):
        summary = ticket_rating_summary(TicketRating.objects.all())
    assert summary == {
        "count": 4,
        "answers": {
            "very_satisfied": {"count": 2, "percent": 50.0},
            "satisfied": {"count": 1, "percent": 25.0},
            "not_satisfied": {"count": 1, "percent": 25.0},
        },
    }


def test_an_empty_summary_is_zeros_not_an_error(db):
    assert ticket_rating_summary(TicketRating.objects.none())["answers"]["satisfied"] == {"count": 0, "percent": 0.0}
    summary = assessment_summary(DossierAssessment.objects.all())
    assert summary == {"count": 0, "mean_total": None, "grades": {}, "answers": {}}


def test_assessment_summary_gives_the_mean_the_grades_and_each_questions_answers(flow, django_assert_num_queries):
    given = [
        ({**ASKED, 9: 2}, {"ease": "very_satisfied", "overall": "very_satisfied"}),  # 6 + 10 = 16
        (ASKED, {"ease": "satisfied", "overall": "very_satisfied"}),  # 6 + 8 = 14
        ({n: 0 for n in ASKED}, {"ease": "not_satisfied", "overall": "satisfied"}),  # 6 + 0 = 6
    ]
    for i, (scores, answers) in enumerate(given):
        dossier = returned(flow, make_procedure(f"TK.00{i}"))
        dossier_assessment_give(dossier=dossier, scores=scores, answers=answers, channel="kiosk",
                                now=local(2026, 6, 1, 9, 0))  # fmt: skip
    with django_assert_num_queries(4):
        summary = assessment_summary(DossierAssessment.objects.all())
    assert summary["count"] == 3 and summary["mean_total"] == 12.0
    assert summary["grades"] == {"xuat_sac": 1, "tot": 1, "trung_binh": 1}
    third = round(100 / 3, 1)
    assert summary["answers"]["ease"] == {
        "very_satisfied": {"count": 1, "percent": third}, "satisfied": {"count": 1, "percent": third},
        "not_satisfied": {"count": 1, "percent": third},
    }  # fmt: skip
    assert summary["answers"]["overall"]["very_satisfied"] == {"count": 2, "percent": round(200 / 3, 1)}
    only_center = assessment_summary(DossierAssessment.objects.filter(grade="tot"))
    assert only_center["count"] == 1 and only_center["answers"]["overall"]["very_satisfied"]["percent"] == 100.0
