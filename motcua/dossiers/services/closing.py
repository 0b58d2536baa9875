"""Ending a dossier: return of the result (counter or post), withdrawal and stop (ADR 0008 §2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Dossier


def dossier_return_at_counter(*, officer: Any, dossier: Dossier, collected_by_name: str,
                              collected_by_national_id: str = "", authorisation: str = "", counter: Any = None,
                              expected_version: int | None, ip: str | None = None,
                              now: datetime | None = None) -> Dossier:  # fmt: skip
    """9 → 10 at a counter: who received it, on which authorisation."""
    raise NotImplementedError


def dossier_return_by_post(*, officer: Any, dossier: Dossier, tracking_number: str, expected_version: int | None,
                           ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """9 → 10 handed to the post with its tracking number."""
    raise NotImplementedError


def dossier_postal_status(*, officer: Any, dossier: Dossier, status: str, delivered: bool = False,
                          now: datetime | None = None) -> Dossier:  # fmt: skip
    """Record the post's status of a returned dossier (`dossier.postal_status_changed`, no status change)."""
    raise NotImplementedError


def dossier_withdraw(*, officer: Any, dossier: Dossier, reason: str, expected_version: int | None,
                     ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """1/2/4/5/6 → 7 at the citizen's request, only before a result is approved; stop notice slip."""
    raise NotImplementedError


def dossier_stop(*, officer: Any, dossier: Dossier, reason: str, expected_version: int | None,
                 ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """1/2/4/5/6 → 8, only before a result is approved; stop notice slip."""
    raise NotImplementedError
