"""'Hồ sơ của tôi' (/tai-khoan/ho-so/…): the citizen's dossiers, their files and online supplements.

Only the owner: every page and download looks the dossier up through
`selectors.dossier_for_citizen`, which filters by the citizen in the query, so another
citizen's dossier or file is a 404. Every read of a dossier's details is audited (rule 20).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.services import audit_log_write
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.portal.dossier_views import public_status, result_downloadable, when

from . import selectors, services
from .access import citizen_required, ip_of, not_found
from .errors import OnlineError
from .forms import UploadForm
from .uploads import max_mb

READ_ACTION = "dossiers.dossier.personal_data_viewed"
CHANNEL_LABELS = {"email": gettext_lazy("Thư điện tử"), "sms": gettext_lazy("Tin nhắn SMS")}


def _audit(request: HttpRequest, dossier: Dossier, via: str) -> None:
    audit_log_write(actor=request.user, action=READ_ACTION, obj=dossier, center=dossier.receiving_center,
                    ip=ip_of(request), data={"via": via, "code": dossier.code or ""})  # fmt: skip


def _mine(request: HttpRequest, pk: int) -> Dossier | None:
    try:
        return selectors.dossier_for_citizen(request.user, pk)
    except Dossier.DoesNotExist:
        return None


def reference(dossier: Dossier) -> str:
    """The dossier's code once accepted; before that, its number in the system."""
    return dossier.code or _("Số tham chiếu %(pk)s") % {"pk": dossier.pk}


@citizen_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [(d, public_status(d, now=now), reference(d)) for d in selectors.dossiers_for_citizen(request.user)[:200]]
    drafts = selectors.drafts_for_citizen(request.user).count()
    return render(request, "online/my_dossiers.html", {"rows": rows, "draft_count": drafts, "tab": "dossiers"})


def _notices(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {"at": when(m.sent_at or m.created_at), "channel": str(CHANNEL_LABELS.get(m.channel, m.channel)),
         "subject": m.subject, "sent": m.status == m.Status.SENT}
        for m in selectors.notifications_for(dossier)[:50]
    ]  # fmt: skip


@citizen_required
@require_safe
def my_dossier(request: HttpRequest, pk: int) -> HttpResponseBase:
    dossier = _mine(request, pk)
    if dossier is None:
        return not_found(request, _("Không tìm thấy hồ sơ này trong tài khoản của bạn."))
    _audit(request, dossier, "citizen_portal")
    return render(request, "online/my_dossier.html", {
        "dossier": dossier, "state": public_status(dossier, now=timezone.now()), "reference": reference(dossier),
        "documents": list(dossier.documents.all()), "notices": _notices(dossier),
        "downloadable": result_downloadable(dossier), "supplement": services.open_supplement(dossier), "tab": "dossiers",
    })  # fmt: skip


def _suffix(path: str) -> str:
    found = re.search(r"\.[A-Za-z0-9]{1,8}$", path)
    return found.group(0).lower() if found else ""


@citizen_required
@require_safe
def my_dossier_result(request: HttpRequest, pk: int) -> HttpResponseBase:
    dossier = _mine(request, pk)
    if dossier is None or not result_downloadable(dossier):
        return not_found(request, _("Không có kết quả điện tử để tải."))
    _audit(request, dossier, "citizen_result_download")
    result = dossier.result
    name = f"ket-qua-{dossier.code or dossier.pk}{_suffix(result.file.name or '')}"
    return FileResponse(result.file.open("rb"), as_attachment=True, filename=name)


@citizen_required
@require_safe
def my_dossier_file(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    """A file of the citizen's own dossier (what they sent, or a supplement)."""
    try:
        line = selectors.scan_for_citizen(request.user, pk, document)
    except (Dossier.DoesNotExist, DossierDocument.DoesNotExist):  # absent or not theirs: the same 404
        return not_found(request)
    _audit(request, line.dossier, "citizen_file_download")
    return FileResponse(line.scan.open("rb"), as_attachment=True, filename=f"giay-to-{line.pk}{_suffix(line.scan.name or '')}")


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_dossier_supplement(request: HttpRequest, pk: int) -> HttpResponseBase:
    dossier = _mine(request, pk)
    if dossier is None:
        return not_found(request)
    supplement = services.open_supplement(dossier)
    if supplement is None:
        return redirect("portal:my_dossier", pk=dossier.pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    error, sent = "", None
    if request.method == "POST" and form.is_valid():
        error, sent = _send(request, dossier, form)
    items = services.supplement_items(supplement)
    sent_lines = dossier.documents.filter(supplement=supplement).exclude(scan="")
    return render(request, "online/supplement.html", {
        "dossier": dossier, "reference": reference(dossier), "supplement": supplement, "items": items,
        "sent_lines": sent_lines, "error": error, "sent": sent, "max_mb": max_mb(),
        "deadline": when(supplement.deadline_at), "chosen_item": request.POST.get("muc", ""),
    }, status=422 if error else 200)  # fmt: skip


def _send(request: HttpRequest, dossier: Dossier, form: UploadForm) -> tuple[str, Any]:
    upload = form.cleaned_data.get("file")
    item = request.POST.get("muc", "")
    if upload is None:
        return _("Vui lòng chọn tệp giấy tờ để gửi."), None
    if not item.isdigit():
        return _("Vui lòng chọn giấy tờ bạn đang gửi."), None
    try:
        line = services.supplement_upload(citizen=request.user, dossier=dossier, item=int(item), stream=upload,
                                          original_name=upload.name or "", ip=ip_of(request))  # fmt: skip
    except OnlineError as refused:
        return str(refused.message), None
    return "", line
