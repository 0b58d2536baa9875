"""Every write to a dossier (ADR 0008): one service per transition, each guarded by the table,
the optimistic lock and the caller's scope, each leaving a history row."""

from .intake import Applicant, FeeLine, Intake, ProvidedDocument
from .reception import (
    dossier_accept,
    dossier_refuse,
    dossier_request_reception_supplement,
    dossier_submit,
)

__all__ = [
    "Applicant",
    "FeeLine",
    "Intake",
    "ProvidedDocument",
    "dossier_accept",
    "dossier_refuse",
    "dossier_request_reception_supplement",
    "dossier_submit",
]
