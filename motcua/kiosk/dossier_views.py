"""Tra cứu hồ sơ at the Smart Kiosk: the code by touch keyboard or QR scanner, the public status,
and the applicant's details after their ID number on a touch keypad.

The rules are the portal's (`portal/dossier_views.py`): the same public status, the same audited
and rate-limited check. One difference, because the kiosk is shared: a match shows the details on
that one response and leaves no proof in the session, so the next person at the screen (or the
back button) cannot reopen them; the idle timer then takes the screen home.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.models import Center
from motcua.dossiers.models import Dossier
from motcua.portal import dossier_views as public

from .views import center_or_404

# Letters, digits and the two separators of a dossier code (000.17.22.H56-260310-0001).
CODE_KEYS = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM.-"]
ID_KEYS = ["123", "456", "789"]
# Personal details on a shared screen: go home sooner than the other pages do.
DETAILS_IDLE_SECONDS = 60


def _lookup_page(request: HttpRequest, center: Center, *, typed: str = "", status: int = 200) -> HttpResponse:
    return render(request, "kiosk/dossier_lookup.html", {
        "center": center, "code_keys": CODE_KEYS, "typed": typed, "not_found": status == 404,
        "code_field": public.CODE_FIELD,
    }, status=status)  # fmt: skip


@require_safe
def dossier_lookup(request: HttpRequest, center_code: str) -> HttpResponse:
    """The code field; `?ma=` (typed, tapped or scanned) opens the dossier's status."""
    center = center_or_404(center_code)
    typed = request.GET.get(public.CODE_FIELD, "")
    if not typed.strip():
        return _lookup_page(request, center)
    dossier = public.dossier_by_code(typed)
    if dossier is None:
        return _lookup_page(request, center, typed=public.normalise_code(typed), status=404)
    return redirect("kiosk:dossier_status", center.code, dossier.code)


def _dossier_or_none(code: str) -> Dossier | None:
    dossier = public.dossier_by_code(code)
    return dossier if dossier is not None and dossier.code == code else None


@never_cache
@require_safe
def dossier_status(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    center = center_or_404(center_code)
    dossier = _dossier_or_none(code)
    if dossier is None:
        return _lookup_page(request, center, typed=public.normalise_code(code), status=404)
    return render(request, "kiosk/dossier_status.html", {
        "center": center, "dossier": dossier, "state": public.public_status(dossier, now=timezone.now()),
    })  # fmt: skip


def _verify_page(request: HttpRequest, center: Center, dossier: Dossier, *, message: str = "", typed: str = "",
                 status: int = 200) -> HttpResponse:  # fmt: skip
    return render(request, "kiosk/dossier_verify.html", {
        "center": center, "dossier": dossier, "state": public.public_status(dossier, now=timezone.now()),
        "id_keys": ID_KEYS, "id_field": public.ID_FIELD, "message": message, "typed_id": typed,
        "idle_seconds": DETAILS_IDLE_SECONDS,
    }, status=status)  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_verify(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    """The ID-number step; a match answers with the details, on this response only."""
    center = center_or_404(center_code)
    dossier = _dossier_or_none(code)
    if dossier is None:
        return _lookup_page(request, center, typed=public.normalise_code(code), status=404)
    if request.method != "POST":
        return _verify_page(request, center, dossier)
    typed = request.POST.get(public.ID_FIELD, "")[:40]
    outcome = public.check_applicant(request, dossier, typed)
    if outcome is public.Check.MATCHED:
        return render(request, "kiosk/dossier_details.html", {
            "center": center, "dossier": dossier, "state": public.public_status(dossier, now=timezone.now()),
            "details": public.details_for(dossier), "idle_seconds": DETAILS_IDLE_SECONDS,
        })  # fmt: skip
    status = 429 if outcome is public.Check.THROTTLED else 200
    kept = "" if outcome is public.Check.THROTTLED else typed.strip()
    return _verify_page(request, center, dossier, message=public.check_message(outcome), typed=kept, status=status)
