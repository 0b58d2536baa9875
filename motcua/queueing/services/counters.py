"""An officer's seat at a counter: sign in, pause, resume, sign out — each with a history row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.scoping import works_at_center

from .. import broadcast
from ..errors import QueueingError
from ..models import Counter, CounterEvent, Ticket
from ._common import Status, ensure_seated

State = Counter.State


def _record(counter: Counter, action: str, *, from_state: str, officer: Any, now: datetime) -> None:
    CounterEvent.objects.create(
        counter=counter, action=action, from_state=from_state, to_state=counter.state, officer=officer, at=now
    )


def _set_state(counter: Counter, state: str, officer: Any, action: str, now: datetime) -> Counter:
    previous = counter.state
    counter.state = state
    counter.officer = officer if state != State.CLOSED else None
    counter.save(update_fields=["state", "officer"])
    _record(counter, action, from_state=previous, officer=officer, now=now)
    broadcast.publish_counter(counter, now=now)
    return counter


def _ensure_idle(counter: Counter) -> None:
    """Leaving a counter with a citizen at the desk would lose their service time."""
    busy = Ticket.objects.filter(counter=counter, status__in=[Status.CALLED, Status.SERVING]).first()
    if busy is not None:
        raise QueueingError(
            "queueing.counter.busy",
            _("Quầy số %(n)s đang phục vụ số %(code)s: hãy kết thúc hoặc ghi nhận vắng mặt trước.")
            % {"n": counter.number, "code": busy.code},
        )


def _ensure_free_for(counter: Counter, officer: Any) -> None:
    if not works_at_center(officer, counter.center_id):
        raise QueueingError("queueing.counter.not_allowed", _("Bạn không có quyền làm việc tại quầy của trung tâm này."))
    if counter.officer_id is not None and counter.officer_id != officer.pk:
        seated = counter.officer
        name = str(seated) if seated else ""
        raise QueueingError(
            "queueing.counter.taken",
            _("Quầy số %(n)s đang có cán bộ %(name)s làm việc.") % {"n": counter.number, "name": name},
        )


@transaction.atomic
def counter_sign_in(*, counter: Counter, officer: Any, now: datetime | None = None) -> Counter:
    """Seat `officer` at `counter` and open it; they leave any other counter (one seat each)."""
    now = now or timezone.now()
    for other in Counter.objects.select_for_update().filter(officer=officer).exclude(pk=counter.pk):
        _ensure_idle(other)
        _set_state(other, State.CLOSED, officer, "queueing.counter.signed_out", now)
    counter = Counter.objects.select_for_update(of=("self",)).select_related("officer").get(pk=counter.pk)
    _ensure_free_for(counter, officer)
    if counter.officer_id == officer.pk and counter.state != State.CLOSED:
        return counter  # already seated: signing in again from a reloaded page changes nothing
    return _set_state(counter, State.OPEN, officer, "queueing.counter.signed_in", now)


def _seated(counter: Counter, officer: Any) -> Counter:
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    ensure_seated(counter, officer)
    return counter


@transaction.atomic
def counter_sign_out(*, counter: Counter, officer: Any, now: datetime | None = None) -> Counter:
    counter = _seated(counter, officer)
    _ensure_idle(counter)
    return _set_state(counter, State.CLOSED, officer, "queueing.counter.signed_out", now or timezone.now())


@transaction.atomic
def counter_pause(*, counter: Counter, officer: Any, now: datetime | None = None) -> Counter:
    """Stop calling for a while (a break, a long dossier); the officer stays seated."""
    counter = _seated(counter, officer)
    if counter.state != State.OPEN:
        raise QueueingError("queueing.counter.not_open", _("Quầy số %(n)s không đang mở.") % {"n": counter.number})
    return _set_state(counter, State.PAUSED, officer, "queueing.counter.paused", now or timezone.now())


@transaction.atomic
def counter_resume(*, counter: Counter, officer: Any, now: datetime | None = None) -> Counter:
    counter = _seated(counter, officer)
    if counter.state != State.PAUSED:
        raise QueueingError(
            "queueing.counter.not_paused", _("Quầy số %(n)s không ở trạng thái tạm dừng.") % {"n": counter.number}
        )
    return _set_state(counter, State.OPEN, officer, "queueing.counter.resumed", now or timezone.now())


def counter_record_admin_change(*, counter: Counter, from_state: str, actor: Any, now: datetime | None = None) -> None:
    """History row for a seat or state set in the admin (its form already checked the rules).

    The staffing advice counts open counters from these rows, so an administrator opening or
    closing a counter by hand must leave one too.
    """
    CounterEvent.objects.create(
        counter=counter,
        action="queueing.counter.set_by_admin",
        from_state=from_state,
        to_state=counter.state,
        officer=actor,
        at=now or timezone.now(),
    )
