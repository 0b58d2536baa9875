"""Every write of satisfaction feedback (ADR 0010 §1): a rating per served ticket, an assessment
per returned dossier. Each is guarded, written with its audit row in one transaction, and backed
by a one-to-one column, so two devices racing for the same ticket or dossier leave one row and
the loser gets the same refusal as a later second try.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.calendar import to_local
from motcua.core.models import Center
from motcua.core.services import audit_log_write
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services.processing import outcome
from motcua.queueing.models import Counter, Ticket

from . import schemes
from .errors import FeedbackRefused
from .models import Answer, AssessmentScheme, DossierAssessment, TicketRating

TICKET_COMMENT_MAX = 500
DOSSIER_COMMENT_MAX = 1000
Outcome = DossierStep.Outcome
_NUMBER = re.compile(r"[0-9]{1,3}")  # an indicator's number as JSON keys carry it
_DIGITS = re.compile(r"[0-9]{1,6}")  # a ticket named by its shown number alone
_OUTCOME_SCORE = {Outcome.EARLY: 2, Outcome.ON_TIME: 1, Outcome.LATE: 0}


def rating_window() -> timedelta:
    return timedelta(minutes=int(settings.MOTCUA.get("RATING_WINDOW_MINUTES", 120)))


def _clean(text: str, limit: int) -> str:
    # PostgreSQL refuses NUL in text; a kiosk keyboard never types one, a bad client might.
    return (text or "").replace("\x00", "").strip()[:limit]


# --- ticket ratings ----------------------------------------------------------------------------


def _ensure_ratable(ticket: Ticket, now: datetime) -> None:
    if ticket.status != Ticket.Status.DONE or ticket.finished_at is None:
        raise FeedbackRefused("not_served", _("Số %(code)s chưa được phục vụ xong, chưa thể đánh giá.")
                              % {"code": ticket.code})  # fmt: skip
    if now > ticket.finished_at + rating_window():
        raise FeedbackRefused("too_late", _("Đã quá thời gian đánh giá lượt phục vụ của số %(code)s.")
                              % {"code": ticket.code})  # fmt: skip
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise _already_rated(ticket)


def _already_rated(ticket: Ticket) -> FeedbackRefused:
    return FeedbackRefused("already_rated", _("Lượt phục vụ của số %(code)s đã được đánh giá.") % {"code": ticket.code})


def _ensure_answer(answer: str, allowed: list[str] | None = None) -> None:
    if answer not in (allowed or Answer.values):
        raise FeedbackRefused("invalid_answer", _("Câu trả lời không hợp lệ: chọn Rất hài lòng, Hài lòng "
                                                  "hoặc Không hài lòng."))  # fmt: skip


def ticket_rating_give(*, ticket: Ticket, answer: str, comment: str = "", channel: str, device: Any = None,
                       now: datetime | None = None) -> TicketRating:  # fmt: skip
    """The citizen's rating of a served ticket, within the window after it was finished."""
    now = now or timezone.now()
    if channel not in TicketRating.Channel.values:
        raise ValueError(f"unknown rating channel {channel!r}")  # a caller's bug, not the citizen's
    _ensure_answer(answer)
    ticket = Ticket.objects.get(pk=ticket.pk)  # the status as stored now, not as the caller saw it
    _ensure_ratable(ticket, now)
    try:
        with transaction.atomic():
            rating = TicketRating.objects.create(
                ticket=ticket, center_id=ticket.center_id, queue_id=ticket.queue_id, counter_id=ticket.counter_id,
                officer_id=ticket.officer_id, answer=answer, comment=_clean(comment, TICKET_COMMENT_MAX),
                channel=channel, device=device, at=now,
            )  # fmt: skip
            audit_log_write(actor=None, action="feedback.ticket_rating.given", obj=rating, center=ticket.center,
                            data={"ticket": ticket.code, "answer": answer, "channel": channel}, now=now)  # fmt: skip
    except IntegrityError as taken:  # another device rated it between our check and our insert
        raise _already_rated(ticket) from taken
    return rating


