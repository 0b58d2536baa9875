"""Late handling (rule 8): the apology letter with a new appointment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import ApologyLetter, Dossier


def dossier_issue_apology(*, officer: Any, dossier: Dossier, reason: str, new_due_at: datetime,
                          expected_version: int | None, ip: str | None = None,
                          now: datetime | None = None) -> ApologyLetter:  # fmt: skip
    """A leader of the competent or current agency apologises and sets a new appointment:
    `due_at` moves, `original_due_at` never does; at most APOLOGY_MAX_PER_DOSSIER; apology slip; notice."""
    raise NotImplementedError
