"""The dossier state machine (ADR 0008 §2): one table of allowed moves, checked by every service.

The statuses are the national portal's codes, so this table is rule 10 of DOMAIN.md as data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import DossierTransitionError
from .models import Dossier

Status = Dossier.Status

# Stop and withdrawal are possible from every open status before a result exists (the service
# also refuses them once a result is approved, even in 4).
_STOPPABLE = (Status.WITHDRAWN, Status.STOPPED)

ALLOWED: dict[int, frozenset[int]] = {
    # 1 → 1 is the counter's "please complete your papers" (no code, no clock).
    Status.SUBMITTED: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.REFUSED, *_STOPPABLE}),
    Status.ACCEPTED: frozenset({Status.PROCESSING, *_STOPPABLE}),
    # 4 → 4: assignment, hand-over to the next step or agency, result approval.
    Status.PROCESSING: frozenset(
        {Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT, Status.RESULT_READY, *_STOPPABLE}
    ),
    Status.SUPPLEMENT_REQUESTED: frozenset({Status.PROCESSING, *_STOPPABLE}),
    Status.AWAITING_PAYMENT: frozenset({Status.PROCESSING, Status.RESULT_READY, *_STOPPABLE}),
    Status.RESULT_READY: frozenset({Status.RETURNED}),
    Status.REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.STOPPED: frozenset(),
    Status.RETURNED: frozenset(),
}

# Moves that need a written reason (rule 10).
REASON_REQUIRED = frozenset({Status.REFUSED, Status.SUPPLEMENT_REQUESTED, Status.WITHDRAWN, Status.STOPPED})


def can_move(current: int, target: int) -> bool:
    return target in ALLOWED.get(current, frozenset())


def ensure_can_move(dossier: Dossier, target: int) -> None:
    """Raise a translated error unless `dossier` may move to `target`."""
    if not can_move(dossier.status, target):
        raise DossierTransitionError(
            "dossier.invalid_transition",
            _("Hồ sơ %(code)s đang ở trạng thái “%(current)s”, không thể chuyển sang “%(target)s”.")
            % {"code": dossier, "current": Status(dossier.status).label, "target": Status(target).label},
        )
