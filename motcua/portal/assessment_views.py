"""Citizens rate the service (issue 6, ADR 0010 §1–2): a returned dossier's assessment on the portal
and behind the result notice's link, and the phone ticket page's three buttons.

The assessment form is built from the scheme in force (`feedback.services.scheme_at`): the
indicators the dossier's history gives are shown filled in with their explanation, those marked
`"derive": "ask"` become one radio group each, then the subjective questions and a comment. The
kiosk (`kiosk/rating_views.py`) uses the same form in its own layout.

Access: "Hồ sơ của tôi" through the online app's `dossier_for_citizen` (another citizen's dossier
is a 404); the public link through the tracking page's ID-number proof, its throttling and audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.dossiers.models import Dossier
from motcua.feedback import schemes
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import Answer, AssessmentScheme, DossierAssessment, TicketRating
from motcua.feedback.services import (
    DOSSIER_COMMENT_MAX,
    TICKET_COMMENT_MAX,
    assessment_prefill,
    dossier_assessment_give,
    rating_window,
    scheme_at,
    ticket_rating_give,
)
from motcua.online import selectors as online_selectors
from motcua.online.access import citizen_required, not_found
from motcua.queueing.models import Ticket
from motcua.queueing.selectors import ticket_get_by_token

from . import dossier_views as public
from . import ticket_views

SCORE_PREFIX = "chi_so_"
ANSWER_PREFIX = "cau_"
COMMENT_FIELD = "gop_y"
SUBMIT_FIELD = "gui_danh_gia"


# --- the form, from the scheme ------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class Asked:
    """One radio group: an asked indicator (scores 2/1/0) or a subjective question (answers)."""

    number: int
    label: str
    name: str
    choices: list[Choice]
    error: str = ""
    points: bool = True  # an indicator: the choices are worth 2/1/0 points


@dataclass
class Derived:
    number: int
    label: str
    score: int
    explanation: str


@dataclass
class AssessmentForm:
    scheme: AssessmentScheme
    derived: list[Derived]
    asked: list[Asked]
    questions: list[Asked]
    comment: str = ""
    comment_max: int = DOSSIER_COMMENT_MAX
    message: str = ""  # a refusal of the service, above the form
    errors: list[Asked] = field(default_factory=list)

    @property
    def derived_total(self) -> int:
        return sum(d.score for d in self.derived)


def _derived(dossier: Dossier, scheme: AssessmentScheme, now: datetime) -> list[Derived]:
    prefill = assessment_prefill(dossier, now=now, scheme=scheme)
    rows = []
    for item in scheme.definition["indicators"]:
        given = prefill.get(int(item["number"]))
        if given is not None:
            score = int(given["score"])
            rows.append(Derived(int(item["number"]), item["label"], score, item["scores"][str(score)]))
    return rows


def _asked(definition: dict[str, Any], data: QueryDict | None) -> list[Asked]:
    rows = []
    for item in definition["indicators"]:
        if item["derive"] != "ask":
            continue
        name = f"{SCORE_PREFIX}{item['number']}"
        picked = data.get(name, "") if data is not None else ""
        choices = [Choice(s, item["scores"][s], picked == s) for s in ("2", "1", "0")]
        rows.append(Asked(int(item["number"]), item["label"], name, choices))
    return rows


def _questions(definition: dict[str, Any], data: QueryDict | None) -> list[Asked]:
    rows = []
    for position, question in enumerate(definition["questions"], start=1):
        name = f"{ANSWER_PREFIX}{question['code']}"
        picked = data.get(name, "") if data is not None else ""
        choices = [Choice(str(a["value"]), str(a["label"]), picked == a["value"]) for a in definition["answers"]]
        number = int(question.get("number") or len(definition["indicators"]) + position)
        rows.append(Asked(number, question["label"], name, choices, points=False))
    return rows


def assessment_form(dossier: Dossier, *, now: datetime, data: QueryDict | None = None) -> AssessmentForm:
    """The form for `dossier` under the scheme in force (FeedbackRefused "no_scheme" if none)."""
    scheme = scheme_at(now)
    definition = scheme.definition
    form = AssessmentForm(scheme, _derived(dossier, scheme, now), _asked(definition, data),
                          _questions(definition, data))  # fmt: skip
    if data is not None:
        form.comment = data.get(COMMENT_FIELD, "")[:DOSSIER_COMMENT_MAX]
    return form


def assessment_check(form: AssessmentForm) -> bool:
    """Marks each unanswered group with a plain message; True when every group has an answer."""
    for group in form.asked + form.questions:
        if not any(c.checked for c in group.choices):
            group.error = _("Vui lòng chọn một mức cho tiêu chí %(n)s.") % {"n": group.number} if group.points \
                else _("Vui lòng chọn một câu trả lời cho câu %(n)s.") % {"n": group.number}  # fmt: skip
    form.errors = [g for g in form.asked + form.questions if g.error]
    return not form.errors


def assessment_submit(form: AssessmentForm, *, dossier: Dossier, channel: str, rater: Any = None,
                      now: datetime) -> DossierAssessment | None:  # fmt: skip
    """Gives the assessment the form holds; None (and the form marked) when it is incomplete or refused."""
    if not assessment_check(form):
        return None
    scores = {g.number: int(next(c.value for c in g.choices if c.checked)) for g in form.asked}
    answers = {
        g.name.removeprefix(ANSWER_PREFIX): next(c.value for c in g.choices if c.checked) for g in form.questions
    }
    try:
        return dossier_assessment_give(dossier=dossier, scores=scores, answers=answers, comment=form.comment,
                                       channel=channel, rater=rater, now=now)  # fmt: skip
    except FeedbackRefused as refused:
        form.message = str(refused.message)
        return None


@dataclass
class ScoreRow:
    number: int
    label: str
    score: int
    explanation: str
    derived: bool


def assessment_summary(assessment: DossierAssessment) -> dict[str, Any]:
    """What an assessment said, read back under the scheme it was given under."""
    definition = assessment.scheme.definition
    rows = []
    for item in definition["indicators"]:
        key = str(item["number"])
        if key in assessment.scores:
            score = int(assessment.scores[key])
            rows.append(ScoreRow(int(key), item["label"], score, item["scores"][str(score)],
                                 assessment.sources.get(key) == "derived"))  # fmt: skip
    labels = {str(a["value"]): str(a["label"]) for a in definition["answers"]}
    answers = [(q["label"], labels.get(assessment.answers.get(q["code"], ""), "")) for q in definition["questions"]]
    return {
        "assessment": assessment, "rows": rows, "answers": answers, "max_score": definition["max_score"],
        "grade_label": schemes.grade_for(definition, assessment.total)[1],
    }  # fmt: skip


def assessment_of(dossier: Dossier) -> DossierAssessment | None:
    return DossierAssessment.objects.select_related("scheme").filter(dossier=dossier).first()


# --- the portal pages ---------------------------------------------------------------------------


def _page(request: HttpRequest, dossier: Dossier, *, frame: dict[str, Any], status: int = 200,
          **extra: Any) -> HttpResponse:  # fmt: skip
    context = {"dossier": dossier, "state": public.public_status(dossier, now=timezone.now()), **frame, **extra}
    return render(request, "portal/assessment.html", context, status=status)


def _refusal(dossier: Dossier) -> str:
    if dossier.status != Dossier.Status.RETURNED:
        return _("Hồ sơ chưa trả kết quả nên chưa thể đánh giá. Quý khách có thể đánh giá sau khi nhận kết quả.")
    return ""


def _assess(request: HttpRequest, dossier: Dossier, *, channel: str, rater: Any, frame: dict[str, Any]) -> HttpResponse:
    """The read-only assessment, a refusal, or the form (sent: the thanks, or the form again)."""
    done = assessment_of(dossier)
    if done is not None:
        return _page(request, dossier, frame=frame, done=assessment_summary(done),
                     thanks=request.GET.get("cam-on") == "1")  # fmt: skip
    refusal = _refusal(dossier)
    if refusal:
        return _page(request, dossier, frame=frame, refusal=refusal, status=409)
    now = timezone.now()
    try:
        sent = request.method == "POST" and SUBMIT_FIELD in request.POST
        form = assessment_form(dossier, now=now, data=request.POST if sent else None)
    except FeedbackRefused as refused:
        return _page(request, dossier, frame=frame, refusal=str(refused.message), status=409)
    if sent and assessment_submit(form, dossier=dossier, channel=channel, rater=rater, now=now):
        return redirect(request.path + "?cam-on=1")
    if form.message and assessment_of(dossier) is not None:  # assessed meanwhile, elsewhere
        return _page(request, dossier, frame=frame, done=assessment_summary(assessment_of(dossier)))  # type: ignore[arg-type]
    return _page(request, dossier, frame=frame, form=form, status=200 if not sent or not form.errors else 400)


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_assessment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Hồ sơ của tôi → Đánh giá hồ sơ: the owner only, channel portal."""
    try:
        dossier = online_selectors.dossier_for_citizen(request.user, pk)
    except Dossier.DoesNotExist:
        return not_found(request, _("Không tìm thấy hồ sơ này trong tài khoản của bạn."))
    frame = {"base": "online/base.html", "back_url": reverse("portal:my_dossier", args=[dossier.pk]),
             "action": request.path, "tab": "dossiers"}  # fmt: skip
    return _assess(request, dossier, channel=DossierAssessment.Channel.PORTAL, rater=request.user, frame=frame)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def public_assessment(request: HttpRequest, code: str) -> HttpResponseBase:
    """The result notice's link: the applicant's ID number first (the tracking page's proof), channel link."""
    dossier = public.dossier_by_code(code)
    if dossier is None:
        return render(request, "portal/assessment_not_found.html", {"typed": code[:80]}, status=404)
    if dossier.code != code:
        return redirect("portal:assessment_public", code=dossier.code)
    frame = {"base": "portal/assessment_public_base.html", "back_url": reverse("portal:dossier_track", args=[code]),
             "action": request.path, "public": True}  # fmt: skip
    now = timezone.now()
    if public.proof_until(request, dossier, now=now) is None:
        return _prove(request, dossier, frame=frame, now=now)
    rater = request.user if request.user.is_authenticated else None
    return _assess(request, dossier, channel=DossierAssessment.Channel.LINK, rater=rater, frame=frame)


