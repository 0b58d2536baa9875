"""The center's dossier log book (sổ theo dõi hồ sơ) as Excel, for a chosen period.

The form sits on the dossier desk; a bad period comes back to the desk with the dates kept and a
Vietnamese message; the file itself is built by `dossiers.logbook` (scoped and audited there).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from motcua.accounts.backends import client_ip
from motcua.core.forms import DATE_INPUT_FORMATS
from motcua.dossiers.errors import DossierError
from motcua.dossiers.logbook import logbook_xlsx

from .dossier_intake_desk import LOGIN_URL, reception_centers
from .views import forbidden

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366


class PeriodForm(forms.Form):
    tu_ngay = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_INPUT_FORMATS)
    den_ngay = forms.DateField(label=gettext_lazy("Đến ngày"), input_formats=DATE_INPUT_FORMATS)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and not (start <= end and (end - start).days < MAX_DAYS):
            raise forms.ValidationError(_("Khoảng thời gian không hợp lệ: “từ ngày” phải trước “đến ngày”, tối đa một năm."))
        return data


def _back(request: HttpRequest, code: str) -> HttpResponse:
    query = {"trung_tam": code, "tu_ngay": request.GET.get("tu_ngay", ""), "den_ngay": request.GET.get("den_ngay", "")}
    return redirect(reverse("console:reception_desk") + "?" + urlencode(query))


def _filename(code: str, start: date, end: date) -> str:
    return f"so-theo-doi-ho-so-{code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"


@login_required(login_url=LOGIN_URL)
@require_safe
def logbook_export(request: HttpRequest) -> HttpResponse:
    center = reception_centers(request.user).filter(code=request.GET.get("trung_tam", "")).first()
    if center is None:
        return forbidden(request, _("Bạn không có quyền xuất sổ theo dõi hồ sơ của nơi tiếp nhận này."))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return _back(request, center.code)
    start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
    try:
        data = logbook_xlsx(user=request.user, center=center, start=start, end=end,
                            ip=client_ip(request), now=timezone.now())  # fmt: skip
    except DossierError as refusal:
        messages.error(request, str(refusal.message))
        return _back(request, center.code)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(center.code, start, end)}"'
    return response
