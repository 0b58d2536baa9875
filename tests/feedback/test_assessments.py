"""Dossier assessments: the scores the dossier's history gives (time, steps, supplements), the
ones the citizen gives, one assessment per returned dossier, graded by the scheme in force."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.core.calendar import to_local
from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierStep
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import AssessmentScheme, DossierAssessment
from motcua.feedback.schemes import builtin_scheme
from motcua.feedback.services import assessment_prefill, dossier_assessment_give
from tests.dossiers.conftest import local
from tests.dossiers.test_processing import INTER_AGENCY_STEPS, make_procedure

from .conftest import ANSWERS, ASKED, return_at_counter, returned

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scheme")]

DAY = timedelta(days=1)


def derived(dossier, now=None) -> dict[int, int]:
    prefill = assessment_prefill(dossier, now=now or local(2026, 6, 1, 9, 0))
    assert {entry["source"] for entry in prefill.values()} == {"derived"}
    return {number: entry["score"] for number, entry in prefill.items()}


def ready_on_its_due_time(flow, procedure):
    dossier = flow.approve(flow.to_last_step(flow.processing(procedure)))
    return return_at_counter(flow, flow.ready(dossier, now=Dossier.objects.get(pk=dossier.pk).original_due_at))


# --- indicator 1: total time against the original due time --------------------------------------


def test_a_result_ready_before_the_due_day_scores_2(flow):
    dossier = returned(flow, make_procedure("DG.0001"))
    assert to_local(dossier.result_ready_at).date() < to_local(dossier.original_due_at).date()
    assert derived(dossier) == {1: 2, 2: 2, 3: 2}


def test_a_result_ready_on_the_due_day_by_the_due_time_scores_1(flow):
    dossier = ready_on_its_due_time(flow, make_procedure("DG.0002"))
    assert dossier.result_ready_at == dossier.original_due_at
    # Its one step was handed over (approved) early: indicator 2 reads the steps, not the result.
    assert derived(dossier) == {1: 1, 2: 2, 3: 2}


def test_a_result_ready_after_the_due_time_scores_0(flow):
    procedure = make_procedure("DG.0003", time_value=1)
    dossier = flow.approve(flow.to_last_step(flow.processing(procedure)))
    late = Dossier.objects.get(pk=dossier.pk).original_due_at + DAY
    dossier = return_at_counter(flow, flow.ready(dossier, now=late))
    assert derived(dossier) == {1: 0, 2: 2, 3: 2}


@pytest.mark.parametrize(("ready_after_due", "score"), [(None, 2), (timedelta(0), 1), (DAY, 0)])
def test_without_steps_indicator_2_follows_indicator_1(flow, ready_after_due, score):
    procedure = make_procedure(f"DG.000{4 + (score or 0)}", time_value=1)
    dossier = flow.approve(flow.to_last_step(flow.processing(procedure)))
    due = Dossier.objects.get(pk=dossier.pk).original_due_at
    dossier = flow.ready(dossier, now=None if ready_after_due is None else due + ready_after_due)
    dossier = return_at_counter(flow, dossier)
    DossierStep.objects.filter(dossier=dossier).delete()  # an old dossier from before control sheets
    assert derived(dossier) == {1: score, 2: score, 3: 2}


# --- indicator 2: each agency's steps -----------------------------------------------------------


def test_every_step_early_scores_2(flow):
    dossier = returned(flow, make_procedure("DG.0010", steps=INTER_AGENCY_STEPS))
    assert set(dossier.steps.values_list("outcome", flat=True)) == {"early"}
    assert derived(dossier)[2] == 2


def test_a_step_handed_over_on_its_due_time_scores_1(flow):
    dossier = flow.processing(make_procedure("DG.0011", steps=INTER_AGENCY_STEPS))
    dossier = flow.hand_over(dossier, now=dossier.steps.get(ordering=1).due_at)
    dossier = returned_from_processing(flow, dossier)
    assert list(dossier.steps.order_by("ordering").values_list("outcome", flat=True)) == ["on_time", "early", "early"]
    assert derived(dossier) == {1: 2, 2: 1, 3: 2}


def test_one_late_step_scores_0_even_when_the_dossier_is_early(flow):
    dossier = flow.processing(make_procedure("DG.0012", steps=INTER_AGENCY_STEPS))
    dossier = flow.hand_over(dossier, now=dossier.steps.get(ordering=1).due_at + timedelta(hours=1))
    dossier = returned_from_processing(flow, dossier)
    assert "late" in set(dossier.steps.values_list("outcome", flat=True))
    assert derived(dossier) == {1: 2, 2: 0, 3: 2}


def returned_from_processing(flow, dossier):
    return return_at_counter(flow, flow.ready(flow.approve(flow.to_last_step(dossier))))


# --- indicator 3: supplement requests -----------------------------------------------------------


@pytest.mark.parametrize(("times", "score"), [(0, 2), (1, 1), (2, 0)])
def test_each_supplement_request_costs_a_point(flow, times, score):
    dossier = flow.processing(make_procedure(f"DG.002{times}"))
    for _round in range(times):
        dossier = flow.receive_supplement(flow.ask_supplement(dossier))
    dossier = returned_from_processing(flow, dossier)
    assert dossier.supplements.count() == times
    assert derived(dossier)[3] == score


# --- giving the assessment ----------------------------------------------------------------------


def give(dossier, scores=None, answers=None, **kwargs):
    values = {"comment": "", "channel": "portal", "now": local(2026, 6, 1, 9, 0)} | kwargs
    return dossier_assessment_give(dossier=dossier, scores=ASKED if scores is None else scores,
                                   answers=ANSWERS if answers is None else answers, **values)  # fmt: skip


def refusal(call) -> FeedbackRefused:
    with pytest.raises(FeedbackRefused) as refused:
        call()
    return refused.value


def test_an_assessment_adds_the_derived_and_asked_scores_and_grades_the_total(flow, scheme, people):
    dossier = ready_on_its_due_time(flow, make_procedure("DG.0030"))  # 1 + 2 + 2 derived
    # Scores sent for derived indicators are ignored: the history decides them.
    assessment = give(dossier, {**ASKED, 1: 2, 2: 0, 3: 0}, comment="  Nhanh gọn.  ", rater=people.admin)
    assert assessment.scores == {"1": 1, "2": 2, "3": 2, "4": 2, "5": 1, "6": 2, "7": 2, "8": 1, "9": 0}
    assert assessment.sources == {"1": "derived", "2": "derived", "3": "derived", "4": "asked", "5": "asked",
                                  "6": "asked", "7": "asked", "8": "asked", "9": "asked"}  # fmt: skip
    assert (assessment.total, assessment.grade, assessment.scheme) == (13, "tot", scheme)
    assert (assessment.answers, assessment.overall, assessment.comment) == (ANSWERS, "very_satisfied", "Nhanh gọn.")
    assert (assessment.center, assessment.agency, assessment.procedure) == (
        dossier.receiving_center, dossier.competent_agency, dossier.procedure)  # fmt: skip
    assert (assessment.channel, assessment.rater, assessment.at) == ("portal", people.admin, local(2026, 6, 1, 9, 0))
    audit = AuditLog.objects.get(action="feedback.dossier_assessment.given")
    assert (audit.actor, audit.object_id, audit.data["total"], audit.data["grade"]) == (
        people.admin, str(assessment.pk), 13, "tot")  # fmt: skip


def test_asked_score_keys_may_be_strings_as_json_sends_them(workhorse_returned):
    assessment = give(workhorse_returned, {str(n): s for n, s in ASKED.items()})
    assert assessment.total == 2 + 2 + 2 + sum(ASKED.values())
    assert (assessment.total, assessment.grade) == (14, "tot")


def test_only_a_returned_dossier_is_assessed(flow):
    dossier = flow.result_ready(make_procedure("DG.0031"))
    error = refusal(lambda: give(dossier))
    assert (error.code, error.message) == ("not_returned", "Chỉ đánh giá được hồ sơ đã trả kết quả.")


def test_a_dossier_is_assessed_once(workhorse_returned):
    give(workhorse_returned)
    error = refusal(lambda: give(workhorse_returned, answers={"ease": "not_satisfied", "overall": "not_satisfied"}))
    assert (error.code, error.message) == ("already_assessed", f"Hồ sơ {workhorse_returned.code} đã được đánh giá.")
    assert DossierAssessment.objects.get().overall == "very_satisfied"


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({4: 2, 5: 1, 6: 2, 7: 2, 8: 1}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 9: 3}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 9: -1}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 9: True}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 9: "2"}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 9: 1.5}, "Tiêu chí 9: chọn 0, 1 hoặc 2 điểm."),
        ({**ASKED, 10: 2}, "Không có tiêu chí số 10."),
        ({**ASKED, "x": 2}, "Không có tiêu chí số x."),
    ],
)
def test_every_asked_indicator_needs_0_1_or_2(workhorse_returned, scores, message):
    error = refusal(lambda: give(workhorse_returned, scores))
    assert (error.code, error.message) == ("invalid_score", message)


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"overall": "satisfied"}, "missing_answer"),
        ({"ease": "satisfied", "overall": "rat_tot"}, "invalid_answer"),
        ({**ANSWERS, "speed": "satisfied"}, "invalid_answer"),
    ],
)
def test_every_question_needs_one_of_the_three_answers(workhorse_returned, answers, code):
    assert refusal(lambda: give(workhorse_returned, answers=answers)).code == code
    assert not DossierAssessment.objects.exists()


def test_the_scheme_in_force_at_the_time_grades_and_stays(workhorse_returned, scheme):
    definition = builtin_scheme("nd61-2018")["definition"]
    definition["grades"] = [{"grade": "dat", "label": "Đạt", "min": 0, "max": 18, "min_inclusive": True,
                             "max_inclusive": True}]  # fmt: skip
    newer = AssessmentScheme.objects.create(code="thu-2026", title="Thử", valid_from=date(2026, 6, 1),
                                            definition=definition)  # fmt: skip
    assessment = give(workhorse_returned)
    assert (assessment.scheme, assessment.grade) == (newer, "dat")


def test_no_scheme_in_force_is_a_refusal(workhorse_returned, scheme):
    AssessmentScheme.objects.all().delete()
    assert refusal(lambda: give(workhorse_returned)).code == "no_scheme"


def test_the_one_to_one_column_has_the_last_word(workhorse_returned, monkeypatch):
    from motcua.feedback import services

    give(workhorse_returned)
    monkeypatch.setattr(services, "_ensure_assessable", lambda dossier: None)
    assert refusal(lambda: give(workhorse_returned)).code == "already_assessed"
    assert DossierAssessment.objects.count() == 1


@pytest.mark.parametrize("key", ["²", "٣", " 4", "4.0", "1" * 30])
def test_odd_indicator_keys_are_refused_not_crashed_on(workhorse_returned, key):
    assert refusal(lambda: give(workhorse_returned, {**ASKED, key: 2})).code == "invalid_score"
