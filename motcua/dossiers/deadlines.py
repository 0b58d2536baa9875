"""The deadline job (ADR 0008 §5): flag dossiers at risk, overdue, not forwarded in time, and
close those whose supplement deadline passed.

Run every few minutes (`manage.py dossier_deadlines`, a timer like `outbox_drain`). Each flag is
one conditional UPDATE (`… WHERE id=%s AND at_risk_at IS NULL AND due_at=%s`) in its own small
transaction, and only the worker whose UPDATE changed the row writes the history row: running
the job twice, or on several workers at once, flags nothing twice, with no global lock. The
`due_at` in the condition means a flag computed from a due time that an apology or a resumed
supplement has just moved is dropped rather than written. The flags do not touch `version`, so an
officer's open screen is not turned into a conflict by the job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.core.calendar import WorkingCalendar, calendar_for_center
from motcua.core.models import Center

from .errors import DossierError
from .models import Dossier, DossierEvent, SupplementRequest
from .services._common import Status, record

logger = logging.getLogger(__name__)


def running_statuses() -> tuple[int, ...]:
    """Statuses whose clock runs: 5 is paused (rule 7) and never flagged, 6 too when the
    deployment pauses the clock while the citizen pays (DOSSIER_PAUSE_IN_PAYMENT)."""
    if settings.MOTCUA.get("DOSSIER_PAUSE_IN_PAYMENT"):
        return (Status.ACCEPTED, Status.PROCESSING)
    return (Status.ACCEPTED, Status.PROCESSING, Status.AWAITING_PAYMENT)


@dataclass
class DeadlineRun:
    """What one run did (the command prints it)."""

    candidates: int = 0
    at_risk: int = 0
    overdue: int = 0
    forward_overdue: int = 0
    supplements_expired: int = 0

    def __str__(self) -> str:
        return (
            f"candidates={self.candidates} at_risk={self.at_risk} overdue={self.overdue} "
            f"forward_overdue={self.forward_overdue} supplements_expired={self.supplements_expired}"
        )

    @property
    def changed(self) -> int:
        return self.at_risk + self.overdue + self.forward_overdue + self.supplements_expired


def at_risk_window() -> timedelta:
    return timedelta(hours=settings.MOTCUA["DOSSIER_AT_RISK_WORKING_HOURS"])


class _Calendars:
    """One calendar per receiving center, built once per run."""

    def __init__(self) -> None:
        self._by_center: dict[int, WorkingCalendar] = {}

    def __call__(self, center_id: int) -> WorkingCalendar:
        if center_id not in self._by_center:
            self._by_center[center_id] = calendar_for_center(Center.objects.get(pk=center_id))
        return self._by_center[center_id]

    def horizon(self, now: datetime) -> datetime:
        """The latest due time any center could call at risk now: the query's upper bound.

        A due time after the close of the session where the window ends still has only the
        window's working time left, hence the next session's start.
        """
        latest = now
        for center in Center.objects.all():
            calendar = calendar_for_center(center)
            self._by_center[center.pk] = calendar
            latest = max(latest, calendar.next_session_start(calendar.add_working_time(now, at_risk_window())))
        return latest


def _flag(dossier: Dossier, field: str, action: str, now: datetime, **condition: Any) -> bool:
    """Set `field` to now if nobody has (one row changed), and only then write the history row."""
    with transaction.atomic():
        changed = Dossier.objects.filter(pk=dossier.pk, status=dossier.status, **{f"{field}__isnull": True},
                                         **condition).update(**{field: now})  # fmt: skip
        if changed != 1:
            return False
        data = {key: value.isoformat() for key, value in condition.items() if isinstance(value, datetime)}
        record(dossier, action, from_status=dossier.status, actor=None, actor_kind=DossierEvent.ActorKind.SYSTEM,
               at=now, data=data)  # fmt: skip
        return True


def _running_candidates(now: datetime, horizon: datetime) -> list[Dossier]:
    """Running dossiers due by `horizon` that still miss a flag (range read on (status, due_at))."""
    return list(
        Dossier.objects.filter(
            status__in=running_statuses(), due_at__isnull=False, due_at__lte=horizon, overdue_at__isnull=True
        )
        .filter(Q(at_risk_at__isnull=True) | Q(due_at__lte=now))
        .only("id", "status", "due_at", "receiving_center_id", "at_risk_at")
        .order_by()
    )


def _flag_running(dossier: Dossier, now: datetime, calendars: _Calendars, run: DeadlineRun) -> None:
    assert dossier.due_at is not None
    if dossier.due_at <= now:
        run.overdue += _flag(dossier, "overdue_at", "dossier.flagged_overdue", now, due_at=dossier.due_at)
        return
    remaining = calendars(dossier.receiving_center_id).working_time_between(now, dossier.due_at)
    if dossier.at_risk_at is None and remaining <= at_risk_window():
        run.at_risk += _flag(dossier, "at_risk_at", "dossier.flagged_at_risk", now, due_at=dossier.due_at)


def _flag_forwarding(now: datetime, run: DeadlineRun) -> None:
    """Paper still at the one-stop after its forwarding deadline (rule 5)."""
    late = Dossier.objects.filter(
        status=Status.ACCEPTED, forward_due_at__lte=now, forwarded_at__isnull=True, forward_overdue_at__isnull=True
    ).only("id", "status", "forward_due_at")
    for dossier in late.order_by():
        run.candidates += 1
        run.forward_overdue += _flag(dossier, "forward_overdue_at", "dossier.forward_overdue", now,
                                     forwarded_at__isnull=True, forward_due_at=dossier.forward_due_at)  # fmt: skip


def _expire_supplements(now: datetime, run: DeadlineRun) -> None:
    """5 → 8 for dossiers whose open supplement request's deadline passed (rule 10)."""
    from .services.processing import dossier_expire_supplement

    ids = SupplementRequest.objects.filter(
        stage=SupplementRequest.Stage.PROCESSING, received_at__isnull=True, expired_at__isnull=True,
        deadline_at__lte=now, dossier__status=Status.SUPPLEMENT_REQUESTED,
    ).values_list("dossier_id", flat=True)  # fmt: skip
    for dossier_id in list(ids):
        run.candidates += 1
        try:
            expired = dossier_expire_supplement(dossier=Dossier.objects.get(pk=dossier_id), now=now)
        except DossierError as error:  # changed meanwhile (received, withdrawn): nothing to close
            logger.info("supplement expiry of dossier %s skipped: %s", dossier_id, error.code)
            continue
        run.supplements_expired += expired is not None


def dossier_flag_deadlines(*, now: datetime | None = None) -> DeadlineRun:
    """One pass of the job; safe to run again or on several workers at the same time."""
    now = now or timezone.now()
    run = DeadlineRun()
    calendars = _Calendars()
    for dossier in _running_candidates(now, calendars.horizon(now)):
        run.candidates += 1
        _flag_running(dossier, now, calendars, run)
    _flag_forwarding(now, run)
    _expire_supplements(now, run)
    return run
