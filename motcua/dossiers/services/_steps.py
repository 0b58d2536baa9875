"""The control sheet's steps (§1.2 row 5, rule 9): which one is open, starting and finishing them.

A dossier's steps are copied from the frozen version at acceptance; forwarding starts the
first, each hand-over finishes the open one and starts the next, and the result approval
finishes the last. The open step is the lowest-ordered one started and not handed over.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..models import Dossier, DossierStep
from ._timing import calendar_of, outcome, shifted, step_due_at


def all_steps(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.select_related("agency").order_by("ordering"))


def open_step(dossier: Dossier) -> DossierStep | None:
    return (
        dossier.steps.select_related("agency")
        .filter(started_at__isnull=False, handed_over_at__isnull=True)
        .order_by("ordering")
        .first()
    )


def step_after(dossier: Dossier, step: DossierStep) -> DossierStep | None:
    return dossier.steps.select_related("agency").filter(ordering__gt=step.ordering).order_by("ordering").first()


def start(dossier: Dossier, step: DossierStep, now: datetime) -> None:
    step.started_at = now
    step.due_at = step_due_at(dossier, step, now)
    step.save(update_fields=["started_at", "due_at"])


def finish(step: DossierStep, *, officer: Any, now: datetime, note: str = "") -> str:
    """Close `step` now, classed against its own due time; returns the outcome."""
    step.handed_over_at = now
    step.handed_by = officer if getattr(officer, "pk", None) else None
    step.outcome = outcome(step.due_at, now)
    step.note = note.strip() or step.note
    step.save(update_fields=["handed_over_at", "handed_by", "outcome", "note"])
    return step.outcome


def receive(dossier: Dossier, assignee: Any) -> None:
    """The specialist given the dossier is who received the open step (control sheet column)."""
    step = open_step(dossier)
    if step is not None and step.received_by_id is None:
        step.received_by = assignee
        step.save(update_fields=["received_by"])


def shift_open_step(dossier: Dossier, paused: timedelta) -> None:
    """The step being worked on gets the paused time back, like the dossier's due time."""
    step = open_step(dossier)
    if step is not None and step.due_at is not None and paused > timedelta(0):
        step.due_at = shifted(calendar_of(dossier), step.due_at, paused)
        step.save(update_fields=["due_at"])
