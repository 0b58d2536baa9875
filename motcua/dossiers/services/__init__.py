"""Every write to a dossier (ADR 0008): one service per transition, each guarded by the table,
the optimistic lock and the caller's scope, each leaving a history row."""

from .closing import (
    dossier_postal_status,
    dossier_return_at_counter,
    dossier_return_by_post,
    dossier_stop,
    dossier_withdraw,
)
from .intake import Applicant, FeeLine, Intake, ProvidedDocument
from .late import dossier_issue_apology
from .processing import (
    dossier_approve_result,
    dossier_assign,
    dossier_expire_supplement,
    dossier_forward,
    dossier_hand_over,
    dossier_mark_result_ready,
    dossier_receive_supplement,
    dossier_record_payment,
    dossier_request_payment,
    dossier_request_supplement,
)
from .reception import (
    dossier_accept,
    dossier_add_supplement_document,
    dossier_refuse,
    dossier_request_reception_supplement,
    dossier_submit,
)

__all__ = [
    "dossier_approve_result",
    "dossier_assign",
    "dossier_expire_supplement",
    "dossier_forward",
    "dossier_hand_over",
    "dossier_issue_apology",
    "dossier_mark_result_ready",
    "dossier_postal_status",
    "dossier_receive_supplement",
    "dossier_record_payment",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_return_at_counter",
    "dossier_return_by_post",
    "dossier_stop",
    "dossier_withdraw",
    "Applicant",
    "FeeLine",
    "Intake",
    "ProvidedDocument",
    "dossier_accept",
    "dossier_add_supplement_document",
    "dossier_refuse",
    "dossier_request_reception_supplement",
    "dossier_submit",
]