def _prove(request: HttpRequest, dossier: Dossier, *, frame: dict[str, Any], now: datetime) -> HttpResponse:
    refusal = _refusal(dossier)
    if refusal:
        return _page(request, dossier, frame=frame, refusal=refusal, status=409)
    if request.method != "POST" or public.ID_FIELD not in request.POST:
        return _page(request, dossier, frame=frame, prove=True, id_field=public.ID_FIELD)
    typed = request.POST.get(public.ID_FIELD, "")[:40]
    outcome = public.check_applicant(request, dossier, typed)
    if outcome is public.Check.MATCHED:
        public.grant_proof(request, dossier, now=now)
        return redirect("portal:assessment_public", code=dossier.code)
    status = 429 if outcome is public.Check.THROTTLED else 200
    return _page(request, dossier, frame=frame, prove=True, id_field=public.ID_FIELD, status=status,
                 message=public.check_message(outcome),
                 typed_id="" if outcome is public.Check.THROTTLED else typed.strip())  # fmt: skip


# --- the phone ticket page's rating -------------------------------------------------------------


def ticket_refusal(ticket: Ticket, now: datetime) -> str:
    """Why this ticket cannot be rated now, in the service's words; "" when it can."""
    if ticket.status != Ticket.Status.DONE or ticket.finished_at is None:
        return _("Số %(code)s chưa được phục vụ xong, chưa thể đánh giá.") % {"code": ticket.code}
    if now > ticket.finished_at + rating_window():
        return _("Đã quá thời gian đánh giá lượt phục vụ của số %(code)s.") % {"code": ticket.code}
    if TicketRating.objects.filter(ticket=ticket).exists():
        return _("Lượt phục vụ của số %(code)s đã được đánh giá.") % {"code": ticket.code}
    return ""


