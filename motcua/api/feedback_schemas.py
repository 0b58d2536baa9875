"""Shapes of the feedback API (/api/v1/feedback/…, /api/v1/citizen/dossiers/{id}/assessment).

Nothing here names a person: a ticket is shown by its code, a counter by its number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from motcua.feedback.models import AssessmentScheme, DossierAssessment, TicketRating
from motcua.queueing.models import Ticket

AnswerValue = Literal["very_satisfied", "satisfied", "not_satisfied"]
MAX_ID = 2**63 - 1
TicketId = Annotated[int, Field(ge=1, le=MAX_ID)]
TicketCode = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^\s*[A-Za-z]{0,4}[0-9]{1,6}\s*$")]


# --- requests ----------------------------------------------------------------------------------


class TicketRatingIn(Schema):
    ticket: TicketId | TicketCode = Field(
        description='Số thứ tự cần đánh giá: id (số nguyên JSON) hoặc mã hôm nay dạng chuỗi ("B012", "12")'
    )
    answer: AnswerValue = Field(description="Rất hài lòng / Hài lòng / Không hài lòng")
    comment: str = Field("", max_length=2000, description="Góp ý (lưu tối đa 500 ký tự)")


class AssessmentIn(Schema):
    scores: dict[Annotated[str, Field(pattern=r"^[0-9]{1,2}$")], int] = Field(
        default_factory=dict,
        description='Điểm 0/1/2 của các tiêu chí hỏi công dân (`derive: ask`), theo số tiêu chí: {"4": 2, …}. '
        "Điểm các tiêu chí tính từ hồ sơ không nhận từ đây.",
    )
    answers: dict[Annotated[str, Field(max_length=40)], AnswerValue] = Field(
        description='Câu trả lời từng câu hỏi của bộ tiêu chí: {"ease": "satisfied", "overall": …}'
    )
    comment: str = Field("", max_length=2000, description="Góp ý (lưu tối đa 1000 ký tự)")


# --- answers -----------------------------------------------------------------------------------


class TicketRef(Schema):
    id: int
    code: str
    counter: int | None = Field(description="Số quầy đã phục vụ")
    finished_at: datetime | None


class TicketRatingOut(Schema):
    id: int
    ticket: TicketRef
    answer: str
    comment: str
    channel: str
    at: datetime


class PendingRatingOut(Schema):
    ticket: TicketRef
    rate_until: datetime


class SchemeOut(Schema):
    code: str
    title: str
    legal_basis: str
    valid_from: date
    definition: dict[str, Any] = Field(description="Chỉ số, câu hỏi, câu trả lời, khoảng xếp loại (ADR 0010 §2)")


class DerivedScore(Schema):
    score: int
    source: str


class AssessmentOut(Schema):
    id: int
    dossier: str
    scheme: str
    scores: dict[str, int]
    sources: dict[str, str]
    total: int
    grade: str
    grade_label: str
    answers: dict[str, str]
    comment: str
    channel: str
    at: datetime


class AssessmentFormOut(Schema):
    """What the app needs to show the form: the scheme, the scores already known, or the assessment given."""

    can_assess: bool
    reason: str = Field(description="Vì sao chưa đánh giá được (rỗng khi được)")
    scheme: SchemeOut | None
    derived: dict[str, DerivedScore]
    assessment: AssessmentOut | None


def ticket_ref(ticket: Ticket) -> dict[str, Any]:
    counter = ticket.counter.number if ticket.counter_id and ticket.counter else None
    return {"id": ticket.pk, "code": ticket.code, "counter": counter, "finished_at": ticket.finished_at}


def rating_out(rating: TicketRating) -> dict[str, Any]:
    return {"id": rating.pk, "ticket": ticket_ref(rating.ticket), "answer": rating.answer, "comment": rating.comment,
            "channel": rating.channel, "at": rating.at}  # fmt: skip


def scheme_out(scheme: AssessmentScheme) -> dict[str, Any]:
    return {"code": scheme.code, "title": scheme.title, "legal_basis": scheme.legal_basis,
            "valid_from": scheme.valid_from, "definition": scheme.definition}  # fmt: skip


def assessment_out(assessment: DossierAssessment) -> dict[str, Any]:
    grades = assessment.scheme.definition.get("grades", [])
    label = next((str(g["label"]) for g in grades if g.get("grade") == assessment.grade), assessment.grade)
    return {
        "id": assessment.pk, "dossier": assessment.dossier.code or "", "scheme": assessment.scheme.code,
        "scores": assessment.scores, "sources": assessment.sources, "total": assessment.total,
        "grade": assessment.grade, "grade_label": label, "answers": assessment.answers,
        "comment": assessment.comment, "channel": assessment.channel, "at": assessment.at,
    }  # fmt: skip
