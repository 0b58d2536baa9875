"""Reads for dashboards: summaries of any queryset of ratings or assessments, computed by the
database in a few aggregate queries (the same SQL on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from .models import Answer, AssessmentScheme, DossierAssessment, TicketRating


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _shares(counts: dict[str, int], whole: int) -> dict[str, dict[str, float | int]]:
    return {answer: {"count": counts[answer], "percent": _percent(counts[answer], whole)} for answer in Answer.values}


def ticket_rating_summary(qs: QuerySet[TicketRating]) -> dict[str, Any]:
    """How many ratings, and how many (and what share of them) gave each answer."""
    counts = qs.aggregate(total=Count("id"), **{a: Count("id", filter=Q(answer=a)) for a in Answer.values})
    whole = counts.pop("total")
    return {"count": whole, "answers": _shares(counts, whole)}


def _question_codes(qs: QuerySet[DossierAssessment]) -> list[str]:
    """The questions of the schemes the assessments were given under, in scheme order."""
    codes: dict[str, None] = {}
    for definition in AssessmentScheme.objects.filter(pk__in=qs.values("scheme_id")).values_list("definition",
                                                                                                   flat=True):  # fmt: skip
        codes.update((str(q["code"]), None) for q in definition.get("questions", []))
    return list(codes)


def _answer_counts(qs: QuerySet[DossierAssessment], codes: list[str]) -> dict[str, dict[str, int]]:
    aliases = {f"q{i}_{j}": (code, answer) for i, code in enumerate(codes) for j, answer in enumerate(Answer.values)}
    counts = qs.aggregate(**{
        alias: Count("id", filter=Q(**{f"answers__{code}": answer})) for alias, (code, answer) in aliases.items()
    }) if aliases else {}  # fmt: skip
    result: dict[str, dict[str, int]] = {code: {} for code in codes}
    for alias, (code, answer) in aliases.items():
        result[code][answer] = counts[alias]
    return result


def assessment_summary(qs: QuerySet[DossierAssessment]) -> dict[str, Any]:
    """Count, mean total, how many got each grade, and each question's answers as shares of the forms."""
    head = qs.aggregate(count=Count("id"), mean=Avg("total"))
    whole = head["count"]
    grades = dict(qs.order_by().values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
    answers = _answer_counts(qs, _question_codes(qs))
    return {
        "count": whole,
        "mean_total": round(float(head["mean"]), 2) if head["mean"] is not None else None,
        "grades": grades,
        "answers": {code: _shares(counts, whole) for code, counts in answers.items()},
    }
