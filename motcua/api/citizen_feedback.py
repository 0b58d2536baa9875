"""The citizen app's assessment of a dossier (/api/v1/citizen/dossiers/{id}/assessment).

Mounted by the citizen API under `/citizen` (its own Router, citizen bearer tokens). The dossier
is looked up through the online selectors, which filter by the citizen in the query: another
citizen's dossier answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja import Status as Answer

from motcua.dossiers.models import Dossier
from motcua.feedback import services
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import DossierAssessment
from motcua.online import selectors

from . import feedback_schemas as schemas
from .citizen_auth import CITIZEN, Id, citizen_of
from .errors import ApiError, not_found

router = Router(tags=["citizen"], auth=CITIZEN)


def _mine(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors.dossier_for_citizen(citizen_of(request), pk)
    except Dossier.DoesNotExist as missing:
        raise not_found(_("Không tìm thấy hồ sơ này trong tài khoản của bạn.")) from missing


def _given(dossier: Dossier) -> DossierAssessment | None:
    return DossierAssessment.objects.select_related("scheme", "dossier").filter(dossier=dossier).first()


def _form(dossier: Dossier) -> dict[str, Any]:
    given = _given(dossier)
    if given is not None:
        return {"can_assess": False, "reason": _("Hồ sơ đã được đánh giá."), "scheme": schemas.scheme_out(given.scheme),
                "derived": {}, "assessment": schemas.assessment_out(given)}  # fmt: skip
    if dossier.status != Dossier.Status.RETURNED:
        return {"can_assess": False, "reason": _("Chỉ đánh giá được hồ sơ đã trả kết quả."), "scheme": None,
                "derived": {}, "assessment": None}  # fmt: skip
    now = timezone.now()
    try:
        scheme = services.scheme_at(now)
    except FeedbackRefused as error:
        return {"can_assess": False, "reason": str(error.message), "scheme": None, "derived": {}, "assessment": None}
    derived = services.assessment_prefill(dossier, now=now, scheme=scheme)
    return {"can_assess": True, "reason": "", "scheme": schemas.scheme_out(scheme),
            "derived": {str(n): d for n, d in derived.items()}, "assessment": None}  # fmt: skip


@router.get("/dossiers/{dossier_id}/assessment", response=schemas.AssessmentFormOut,
            summary="Phiếu đánh giá hồ sơ của tôi",
            description="Bộ tiêu chí đang áp dụng và điểm các tiêu chí tính sẵn từ hồ sơ (thời gian giải quyết, "
                        "số lần bổ sung), hoặc đánh giá đã gửi.")  # fmt: skip
def assessment_form(request: HttpRequest, dossier_id: Id) -> dict[str, Any]:
    return _form(_mine(request, dossier_id))


@router.post("/dossiers/{dossier_id}/assessment", response={201: schemas.AssessmentOut},
             summary="Đánh giá việc giải quyết hồ sơ",
             description="Một lần cho mỗi hồ sơ, sau khi đã trả kết quả. `scores`: điểm 0/1/2 các tiêu chí hỏi công "
                         "dân; `answers`: câu trả lời mọi câu hỏi. Từ chối: 409 `not_returned`, `already_assessed`, "
                         "`invalid_score`, `missing_answer`, `invalid_answer`.")  # fmt: skip
def assessment_give(request: HttpRequest, dossier_id: Id, body: schemas.AssessmentIn) -> Answer[dict[str, Any]]:
    dossier = _mine(request, dossier_id)
    try:
        assessment = services.dossier_assessment_give(
            dossier=dossier, scores=dict(body.scores), answers=dict(body.answers), comment=body.comment,
            channel=DossierAssessment.Channel.APP, rater=citizen_of(request),
        )  # fmt: skip
    except FeedbackRefused as error:
        raise ApiError(409, error.code, str(error.message)) from error
    return Answer(201, schemas.assessment_out(assessment))
