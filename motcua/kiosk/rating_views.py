"""Đánh giá mức độ hài lòng at the Smart Kiosk and on the counter tablet (issue 6, ADR 0010).

- A served ticket: today's number by touch or scanner → three faces → quick reasons and a
  comment (optional; sent as is after a quiet spell) → thanks, then home.
- The counter tablet: a public page per counter that asks for the ticket finished there last
  (`ticket_for_rating`); it shows no personal data, only the ticket's code.
- A returned dossier: its code and the applicant's ID number, as in Tra cứu hồ sơ, then the
  portal's assessment form in kiosk layout. As there, a match leaves nothing in the session (the
  screen is shared): the form carries a signed, short-lived proof for that one dossier instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.models import Center
from motcua.dossiers.models import Dossier
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import Answer, DossierAssessment, TicketRating
from motcua.feedback.services import TICKET_COMMENT_MAX, ticket_find_for_rating, ticket_for_rating, ticket_rating_give
from motcua.portal import assessment_views as assess
from motcua.portal import dossier_views as public
from motcua.queueing.models import Counter, Ticket

from .dossier_views import CODE_KEYS, ID_KEYS
from .views import center_or_404

TICKET_FIELD = "so"
REASON_FIELD = "ly_do"
PROOF_FIELD = "xac_minh"
PROOF_MAX_AGE = 15 * 60
# The thanks screen goes home by itself; the comment screen sends the answer after a quiet spell.
THANKS_SECONDS = 8
COMMENT_SECONDS = 45
TABLET_POLL_SECONDS = 3
TABLET_SHOW_SECONDS = 60
DIGIT_KEYS = ["123", "456", "789"]
COMMENT_KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm,."]
# Quick reasons, by answer: one tap says what most people would type.
REASONS = {
    Answer.VERY_SATISFIED: [gettext_lazy("Cán bộ hướng dẫn tận tình"), gettext_lazy("Giải quyết nhanh"),
                            gettext_lazy("Thủ tục rõ ràng, dễ hiểu"), gettext_lazy("Nơi làm việc sạch sẽ, thoáng mát")],
    Answer.SATISFIED: [gettext_lazy("Cán bộ hướng dẫn tận tình"), gettext_lazy("Giải quyết nhanh"),
                       gettext_lazy("Chờ hơi lâu"), gettext_lazy("Nơi làm việc sạch sẽ, thoáng mát")],
    Answer.NOT_SATISFIED: [gettext_lazy("Chờ lâu"), gettext_lazy("Hướng dẫn chưa rõ ràng"),
                           gettext_lazy("Thái độ chưa niềm nở"), gettext_lazy("Phải đi lại nhiều lần")],
}  # fmt: skip


def _answers() -> list[tuple[str, str]]:
    return assess.answer_choices()


@require_safe
def rating_home(request: HttpRequest, center_code: str) -> HttpResponse:
    """The "Đánh giá" tile: a served ticket, or a returned dossier."""
    center = center_or_404(center_code)
    return render(request, "kiosk/rating_home.html", {"center": center})


# --- a served ticket ---------------------------------------------------------------------------


def _ticket_keys(center: Center) -> list[str]:
    """The digit pad and a row of the center's queue letters (B012 = queue B, number 12)."""
    letters = sorted({q.prefix.upper() for q in center.queues.filter(is_active=True) if q.prefix})
    return ["".join(letters)] if letters else []


def _find_page(request: HttpRequest, center: Center, *, typed: str = "", message: str = "",
               status: int = 200) -> HttpResponse:  # fmt: skip
    return render(request, "kiosk/rating_ticket_find.html", {
        "center": center, "typed": typed, "message": message, "digit_keys": DIGIT_KEYS,
        "letter_keys": _ticket_keys(center), "ticket_field": TICKET_FIELD,
    }, status=status)  # fmt: skip


@require_safe
def rating_ticket_find(request: HttpRequest, center_code: str) -> HttpResponse:
    """Today's ticket number by touch or scanner; `?so=B012` opens its faces."""
    center = center_or_404(center_code)
    typed = request.GET.get(TICKET_FIELD, "").strip().upper()[:16]
    if not typed:
        return _find_page(request, center)
    ticket = ticket_find_for_rating(center, typed, timezone.now())
    if ticket is None:
        message = _("Không tìm thấy số %(code)s trong ngày hôm nay. Vui lòng xem lại số in trên phiếu.") % {
            "code": typed
        }
        return _find_page(request, center, typed=typed, message=message, status=404)
    return redirect("kiosk:rating_ticket", center.code, ticket.code)


def _ticket_or_404(center: Center, code: str, now: datetime) -> Ticket:
    ticket = ticket_find_for_rating(center, code, now)
    if ticket is None or ticket.code != code:
        raise Http404(code)
    return ticket


