"""Dossier intake at a counter (issue 4, ADR 0008 §7): from the citizen at the desk to the slip.

Step 1 finds the procedure among those this center receives; step 2 is one form whose three
buttons are the counter's three outcomes (accept, ask for a supplement, refuse). Every refusal
of a service comes back as the same form with everything typed still there and the service's
Vietnamese message on top. A one-time token makes a double click or a resent POST land on the
dossier the first click made instead of creating a second one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.backends import client_ip
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_search_summaries
from motcua.core.calendar import to_local
from motcua.dossiers import access
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierSlip
from motcua.dossiers.services import dossier_accept, dossier_refuse, dossier_request_reception_supplement
from motcua.queueing.errors import QueueingError
from motcua.queueing.models import Counter, Ticket
from motcua.queueing.services import ticket_walk_in

from . import selectors
from .dossier_intake_forms import OUTCOMES, IntakeForms, intake_forms, procedure_for_center
from .views import forbidden

log = logging.getLogger(__name__)
LOGIN_URL = reverse_lazy("console:login")
SEARCH_LIMIT = 12
TOKEN_SECONDS = 12 * 3600  # a form left open over lunch still submits once


# ---- guards ---------------------------------------------------------------------------------


def _counter_or_refusal(request: HttpRequest, pk: int) -> Counter | HttpResponse:
    """The counter, if the user may receive dossiers there and sits at it; else the page to show."""
    counter = selectors.counter_get_for_user(user=request.user, pk=pk)
    if counter is None or not access.can_receive_at(request.user, counter.center_id):
        if not Counter.objects.filter(pk=pk).exists():
            raise Http404
        return forbidden(request, _("Bạn không có quyền tiếp nhận hồ sơ tại quầy này."))
    if counter.officer_id != request.user.pk:
        messages.warning(
            request, _("Hãy vào làm việc tại quầy số %(n)s trước khi tiếp nhận hồ sơ.") % {"n": counter.number}
        )
        return redirect("console:counter", pk=counter.pk)
    return counter


def dossier_detail_url(dossier: Dossier) -> str | None:
    """The dossier page (built alongside, console:dossier_detail), or None while it does not exist."""
    try:
        return reverse("console:dossier_detail", kwargs={"pk": dossier.pk})
    except NoReverseMatch:
        return None


# ---- step 1: the citizen at the desk and the procedure ----------------------------------------


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    counter = _counter_or_refusal(request, pk)
    if isinstance(counter, HttpResponse):
        return counter
    ticket = selectors.counter_current_ticket(counter=counter)
    if ticket is None and request.method != "POST":
        return _no_ticket(request, counter)
    code = (request.POST.get("procedure") or request.GET.get("thu_tuc") or "").strip()
    if not code:
        return _search(request, counter, ticket)
    try:
        procedure, version = procedure_for_center(code, counter.center)
    except Procedure.DoesNotExist:
        return _search(request, counter, ticket, problem=_("Không tìm thấy thủ tục %(code)s.") % {"code": code})
    except DossierError as refusal:
        return _search(request, counter, ticket, problem=str(refusal.message))
    initial = {"token": uuid.uuid4().hex, "ticket": ticket.pk if ticket else None, **verified_applicant(ticket)}
    forms = intake_forms(procedure, version, data=request.POST if request.method == "POST" else None,
                         initial=initial, today=to_local(timezone.now()).date())  # fmt: skip
    if request.method == "POST":
        return _submit(request, counter, ticket, forms)
    return _form_page(request, counter, ticket, forms)


def verified_applicant(ticket: Ticket | None) -> dict[str, str]:
    """The applicant as the kiosk verified them (face against the ID card's chip), if they did:
    the officer confirms instead of typing (issue 5)."""
    try:
        identity = ticket.identity if ticket is not None else None  # type: ignore[union-attr]
    except ObjectDoesNotExist:
        return {}
    if identity is None:
        return {}
    return {"applicant_name": identity.full_name, "applicant_national_id": identity.national_id,
            "applicant_address": identity.address}  # fmt: skip


def _no_ticket(request: HttpRequest, counter: Counter) -> HttpResponse:
    """Nobody at the desk: offer to record a walk-in first (every dossier belongs to a visit)."""
    queues = selectors.counter_waiting(counter=counter, business_date=to_local(timezone.now()).date())
    return render(request, "console/dossiers/intake_search.html", {
        "counter": counter, "ticket": None, "queues": [row.queue for row in queues],
    })  # fmt: skip


def _search(request: HttpRequest, counter: Counter, ticket: Ticket | None, problem: str = "") -> HttpResponse:
    if ticket is None:
        return _no_ticket(request, counter)
    query = request.GET.get("q", "").strip()[:200]
    count, results = procedure_search_summaries(query=query, center=counter.center.code, limit=SEARCH_LIMIT)
    context = {"counter": counter, "ticket": ticket, "query": query, "count": count, "results": results,
               "problem": problem}  # fmt: skip
    if request.GET.get("khung") == "1":  # the instant results of the search box, as HTML
        return render(request, "console/dossiers/intake_results.html", context)
    return render(request, "console/dossiers/intake_search.html", context)


@login_required(login_url=LOGIN_URL)
@require_POST
def walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the citizen without a number as served here, then open the intake for them."""
    counter = _counter_or_refusal(request, pk)
    if isinstance(counter, HttpResponse):
        return counter
    queue = selectors.queue_get_for_counter(counter=counter, pk=_int(request.POST.get("queue")))
    try:
        ticket = ticket_walk_in(counter=counter, officer=request.user, queue=queue, now=timezone.now())
    except QueueingError as refusal:
        messages.error(request, str(refusal.message))
        return redirect("console:dossier_intake", pk=counter.pk)
    messages.success(request, _("Đã ghi nhận công dân không có số với số %(code)s.") % {"code": ticket.code})
    return redirect("console:dossier_intake", pk=counter.pk)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---- step 2: the form and its three outcomes ------------------------------------------------


def _form_page(
    request: HttpRequest,
    counter: Counter,
    ticket: Ticket | None,
    forms: IntakeForms,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    snapshot = forms.version.snapshot
    context = {
        "counter": counter, "ticket": ticket, "forms": forms, "form": forms.form, "rows": forms.rows(),
        "fee_forms": forms.fees.forms, "procedure": forms.procedure, "snapshot": snapshot,
        "agency_name": forms.procedure.agency.name, "problem": " ".join(forms.problems) or problem,
        "outcome": request.POST.get("outcome", ""),
    }  # fmt: skip
    return render(request, "console/dossiers/intake_form.html", context, status=status)


def _token_key(request: HttpRequest, token: str) -> str:
    return f"console:dossier-intake:{request.user.pk}:{token}"


def _submit(request: HttpRequest, counter: Counter, ticket: Ticket | None, forms: IntakeForms) -> HttpResponse:
    outcome = request.POST.get("outcome", "")
    if ticket is None:  # finished meanwhile (another tab): keep what was typed, save nothing
        problem = _(
            "Quầy hiện không có công dân nào đang được phục vụ. Hồ sơ chưa được lưu: hãy mở màn hình quầy, "
            "gọi số hoặc ghi nhận công dân không có số, rồi mở lại Tiếp nhận hồ sơ."
        )
        return _form_page(request, counter, None, forms, problem, 409)
    if outcome not in OUTCOMES:
        return _form_page(request, counter, ticket, forms, _("Hãy chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối."), 400)
    if not forms.is_valid():
        return _form_page(request, counter, ticket, forms, _("Vui lòng kiểm tra lại các ô được đánh dấu đỏ."), 400)
    earlier = _earlier_submission(request, forms.form.cleaned_data["token"])
    if earlier is not None:
        return earlier
    problem = _stale_ticket(forms, ticket)
    if problem:
        _release(request, forms)
        return _form_page(request, counter, ticket, _with_ticket(forms, ticket), problem, 409)
    try:
        dossier = OUTCOME_SERVICES[outcome](request, counter, ticket, forms)
    except (DossierError, QueueingError) as refusal:
        _release(request, forms)
        return _form_page(request, counter, ticket, forms, str(refusal.message), 400)
    except Exception:
        _release(request, forms)  # nothing was saved (one transaction): let the officer try again
        raise
    cache.set(_token_key(request, forms.form.cleaned_data["token"]), dossier.pk, TOKEN_SECONDS)
    # No flash message: the result page says what happened, big, next to the slip.
    return redirect("console:dossier_intake_result", pk=dossier.pk)


def _earlier_submission(request: HttpRequest, token: str) -> HttpResponse | None:
    """None when this token is fresh (and now taken); else where its first submission went.

    `cache.add` is atomic (SET NX on Redis), so of two posts of one form exactly one goes on.
    """
    key = _token_key(request, token)
    if cache.add(key, "pending", TOKEN_SECONDS):
        return None
    done = cache.get(key)
    if isinstance(done, int):
        return redirect("console:dossier_intake_result", pk=done)
    response = HttpResponse(_("Hồ sơ này đang được lưu, vui lòng chờ trong giây lát."), status=409)
    response["Refresh"] = "2"
    return response


def _release(request: HttpRequest, forms: IntakeForms) -> None:
    cache.delete(_token_key(request, forms.form.cleaned_data["token"]))


def _stale_ticket(forms: IntakeForms, ticket: Ticket) -> str:
    """The citizen the form was opened for must still be the one at the desk."""
    shown = forms.form.cleaned_data.get("ticket")
    if shown == ticket.pk:
        return ""
    return _(
        "Quầy đang phục vụ số %(code)s, khác với số khi mở biểu mẫu. Hồ sơ chưa được lưu; "
        "hãy kiểm tra đúng công dân rồi bấm lại."
    ) % {"code": ticket.code}


def _with_ticket(forms: IntakeForms, ticket: Ticket) -> IntakeForms:
    data = forms.form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: the posted form
    data["ticket"] = str(ticket.pk)
    forms.form.data = data
    return forms


def _accept(request: HttpRequest, counter: Counter, ticket: Ticket, forms: IntakeForms) -> Dossier:
    return dossier_accept(officer=request.user, intake=forms.intake(), counter=counter, ticket=ticket,
                          ip=client_ip(request))  # fmt: skip


def _supplement(request: HttpRequest, counter: Counter, ticket: Ticket, forms: IntakeForms) -> Dossier:
    items = forms.supplement_items()
    reason = forms.form.cleaned_data["supplement_reason"]
    if not items:
        raise DossierError("console.supplement_items", _("Hãy đánh dấu “Cần bổ sung” ở các giấy tờ còn thiếu."))
    if not reason.strip():
        raise DossierError("console.supplement_reason", _("Vui lòng ghi lý do yêu cầu bổ sung."))
    return dossier_request_reception_supplement(
        officer=request.user, items=items, reason=reason, intake=forms.intake(), counter=counter, ticket=ticket,
        ip=client_ip(request),
    )  # fmt: skip


def _refuse(request: HttpRequest, counter: Counter, ticket: Ticket, forms: IntakeForms) -> Dossier:
    return dossier_refuse(officer=request.user, reason=forms.form.cleaned_data["refuse_reason"], intake=forms.intake(),
                          counter=counter, ticket=ticket, ip=client_ip(request))  # fmt: skip


OUTCOME_SERVICES: dict[str, Callable[[HttpRequest, Counter, Ticket, IntakeForms], Dossier]] = {
    "accept": _accept,
    "supplement": _supplement,
    "refuse": _refuse,
}


# ---- after the outcome: the result page and the slip ------------------------------------------


def _dossier_or_refusal(request: HttpRequest, dossier: Dossier) -> HttpResponse | None:
    if access.can_receive_at(request.user, dossier.receiving_center_id):
        return None
    return forbidden(request, _("Hồ sơ này được tiếp nhận tại trung tâm khác, bạn không có quyền xem."))


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def intake_result(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "procedure_version", "receiving_center", "competent_agency", "counter", "ticket"
        ),
        pk=pk,
    )
    refusal = _dossier_or_refusal(request, dossier)
    if refusal is not None:
        return refusal
    slip = dossier.slips.order_by("-created_at", "-id").first()
    return render(request, "console/dossiers/intake_result.html", {
        "dossier": dossier, "slip": slip, "snapshot": dossier.snapshot, "counter": dossier.counter,
        "detail_url": dossier_detail_url(dossier),
        "supplement": dossier.supplements.order_by("-requested_at").first(),
        "refusal_reason": (slip.payload.get("reason", "") if slip and slip.kind == DossierSlip.Kind.REFUSAL else ""),
    })  # fmt: skip


@login_required(login_url=LOGIN_URL)
@require_safe
def slip_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed paper, rendered from its frozen payload (a reprint is the same paper)."""
    slip = get_object_or_404(DossierSlip.objects.select_related("dossier"), pk=pk)
    refusal = _dossier_or_refusal(request, slip.dossier)
    if refusal is not None:
        return refusal
    try:
        from motcua.dossiers.slips import slip_pdf
    except ImportError:  # the slip renderer is built alongside; say so instead of failing
        return HttpResponse(_("Chưa in được phiếu: bộ tạo phiếu PDF chưa được cài đặt."), status=503)
    response = HttpResponse(slip_pdf(slip), content_type="application/pdf")
    name = f"{slip.kind}-{slip.dossier.code or slip.dossier.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response
