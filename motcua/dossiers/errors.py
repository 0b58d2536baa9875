"""Domain errors of dossiers: a stable code for programs, a translated message for people."""

from __future__ import annotations

from django.utils.functional import Promise


class DossierError(Exception):
    """Base of every refusal raised by the dossier services (API: 422 unless said otherwise)."""

    status_code = 422

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


class DossierTransitionError(DossierError):
    """The dossier's status does not allow this change (the transition table says no)."""

    status_code = 409


class DossierConflict(DossierError):
    """Someone else changed the dossier since the officer loaded it (optimistic lock)."""

    status_code = 409


class DossierPermissionDenied(DossierError):
    """The user's roles do not reach this dossier or this action."""

    status_code = 403