def _refused(request: HttpRequest, center: Center, message: str, *, retry_url: str) -> HttpResponse:
    return render(request, "kiosk/rating_refused.html", {"center": center, "message": message,
                                                         "retry_url": retry_url}, status=409)  # fmt: skip


def _thanks(request: HttpRequest, center: Center, **extra: Any) -> HttpResponse:
    return render(request, "kiosk/rating_thanks.html", {"center": center, "seconds": THANKS_SECONDS, **extra})


def _comment(request: HttpRequest) -> str:
    if "skip" in request.POST:
        return ""
    reasons = [r.strip() for r in request.POST.getlist(REASON_FIELD) if r.strip()][:8]
    text = request.POST.get(assess.COMMENT_FIELD, "").strip()
    return "; ".join([*reasons, text] if text else reasons)[:TICKET_COMMENT_MAX]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rating_ticket(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    """The faces (GET), the reasons and comment (POST an answer), the rating (POST with `send`)."""
    center = center_or_404(center_code)
    now = timezone.now()
    ticket = _ticket_or_404(center, code, now)
    retry = f"{request.path.rsplit('/', 2)[0]}/"
    refusal = assess.ticket_refusal(ticket, now)
    if refusal:
        return _refused(request, center, refusal, retry_url=retry)
    answer = request.POST.get("answer", "") if request.method == "POST" else ""
    if answer not in Answer.values:
        return render(request, "kiosk/rating_ticket.html", {"center": center, "ticket": ticket, "answers": _answers()})
    if "send" not in request.POST:
        return render(request, "kiosk/rating_comment.html", {
            "center": center, "ticket": ticket, "answer": answer, "answer_label": Answer(answer).label,
            "reasons": [str(r) for r in REASONS[Answer(answer)]], "keys": COMMENT_KEYS, "seconds": COMMENT_SECONDS,
            "comment_max": TICKET_COMMENT_MAX,
        })  # fmt: skip
    try:
        ticket_rating_give(ticket=ticket, answer=answer, comment=_comment(request), channel=TicketRating.Channel.KIOSK,
                           now=now)  # fmt: skip
    except FeedbackRefused as refused:
        return _refused(request, center, str(refused.message), retry_url=retry)
    return _thanks(request, center, ticket_code=ticket.code)


# --- the counter tablet ------------------------------------------------------------------------


def _counter_or_404(center: Center, number: int) -> Counter:
    counter = Counter.objects.filter(center=center, number=number).first()
    if counter is None:
        raise Http404(str(number))
    return counter


def _tablet_state(center: Center, counter: Counter, now: datetime) -> dict[str, Any]:
    ticket = ticket_for_rating(center=center, counter=counter, now=now)
    if ticket is None:
        return {"ticket": None}
    return {"ticket": {"key": str(ticket.pk), "code": ticket.code}}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rating_tablet(request: HttpRequest, center_code: str, number: int) -> HttpResponse:
    """A tablet on the counter (no login): idle, or the ticket just finished here and three faces.

    A POST rates only the ticket the counter would show now, so the page cannot rate any other.
    """
    center = center_or_404(center_code)
    counter = _counter_or_404(center, number)
    now = timezone.now()
    if request.method == "POST":
        return _tablet_rate(request, center, counter, now)
    return render(request, "kiosk/rating_tablet.html", {
        "center": center, "counter": counter, "answers": _answers(), "state": _tablet_state(center, counter, now),
        "poll_seconds": TABLET_POLL_SECONDS, "show_seconds": TABLET_SHOW_SECONDS,
    })  # fmt: skip


def _tablet_rate(request: HttpRequest, center: Center, counter: Counter, now: datetime) -> JsonResponse:
    ticket = ticket_for_rating(center=center, counter=counter, now=now)
    if ticket is None or str(ticket.pk) != request.POST.get("key", ""):
        message = _("Lượt phục vụ này đã được đánh giá hoặc đã hết thời gian đánh giá.")
        return JsonResponse({"ok": False, "message": message}, status=409)
    try:
        ticket_rating_give(ticket=ticket, answer=request.POST.get("answer", ""), channel=TicketRating.Channel.TABLET,
                           now=now)  # fmt: skip
    except FeedbackRefused as refused:
        return JsonResponse({"ok": False, "code": refused.code, "message": str(refused.message)}, status=409)
    return JsonResponse({"ok": True, "message": _("Cảm ơn quý khách đã đánh giá!")})


@never_cache
@require_safe
def rating_tablet_state(request: HttpRequest, center_code: str, number: int) -> JsonResponse:
    center = center_or_404(center_code)
    return JsonResponse(_tablet_state(center, _counter_or_404(center, number), timezone.now()))


# --- a returned dossier ------------------------------------------------------------------------


@require_safe
def rating_dossier_find(request: HttpRequest, center_code: str) -> HttpResponse:
    """The dossier code by touch keyboard or the receipt's QR; `?ma=` opens the ID step."""
    center = center_or_404(center_code)
    typed = request.GET.get(public.CODE_FIELD, "")
    dossier = public.dossier_by_code(typed) if typed.strip() else None
    if dossier is not None:
        return redirect("kiosk:rating_dossier", center.code, dossier.code)
    return render(request, "kiosk/rating_dossier_find.html", {
        "center": center, "code_keys": CODE_KEYS, "code_field": public.CODE_FIELD,
        "typed": public.normalise_code(typed), "not_found": bool(typed.strip()),
    }, status=404 if typed.strip() else 200)  # fmt: skip


def _sign(dossier: Dossier) -> str:
    return signing.dumps(dossier.pk, salt="kiosk.rating.dossier")


def _proven(request: HttpRequest, dossier: Dossier) -> bool:
    try:
        pk = signing.loads(request.POST.get(PROOF_FIELD, ""), salt="kiosk.rating.dossier", max_age=PROOF_MAX_AGE)
    except signing.BadSignature:
        return False
    return bool(pk == dossier.pk)


def _dossier_page(request: HttpRequest, center: Center, dossier: Dossier, template: str, *, status: int = 200,
                  **extra: Any) -> HttpResponse:  # fmt: skip
    context = {"center": center, "dossier": dossier, "state": public.public_status(dossier, now=timezone.now()),
               "id_keys": ID_KEYS, "id_field": public.ID_FIELD, "proof_field": PROOF_FIELD, **extra}  # fmt: skip
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rating_dossier(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    """The ID keypad; a match answers with the form (this response only); the form sends with its proof."""
    center = center_or_404(center_code)
    dossier = public.dossier_by_code(code)
    if dossier is None or dossier.code != code:
        raise Http404(code)
    retry = f"{request.path.rsplit('/', 2)[0]}/"
    if DossierAssessment.objects.filter(dossier=dossier).exists():
        return _refused(request, center, _("Hồ sơ %(code)s đã được đánh giá. Cảm ơn quý khách.") % {"code": code},
                        retry_url=retry)  # fmt: skip
    if dossier.status != Dossier.Status.RETURNED:
        return _refused(request, center, _("Hồ sơ chưa trả kết quả nên chưa thể đánh giá. Quý khách có thể đánh "
                                           "giá sau khi nhận kết quả."), retry_url=retry)  # fmt: skip
    if request.method == "POST" and _proven(request, dossier):
        return _dossier_submit(request, center, dossier)
    if request.method != "POST":
        return _dossier_page(request, center, dossier, "kiosk/rating_dossier_verify.html")
    return _dossier_verify(request, center, dossier)


def _dossier_verify(request: HttpRequest, center: Center, dossier: Dossier) -> HttpResponse:
    typed = request.POST.get(public.ID_FIELD, "")[:40]
    outcome = public.check_applicant(request, dossier, typed)
    if outcome is public.Check.MATCHED:
        return _dossier_form(request, center, dossier, assess.assessment_form(dossier, now=timezone.now()))
    status = 429 if outcome is public.Check.THROTTLED else 200
    return _dossier_page(request, center, dossier, "kiosk/rating_dossier_verify.html", status=status,
                         message=public.check_message(outcome),
                         typed_id="" if outcome is public.Check.THROTTLED else typed.strip())  # fmt: skip


def _dossier_form(request: HttpRequest, center: Center, dossier: Dossier, form: assess.AssessmentForm, *,
                  status: int = 200) -> HttpResponse:  # fmt: skip
    return _dossier_page(request, center, dossier, "kiosk/rating_dossier_form.html", status=status, form=form,
                         proof=_sign(dossier), idle_seconds=180, keys=COMMENT_KEYS)  # fmt: skip


def _dossier_submit(request: HttpRequest, center: Center, dossier: Dossier) -> HttpResponse:
    now = timezone.now()
    try:
        form = assess.assessment_form(dossier, now=now, data=request.POST)
    except FeedbackRefused as refused:
        return _refused(request, center, str(refused.message), retry_url=f"{request.path.rsplit('/', 2)[0]}/")
    assessment = assess.assessment_submit(form, dossier=dossier, channel=DossierAssessment.Channel.KIOSK, now=now)
    if assessment is None:
        return _dossier_form(request, center, dossier, form, status=400)
    return _thanks(request, center, done=assess.assessment_summary(assessment))
