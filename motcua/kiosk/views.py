"""Smart Kiosk screens: home tiles, procedure look-up, and placeholders for what comes next.

Taking a queue number lives in `queue_views`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from motcua.catalog.selectors import procedure_get
from motcua.core.models import Center
from motcua.core.selectors import center_get
from motcua.portal import pages

# Tiles whose screens are not built yet: what they will do, said plainly to the citizen.
COMING_SOON = {
    "dang-ky-dvc": (
        _("Đăng ký dịch vụ công"),
        _("Chức năng đăng ký tài khoản dịch vụ công trực tuyến sẽ có trong bản cập nhật tới. "
          "Nhân viên bưu điện tại Trung tâm sẽ hỗ trợ quý khách."),
    ),
}  # fmt: skip


# On-screen keyboard. Search ignores diacritics, so plain letters (and Đ) are enough to type
# "chung thuc" and find "Chứng thực"; digits and the dot let people type a procedure code.
KEYBOARD_ROWS = ["1234567890", "QWERTYUIOP", "ASDFGHJKLĐ", "ZXCVBNM.-"]


def center_or_404(code: str) -> Center:
    center = center_get(code=code)
    if center is None:
        raise Http404(code)
    return center


@require_safe
def home(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    # The home screen is where the next citizen starts: nothing of the previous one stays.
    from .identity_views import identity_forget  # (imports this module)

    identity_forget(request)
    now = timezone.now()
    return render(request, "kiosk/home.html", {
        "center": center, "now": now, "reception_open": pages.reception_open(center, now),
    })  # fmt: skip


@require_safe
def search(request: HttpRequest, center_code: str) -> HttpResponse:
    center = center_or_404(center_code)
    page = pages.search_page(request.GET, center=center)
    return render(request, "kiosk/search.html", {"center": center, "page": page, "keyboard_rows": KEYBOARD_ROWS})


@require_safe
def detail(request: HttpRequest, center_code: str, code: str) -> HttpResponse:
    center = center_or_404(center_code)
    procedure = procedure_get(code=code)
    if procedure is None:
        raise Http404(code)
    context = pages.procedure_context(procedure, center=center, now=timezone.now())
    return render(request, "kiosk/detail.html", context | {"center": center})


@require_safe
def coming_soon(request: HttpRequest, center_code: str, feature: str) -> HttpResponse:
    center = center_or_404(center_code)
    if feature not in COMING_SOON:
        raise Http404(feature)
    title, message = COMING_SOON[feature]
    return render(request, "kiosk/coming_soon.html", {
        "center": center, "feature": feature, "title": title, "message": message,
    })  # fmt: skip