def _ratable(center: Center, now: datetime) -> Any:
    return Ticket.objects.filter(center=center, status=Ticket.Status.DONE,
                                 finished_at__gte=now - rating_window(), finished_at__lte=now)  # fmt: skip


def ticket_for_rating(*, center: Center, counter: Counter | None = None, now: datetime) -> Ticket | None:
    """What a counter tablet asks the citizen to rate: the ticket finished last there, if it is
    still unrated and within the window (a rated one means the screen goes back to idle)."""
    tickets = _ratable(center, now)
    if counter is not None:
        tickets = tickets.filter(counter=counter)
    last = tickets.select_related("rating").order_by("-finished_at", "-pk").first()
    if last is None or hasattr(last, "rating"):
        return None
    return last


def ticket_find_for_rating(center: Center, code: str, now: datetime) -> Ticket | None:
    """Today's ticket a citizen names at a kiosk by its shown code (B012) or number (12).

    Numbers may repeat in a day when a queue's range wraps: the one served last is meant.
    """
    code = (code or "").strip().upper()
    if not code:
        return None
    lookup = Q(display_number=int(code)) if _DIGITS.fullmatch(code) else Q(code=code)
    today = Ticket.objects.filter(lookup, center=center, business_date=to_local(now).date())
    done = today.filter(status=Ticket.Status.DONE).order_by("-finished_at", "-pk").first()
    return done or today.order_by("-pk").first()


# --- dossier assessments -----------------------------------------------------------------------


def _time_total(dossier: Dossier, now: datetime) -> int:
    done = dossier.result_ready_at or dossier.returned_at or now
    return _OUTCOME_SCORE[Outcome(outcome(dossier.original_due_at, done))]


def _time_steps(dossier: Dossier, now: datetime) -> int:
    outcomes = [step.outcome for step in dossier.steps.all() if step.outcome]
    if not outcomes:
        return _time_total(dossier, now)
    if all(o == Outcome.EARLY for o in outcomes):
        return 2
    return 0 if Outcome.LATE in outcomes else 1


def _supplements(dossier: Dossier, now: datetime) -> int:
    return {0: 2, 1: 1}.get(dossier.supplements.count(), 0)


_DERIVERS = {"time_total": _time_total, "time_steps": _time_steps, "supplements": _supplements}


def scheme_at(now: datetime) -> AssessmentScheme:
    try:
        return schemes.scheme_current(to_local(now).date())
    except AssessmentScheme.DoesNotExist as missing:
        raise FeedbackRefused("no_scheme", _("Chưa có bộ tiêu chí đánh giá áp dụng cho thời điểm này.")) from missing


def assessment_prefill(dossier: Dossier, *, now: datetime | None = None,
                       scheme: AssessmentScheme | None = None) -> dict[int, dict[str, Any]]:  # fmt: skip
    """The scores the dossier's own history gives (`{1: {"score": 2, "source": "derived"}, …}`):
    time against the original due time, each agency's steps, the supplement requests."""
    now = now or timezone.now()
    scheme = scheme or scheme_at(now)
    return {
        number: {"score": _DERIVERS[derive](dossier, now), "source": "derived"}
        for number, derive in schemes.indicators_by_derive(scheme.definition).items()
        if derive in _DERIVERS
    }


def _asked_scores(definition: dict[str, Any], given: dict[Any, Any]) -> dict[int, int]:
    """The citizen's scores for the asked indicators; those the history gives are ignored."""
    derives = schemes.indicators_by_derive(definition)
    scores: dict[int, int] = {}
    for key, value in given.items():
        number = int(key) if _NUMBER.fullmatch(str(key)) else None
        if number not in derives:
            raise FeedbackRefused("invalid_score", _("Không có tiêu chí số %(n)s.") % {"n": key})
        if derives[number] == "ask":
            scores[number] = value
    for number, derive in derives.items():
        if derive == "ask" and (type(scores.get(number)) is not int or scores[number] not in (0, 1, 2)):
            raise FeedbackRefused("invalid_score", _("Tiêu chí %(n)s: chọn 0, 1 hoặc 2 điểm.") % {"n": number})
    return scores


