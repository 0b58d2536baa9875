"""The dossier page: everything about one dossier, and the actions this user may take now.

Views are adapters (STYLE rule 7): the selector reads within the user's scope (and audits the
personal-data read), each action form posts the version the page showed, one service acts.
A lost optimistic lock reloads the page with who changed it; any other refusal keeps what the
officer typed and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.backends import client_ip
from motcua.accounts.models import Role, User
from motcua.core.calendar import to_local
from motcua.core.text import format_vnd
from motcua.dossiers import access, selectors, services
from motcua.dossiers.errors import DossierConflict, DossierError, DossierPermissionDenied
from motcua.dossiers.models import Dossier, DossierEvent, DossierResult, DossierStep
from motcua.dossiers.transitions import can_move

from . import dossier_work_forms as f
from .dossier_work import deadline_badge, may_work
from .selectors import counter_of_officer
from .views import forbidden

LOGIN_URL = reverse_lazy("console:login")
Status = Dossier.Status


# ---- the dossier as this user may act on it -----------------------------------------------


@dataclass
class Situation:
    """What the action rules need to know, read once per page."""

    user: Any
    dossier: Dossier
    result: DossierResult | None
    open_step: DossierStep | None
    next_step: DossierStep | None
    unpaid: list[Any]

    @property
    def reception(self) -> bool:
        return access.can_receive_at(self.user, self.dossier.receiving_center_id)

    @property
    def holder(self) -> bool:
        """An officer of the agency holding the dossier now (the processing services' rule)."""
        return access.can_work_at_agency(self.user, self.dossier.current_agency_id)

    @property
    def holder_leader(self) -> bool:
        return access.can_work_at_agency(self.user, self.dossier.current_agency_id, leader=True)

    @property
    def agency_leader(self) -> bool:
        """A leader of the holding or the competent agency (apology, stop)."""
        d = self.dossier
        return self.holder_leader or access.can_work_at_agency(self.user, d.competent_agency_id, leader=True)

    @property
    def working(self) -> bool:
        """In processing with no result yet: assigning and asking for papers still make sense."""
        return self.dossier.status == Status.PROCESSING and self.result is None

    def status_in(self, *statuses: int) -> bool:
        return self.dossier.status in statuses


def situation(user: Any, dossier: Dossier) -> Situation:
    steps = list(dossier.steps.all())
    current = next((s for s in steps if s.started_at and not s.handed_over_at), None)
    later = [s for s in steps if current and s.ordering > current.ordering]
    return Situation(
        user=user, dossier=dossier, result=_result(dossier), open_step=current, next_step=later[0] if later else None,
        unpaid=[fee for fee in dossier.fees.all() if not fee.paid],
    )  # fmt: skip


def _result(dossier: Dossier) -> DossierResult | None:
    try:
        return dossier.result
    except DossierResult.DoesNotExist:
        return None


def _endable(s: Situation, target: int) -> bool:
    """Withdrawal and stop end a dossier only before a result is approved (rule 10)."""
    return can_move(s.dossier.status, target) and s.result is None


def _may_apologise(s: Situation) -> bool:
    open_ = s.status_in(Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)
    room = s.dossier.apologies.count() < settings.MOTCUA["APOLOGY_MAX_PER_DOSSIER"]
    return open_ and s.agency_leader and s.dossier.due_at is not None and room


def _agency_officers(dossier: Dossier) -> list[Any]:
    agency = dossier.current_agency_id or dossier.competent_agency_id
    return list(
        User.objects.filter(
            is_active=True, roles__agency_id=agency, roles__role__in=(Role.AGENCY_OFFICER, Role.AGENCY_LEADER)
        )
        .distinct()
        .order_by("full_name", "username")
    )


# ---- the actions ----------------------------------------------------------------------------


@dataclass
class Act:
    """One posted action: who, on which dossier (as the page showed it), with what."""

    user: Any
    dossier: Dossier
    data: dict[str, Any]
    ip: str | None

    def common(self) -> dict[str, Any]:
        return {"officer": self.user, "dossier": self.dossier, "expected_version": self.data["expected_version"],
                "ip": self.ip}  # fmt: skip


@dataclass(frozen=True)
class Action:
    slug: str
    label: Promise
    form: type[forms.Form]
    run: Callable[[Act], Promise | str]
    allowed: Callable[[Situation], bool]
    style: str = "ghost"  # primary, ghost, danger
    hint: Promise | str = ""

    def build_form(self, s: Situation, data: Any = None, files: Any = None) -> forms.Form:
        extra: dict[str, Any] = {}
        if self.form is f.AssignForm:
            extra["officers"] = _agency_officers(s.dossier)
        if self.form is f.PaymentRecordForm:
            extra["fees"] = s.unpaid
        # Plain field names (each form posts to its own URL); ids made unique for the labels.
        return self.form(
            data, files, initial={"expected_version": s.dossier.version}, auto_id=f"{self.slug}-%s", **extra
        )

    @property
    def has_fields(self) -> bool:
        return self.form is not f.VersionForm


def _forward(act: Act) -> str:
    services.dossier_forward(**act.common())
    return _("Đã chuyển hồ sơ đến cơ quan xử lý.")


def _assign(act: Act) -> str:
    assignee = User.objects.get(pk=act.data["assignee"])
    services.dossier_assign(**act.common(), assignee=assignee)
    return _("Đã phân công %(name)s xử lý hồ sơ.") % {"name": assignee}


def _take(act: Act) -> str:
    services.dossier_assign(**act.common(), assignee=act.user)
    return _("Bạn đã nhận xử lý hồ sơ này.")


def _hand_over(act: Act) -> str:
    services.dossier_hand_over(**act.common(), note=act.data["note"])
    return _("Đã chuyển hồ sơ sang bước tiếp theo.")


def _supplement(act: Act) -> str:
    services.dossier_request_supplement(**act.common(), items=act.data["items"], reason=act.data["reason"])
    return _("Đã yêu cầu bổ sung hồ sơ; thời hạn giải quyết tạm dừng cho đến khi nhận đủ giấy tờ bổ sung.")


def _receive_supplement(act: Act) -> str:
    services.dossier_receive_supplement(**act.common(), note=act.data["note"])
    return _("Đã nhận hồ sơ bổ sung; thời hạn giải quyết được tính tiếp.")


def _request_payment(act: Act) -> str:
    services.dossier_request_payment(**act.common(), fees=act.data["fees"])
    return _("Đã yêu cầu công dân thực hiện nghĩa vụ tài chính.")


def _record_payment(act: Act) -> str:
    fee = act.dossier.fees.get(pk=act.data["fee"])
    services.dossier_record_payment(**act.common(), fee=fee, method=act.data["method"],
                                    receipt_number=act.data["receipt_number"])  # fmt: skip
    return _("Đã ghi nhận khoản thu “%(name)s”.") % {"name": fee.name}


def _approve(act: Act) -> str:
    services.dossier_approve_result(**act.common(), kind=act.data["kind"], document_number=act.data["document_number"],
                                    file=act.data.get("file"))  # fmt: skip
    return _("Đã phê duyệt kết quả giải quyết.")


def _ready(act: Act) -> str:
    services.dossier_mark_result_ready(**act.common())
    return _("Hồ sơ đã có kết quả, chờ trả cho công dân.")


def _apology(act: Act) -> str:
    services.dossier_issue_apology(**act.common(), reason=act.data["reason"], new_due_at=act.data["new_due_at"])
    return _("Đã lập văn bản xin lỗi và hẹn lại ngày trả kết quả.")


def _return_counter(act: Act) -> str:
    services.dossier_return_at_counter(
        **act.common(), collected_by_name=act.data["collected_by_name"],
        collected_by_national_id=act.data["collected_by_national_id"], authorisation=act.data["authorisation"],
        counter=counter_of_officer(user=act.user),
    )  # fmt: skip
    return _("Đã trả kết quả tại quầy.")


def _return_post(act: Act) -> str:
    services.dossier_return_by_post(**act.common(), tracking_number=act.data["tracking_number"])
    return _("Đã chuyển kết quả qua bưu chính.")


def _postal(act: Act) -> str:
    services.dossier_postal_status(**act.common(), status=act.data["status"], delivered=act.data["delivered"])
    return _("Đã cập nhật tình trạng bưu gửi.")


def _posted(s: Situation) -> bool:
    return s.status_in(Status.RETURNED) and _has_handover(s.dossier) and s.dossier.handover.method == "post"


def _withdraw(act: Act) -> str:
    services.dossier_withdraw(**act.common(), reason=act.data["reason"])
    return _("Đã ghi nhận công dân rút hồ sơ.")


def _stop(act: Act) -> str:
    services.dossier_stop(**act.common(), reason=act.data["reason"])
    return _("Đã dừng xử lý hồ sơ.")


ACTIONS: dict[str, Action] = {a.slug: a for a in (
    Action("chuyen-xu-ly", gettext_lazy("Chuyển cơ quan xử lý"), f.VersionForm, _forward, style="primary",
           allowed=lambda s: s.status_in(Status.ACCEPTED) and s.reception),
    Action("nhan-xu-ly", gettext_lazy("Nhận xử lý hồ sơ này"), f.VersionForm, _take, style="primary",
           allowed=lambda s: s.working and s.holder and s.dossier.assigned_to_id != s.user.pk),
    Action("phan-cong", gettext_lazy("Phân công chuyên viên"), f.AssignForm, _assign,
           allowed=lambda s: s.working and s.holder_leader),
    Action("chuyen-buoc", gettext_lazy("Chuyển bước tiếp theo"), f.NoteForm, _hand_over, style="primary",
           allowed=lambda s: s.status_in(Status.PROCESSING) and s.holder and s.next_step is not None,
           hint=gettext_lazy("Kết thúc bước đang xử lý và chuyển hồ sơ sang bước sau.")),
    Action("yeu-cau-bo-sung", gettext_lazy("Yêu cầu bổ sung hồ sơ"), f.SupplementForm, _supplement,
           allowed=lambda s: s.working and (s.holder or s.reception),
           hint=gettext_lazy("Thời hạn giải quyết tạm dừng cho đến khi công dân nộp đủ giấy tờ.")),
    Action("nhan-bo-sung", gettext_lazy("Nhận hồ sơ bổ sung"), f.NoteForm, _receive_supplement, style="primary",
           allowed=lambda s: s.status_in(Status.SUPPLEMENT_REQUESTED) and (s.reception or s.holder),
           hint=gettext_lazy("Thời hạn giải quyết được cộng thêm thời gian đã tạm dừng.")),
    Action("yeu-cau-nop-phi", gettext_lazy("Yêu cầu công dân nộp nghĩa vụ tài chính"), f.PaymentRequestForm, _request_payment,
           allowed=lambda s: s.status_in(Status.PROCESSING) and s.holder),
    Action("ghi-nhan-thu", gettext_lazy("Ghi nhận đã thu phí, lệ phí"), f.PaymentRecordForm, _record_payment,
           allowed=lambda s: bool(s.unpaid) and not s.dossier.is_final and (s.holder or s.reception)),
    Action("phe-duyet", gettext_lazy("Phê duyệt kết quả"), f.ResultForm, _approve, style="primary",
           allowed=lambda s: s.status_in(Status.PROCESSING, Status.AWAITING_PAYMENT) and s.result is None
           and s.holder_leader and s.next_step is None),
    Action("co-ket-qua", gettext_lazy("Xác nhận đã có kết quả"), f.VersionForm, _ready, style="primary",
           allowed=lambda s: s.status_in(Status.PROCESSING, Status.AWAITING_PAYMENT) and s.result is not None
           and (s.holder_leader or s.reception)),
    Action("tra-tai-quay", gettext_lazy("Trả kết quả tại quầy"), f.ReturnCounterForm, _return_counter, style="primary",
           allowed=lambda s: s.status_in(Status.RESULT_READY) and s.reception),
    Action("tra-buu-chinh", gettext_lazy("Trả kết quả qua bưu chính"), f.ReturnPostForm, _return_post,
           allowed=lambda s: s.status_in(Status.RESULT_READY) and s.reception),
    Action("buu-gui", gettext_lazy("Cập nhật tình trạng bưu gửi"), f.PostalStatusForm, _postal,
           allowed=lambda s: _posted(s) and s.reception),
    Action("xin-loi", gettext_lazy("Xin lỗi và hẹn lại ngày trả"), f.ApologyForm, _apology, allowed=_may_apologise),
    Action("rut-ho-so", gettext_lazy("Công dân rút hồ sơ"), f.ReasonForm, _withdraw, style="danger",
           allowed=lambda s: _endable(s, Status.WITHDRAWN) and s.reception),
    Action("dung-xu-ly", gettext_lazy("Dừng xử lý hồ sơ"), f.ReasonForm, _stop, style="danger",
           allowed=lambda s: _endable(s, Status.STOPPED) and (s.reception or s.agency_leader)),
)}  # fmt: skip


def actions_for(s: Situation) -> list[Action]:
    return [action for action in ACTIONS.values() if action.allowed(s)]


# ---- reading ------------------------------------------------------------------------------------

EVENT_LABELS = {
    "dossier.submitted": gettext_lazy("Nộp hồ sơ"),
    "dossier.supplement_uploaded": gettext_lazy("Công dân gửi giấy tờ bổ sung trực tuyến"),
    "dossier.reception_supplement_requested": gettext_lazy("Hướng dẫn bổ sung khi tiếp nhận"),
    "dossier.accepted": gettext_lazy("Tiếp nhận hồ sơ"),
    "dossier.refused": gettext_lazy("Từ chối tiếp nhận"),
    "dossier.forwarded": gettext_lazy("Chuyển cơ quan xử lý"),
    "dossier.assigned": gettext_lazy("Phân công xử lý"),
    "dossier.handed_over": gettext_lazy("Chuyển bước xử lý"),
    "dossier.supplement_requested": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "dossier.supplement_received": gettext_lazy("Nhận hồ sơ bổ sung"),
    "dossier.supplement_expired": gettext_lazy("Hết hạn bổ sung hồ sơ"),
    "dossier.payment_requested": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "dossier.payment_recorded": gettext_lazy("Hoàn thành nghĩa vụ tài chính"),
    "dossier.fee_recorded": gettext_lazy("Ghi nhận khoản thu"),
    "dossier.result_approved": gettext_lazy("Phê duyệt kết quả"),
    "dossier.result_ready": gettext_lazy("Có kết quả, chờ trả"),
    "dossier.returned": gettext_lazy("Trả kết quả"),
    "dossier.withdrawn": gettext_lazy("Công dân rút hồ sơ"),
    "dossier.stopped": gettext_lazy("Dừng xử lý"),
    "dossier.document_scanned": gettext_lazy("Số hóa giấy tờ"),
    "dossier.flagged_at_risk": gettext_lazy("Cảnh báo sắp đến hạn"),
    "dossier.flagged_overdue": gettext_lazy("Quá hạn giải quyết"),
    "dossier.forward_overdue": gettext_lazy("Chậm chuyển hồ sơ giấy"),
    "dossier.apology_issued": gettext_lazy("Xin lỗi và hẹn lại ngày trả"),
    "dossier.postal_status_changed": gettext_lazy("Cập nhật trạng thái bưu gửi"),
}


def _timeline(dossier: Dossier, steps: list[DossierStep]) -> list[dict[str, Any]]:
    names = {step.ordering: step.name for step in steps}
    events = dossier.events.select_related("actor", "agency").order_by("-at", "-id")
    return [
        {
            "event": e,
            "label": EVENT_LABELS.get(e.action, e.action),
            "who": _who(e),
            "detail": _detail(e, names),
            "note": e.reason or (e.data or {}).get("note", ""),
        }
        for e in events
    ]


def _detail(event: DossierEvent, steps: dict[int, str]) -> str:
    """The one fact that makes a history line useful (to whom, which steps, which receipt…)."""
    data = event.data or {}
    if event.action == "dossier.assigned" and data.get("assignee_name"):
        return _("cho %(name)s") % {"name": data["assignee_name"]}
    if event.action == "dossier.handed_over" and data.get("next_step") in steps:
        return f"{steps.get(data.get('step') or 0, '?')} → {steps[data['next_step']]}"
    if event.action in ("dossier.fee_recorded", "dossier.payment_recorded") and data.get("name"):
        return f"{data['name']}, {format_vnd(data.get('amount'))}"
    if event.action == "dossier.result_approved" and data.get("document_number"):
        return _("số %(number)s") % {"number": data["document_number"]}
    if event.action == "dossier.apology_issued" and data.get("new_due_at"):
        return _("hẹn mới %(due)s") % {"due": f"{to_local(datetime.fromisoformat(data['new_due_at'])):%H:%M %d/%m/%Y}"}
    if event.action == "dossier.returned" and data.get("method"):
        return str(Dossier.ReturnMethod(data["method"]).label).lower()
    return ""


def _who(event: DossierEvent) -> str:
    if event.actor is not None:
        return str(event.actor)
    return str(event.get_actor_kind_display())


def _context(request: HttpRequest, dossier: Dossier, bound: tuple[Action, forms.Form] | None = None) -> dict[str, Any]:
    s = situation(request.user, dossier)
    now = timezone.now()
    panel = [(action, bound[1] if bound and bound[0] is action else action.build_form(s)) for action in actions_for(s)]
    steps = list(dossier.steps.select_related("agency", "handed_by", "received_by"))
    agencies = {step.agency_id for step in steps}
    return {
        "dossier": dossier, "badge": deadline_badge(dossier, now), "now": now, "result": s.result,
        "open_step": s.open_step, "panel": panel, "open_action": bound[0].slug if bound else "",
        "documents": dossier.documents.all(), "fees": dossier.fees.all(), "timeline": _timeline(dossier, steps),
        "steps": steps, "step_agency": steps[0].agency if len(agencies) == 1 else None,
        "supplements": dossier.supplements.exclude(stage="reception").order_by("-requested_at"),
        "apologies": dossier.apologies.select_related("agency", "issued_by"),
        "handover": getattr(dossier, "handover", None) if _has_handover(dossier) else None,
        "slips": dossier.slips.exclude(kind="control_sheet"), "may_work": may_work(request.user),
    }  # fmt: skip


def _has_handover(dossier: Dossier) -> bool:
    try:
        dossier.handover  # noqa: B018 -- the reverse one-to-one raises when absent
    except Dossier.handover.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False
    return True


def _load(request: HttpRequest, pk: int, *, audit: bool = True) -> Dossier:
    try:
        return selectors.dossier_get_for_user(user=request.user, pk=pk, ip=client_ip(request), audit=audit)
    except Dossier.DoesNotExist as missing:
        raise Http404 from missing


def _denied(request: HttpRequest, error: DossierPermissionDenied | None = None) -> HttpResponse:
    message = error.message if error else _("Hồ sơ này không thuộc phạm vi của bạn.")
    return forbidden(request, str(message))


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = _load(request, pk)
    except DossierPermissionDenied as error:
        return _denied(request, error)
    return render(request, "console/dossiers/detail.html", _context(request, dossier))


@login_required(login_url=LOGIN_URL)
@require_POST
def dossier_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action of the panel: Post/Redirect/Get on success and on a lost lock; the page again,
    with the officer's inputs and the reason, on any other refusal."""
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    try:
        dossier = _load(request, pk, audit=False)
    except DossierPermissionDenied as error:
        return _denied(request, error)
    form = chosen.build_form(situation(request.user, dossier), request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, pk, chosen, form)
    try:
        done = chosen.run(Act(user=request.user, dossier=dossier, data=form.cleaned_data, ip=client_ip(request)))
    except DossierPermissionDenied as error:
        return _denied(request, error)
    except DossierConflict as error:
        messages.error(request, str(error.message))
        return redirect("console:dossier_detail", pk=pk)
    except DossierError as error:
        form.add_error(None, str(error.message))
        return _again(request, pk, chosen, form)
    messages.success(request, str(done))
    return redirect("console:dossier_detail", pk=pk)


def _again(request: HttpRequest, pk: int, action: Action, form: forms.Form) -> HttpResponse:
    """The page as it is now, the refused form open with what was typed (a file must be chosen again)."""
    dossier = _load(request, pk)
    if not action.allowed(situation(request.user, dossier)):
        # The action is no longer on the panel (the status moved on): say why at the top instead.
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return render(request, "console/dossiers/detail.html", _context(request, dossier, (action, form)), status=400)


# ---- papers -------------------------------------------------------------------------------------


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


def _file_name(dossier: Dossier, kind: str) -> str:
    return f"{kind}-{dossier.code or dossier.pk}.pdf".replace("/", "-")


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def dossier_control_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The control sheet as of now (Phiếu kiểm soát quá trình giải quyết hồ sơ)."""
    from motcua.dossiers.slips import control_sheet_pdf

    try:
        dossier = _load(request, pk, audit=False)
    except DossierPermissionDenied as error:
        return _denied(request, error)
    return _pdf(
        control_sheet_pdf(dossier, actor=request.user, now=timezone.now()), _file_name(dossier, "phieu-kiem-soat")
    )


@login_required(login_url=LOGIN_URL)
@require_safe
@never_cache
def dossier_result_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The approved result's file, from private storage, to those who may see the dossier."""
    try:
        dossier = _load(request, pk)
    except DossierPermissionDenied as error:
        return _denied(request, error)
    result = _result(dossier)
    if result is None or not result.file:
        raise Http404
    response = FileResponse(
        result.file.open("rb"), content_type="application/pdf", filename=_file_name(dossier, "ket-qua")
    )
    response["Cache-Control"] = "private, no-store"
    return response
