"""Work in the agencies (ADR 0008 §2, rows 2→4 … 6→9): forward, assign, hand over step by step,
supplement pause and resume, payment, result approval and readiness.

Every function: `@transaction.atomic`, fresh read, `access.ensure_*`, `_common.check` (version,
table, reason), `_common.claim`, `_common.record`, then side effects (slip, `notify`).
`expected_version` is the `Dossier.version` the officer's screen showed (None = don't check:
system callers only).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from ..models import Dossier, DossierFee, SupplementRequest


def dossier_forward(*, officer: Any, dossier: Dossier, expected_version: int | None, ip: str | None = None,
                    now: datetime | None = None) -> Dossier:  # fmt: skip
    """2 → 4: the one-stop hands the dossier to the first step's agency (starts step 1)."""
    raise NotImplementedError


def dossier_assign(*, officer: Any, dossier: Dossier, assignee: Any, expected_version: int | None,
                   ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4: a leader (or officer taking it for themselves) of the current agency assigns a specialist."""
    raise NotImplementedError


def dossier_hand_over(*, officer: Any, dossier: Dossier, expected_version: int | None, note: str = "",
                      ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4: finish the current step (classed early / on time / late) and start the next one,
    whose agency becomes `current_agency` (inter-agency when it differs)."""
    raise NotImplementedError


def dossier_request_supplement(*, officer: Any, dossier: Dossier, items: list[dict[str, Any]], reason: str,
                               expected_version: int | None, ip: str | None = None,
                               now: datetime | None = None) -> SupplementRequest:  # fmt: skip
    """4 → 5: the clock stops; supplement slip; citizen notified; deadline from the procedure."""
    raise NotImplementedError


def dossier_receive_supplement(*, officer: Any, dossier: Dossier, expected_version: int | None, note: str = "",
                               ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """5 → 4: due time, original due time and the current step's due time move by the paused working time."""
    raise NotImplementedError


def dossier_expire_supplement(*, dossier: Dossier, now: datetime | None = None) -> Dossier | None:
    """5 → 8 by the deadline job when the supplement deadline passed (None if someone else did it)."""
    raise NotImplementedError


def dossier_request_payment(*, officer: Any, dossier: Dossier, fees: list[tuple[str, Any]], expected_version: int | None,
                            ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 6: financial obligation (name, amount) lines to pay."""
    raise NotImplementedError


def dossier_record_payment(*, officer: Any, dossier: Dossier, fee: DossierFee, method: str, receipt_number: str,
                           expected_version: int | None, ip: str | None = None,
                           now: datetime | None = None) -> Dossier:  # fmt: skip
    """Record a fee as paid (event `dossier.fee_recorded`); in 6, once all are paid, 6 → 4."""
    raise NotImplementedError


def dossier_approve_result(*, officer: Any, dossier: Dossier, kind: str, document_number: str = "",
                           file: UploadedFile | None = None, expected_version: int | None, ip: str | None = None,
                           now: datetime | None = None) -> Dossier:  # fmt: skip
    """4 → 4 (or in 6): a leader of the current agency approves the result; electronic needs a file."""
    raise NotImplementedError


def dossier_mark_result_ready(*, officer: Any, dossier: Dossier, expected_version: int | None,
                              ip: str | None = None, now: datetime | None = None) -> Dossier:  # fmt: skip
    """4/6 → 9: needs an approved result (and from 6 a paid fee); records result_ready_at; notifies."""
    raise NotImplementedError