def _given_answers(definition: dict[str, Any], given: dict[str, str]) -> dict[str, str]:
    codes = schemes.question_codes(definition)
    unknown = set(given) - set(codes)
    if unknown:
        raise FeedbackRefused("invalid_answer", _("Không có câu hỏi “%(code)s”.") % {"code": sorted(unknown)[0]})
    for code in codes:
        if code not in given:
            raise FeedbackRefused("missing_answer", _("Vui lòng trả lời tất cả các câu hỏi."))
        _ensure_answer(given[code], schemes.answer_values(definition))
    return {code: given[code] for code in codes}


def _ensure_assessable(dossier: Dossier) -> None:
    if dossier.status != Dossier.Status.RETURNED:
        raise FeedbackRefused("not_returned", _("Chỉ đánh giá được hồ sơ đã trả kết quả."))
    if DossierAssessment.objects.filter(dossier=dossier).exists():
        raise _already_assessed(dossier)


def _already_assessed(dossier: Dossier) -> FeedbackRefused:
    return FeedbackRefused("already_assessed", _("Hồ sơ %(code)s đã được đánh giá.") % {"code": dossier.code or ""})


def dossier_assessment_give(*, dossier: Dossier, scores: dict[Any, Any], answers: dict[str, str], comment: str = "",
                            channel: str, rater: Any = None, now: datetime | None = None) -> DossierAssessment:  # fmt: skip
    """The citizen's one assessment of a returned dossier under the scheme in force now."""
    now = now or timezone.now()
    if channel not in DossierAssessment.Channel.values:
        raise ValueError(f"unknown assessment channel {channel!r}")  # a caller's bug, not the citizen's
    dossier = Dossier.objects.select_related("receiving_center").get(pk=dossier.pk)
    _ensure_assessable(dossier)
    scheme = scheme_at(now)
    derived = assessment_prefill(dossier, now=now, scheme=scheme)
    asked = _asked_scores(scheme.definition, scores)
    given = _given_answers(scheme.definition, answers)
    all_scores = {**{n: d["score"] for n, d in derived.items()}, **asked}
    return _assessment_write(dossier, scheme, all_scores, derived, given, _clean(comment, DOSSIER_COMMENT_MAX),
                             channel=channel, rater=rater, now=now)  # fmt: skip


def _assessment_write(dossier: Dossier, scheme: AssessmentScheme, scores: dict[int, int], derived: dict[int, Any],
                      answers: dict[str, str], comment: str, *, channel: str, rater: Any,
                      now: datetime) -> DossierAssessment:  # fmt: skip
    total = sum(scores.values())
    grade, _label = schemes.grade_for(scheme.definition, total)
    rater = rater if getattr(rater, "pk", None) else None
    try:
        with transaction.atomic():
            assessment = DossierAssessment.objects.create(
                dossier=dossier, scheme=scheme, scores={str(n): s for n, s in sorted(scores.items())},
                sources={str(n): "derived" if n in derived else "asked" for n in sorted(scores)}, total=total,
                grade=grade, answers=answers, overall=answers[schemes.overall_code(scheme.definition)],
                comment=comment, channel=channel, rater=rater, center_id=dossier.receiving_center_id,
                agency_id=dossier.competent_agency_id, procedure_id=dossier.procedure_id, at=now,
            )  # fmt: skip
            audit_log_write(actor=rater, action="feedback.dossier_assessment.given", obj=assessment,
                            center=dossier.receiving_center, now=now,
                            data={"dossier": dossier.code or "", "total": total, "grade": grade, "channel": channel})  # fmt: skip
    except IntegrityError as taken:
        raise _already_assessed(dossier) from taken
    return assessment