def answer_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Answer.choices]


# No CSRF check: the page sends no referrer (the token is in its address), so browsers send
# `Origin: null`; and there is nothing for a forged request to borrow — no login, no session, the
# unguessable token in the address is the only credential, exactly as for reading the ticket.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ticket_rating(request: HttpRequest, token: str) -> HttpResponse:
    """`/so/<token>/danh-gia/`: the three buttons once the ticket is done (`?phan=1`: just the box,
    which the ticket page fetches when its ticket finishes), the thanks, or why not."""
    found = ticket_get_by_token(token=token)
    if found is None:
        return render(request, "portal/ticket_not_found.html", status=404)
    ticket = ticket_views._latest(found)
    now = timezone.now()
    context: dict[str, Any] = {"ticket": ticket, "token": token, "center": ticket.center,
                               "answers": answer_choices(), "comment_max": TICKET_COMMENT_MAX}  # fmt: skip
    if request.method == "POST":
        try:
            ticket_rating_give(ticket=ticket, answer=request.POST.get("answer", ""), channel=TicketRating.Channel.PHONE,
                               comment=request.POST.get(COMMENT_FIELD, ""), now=now)  # fmt: skip
            context["thanks"] = True
        except FeedbackRefused as refused:
            context["refusal"] = str(refused.message)
    else:
        context["refusal"] = ticket_refusal(ticket, now)
    if request.GET.get("phan") == "1":
        if context.get("refusal"):
            return HttpResponse(status=204)
        return render(request, "portal/assessment_ticket_box.html", context)
    return render(request, "portal/assessment_ticket.html", context, status=409 if context.get("refusal") else 200)
