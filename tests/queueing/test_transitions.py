"""The whole ticket state machine: every allowed move succeeds, every other move is refused."""

from __future__ import annotations

import pytest

from motcua.queueing import services
from motcua.queueing.errors import TicketTransitionError
from motcua.queueing.models import Ticket, TicketEvent
from motcua.queueing.services.tickets import locked, move
from motcua.queueing.transitions import ALLOWED, can_move

from .conftest import TUESDAY_8AM

Status = Ticket.Status
ALL = list(Status)
PAIRS = [(a, b) for a in ALL for b in ALL]


def test_the_table_names_every_status():
    assert set(ALLOWED) == set(Status)


def test_terminal_statuses_allow_nothing():
    for status in (Status.DONE, Status.NO_SHOW, Status.TRANSFERRED, Status.CANCELLED):
        assert not ALLOWED[status]


def _other(queue):
    """A second queue of the same center: a transfer goes somewhere else."""
    from motcua.queueing.models import Queue

    return Queue.objects.get_or_create(center=queue.center, code="khac", defaults={"name": "Khác", "prefix": "K"})[0]


def _ticket_in(status, queue, counter, officer):
    """A real ticket brought to `status` through the services."""
    ticket = services.ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    if status == Status.WAITING:
        return ticket
    if status == Status.CANCELLED:
        return services.ticket_cancel(ticket=ticket, now=TUESDAY_8AM)
    ticket = services.ticket_call_next(counter=counter, officer=officer, now=TUESDAY_8AM)
    steps = {
        Status.SERVING: [services.ticket_start],
        Status.DONE: [services.ticket_finish],
        Status.NO_SHOW: [services.ticket_mark_no_show],
    }
    for step in steps.get(status, []):
        ticket = step(ticket=ticket, officer=officer, now=TUESDAY_8AM)
    if status == Status.TRANSFERRED:
        services.ticket_transfer(ticket=ticket, queue=_other(queue), officer=officer, now=TUESDAY_8AM)
        ticket.refresh_from_db()
    return ticket


def _apply(target, ticket, queue, counter, officer):
    if target == Status.CALLED:
        # Calling goes through call-next; it must pick exactly this ticket or refuse to move it.
        move(locked(ticket), Status.CALLED, actor=officer, now=TUESDAY_8AM)
        return
    if target == Status.TRANSFERRED:
        services.ticket_transfer(ticket=ticket, queue=_other(queue), officer=officer, now=TUESDAY_8AM)
        return
    action = {
        Status.SERVING: services.ticket_start,
        Status.DONE: services.ticket_finish,
        Status.NO_SHOW: services.ticket_mark_no_show,
        Status.CANCELLED: lambda **kw: services.ticket_cancel(ticket=kw["ticket"], actor=kw["officer"], now=kw["now"]),
    }.get(target)
    if action is None:  # back to waiting: only the one recycle of a no-show does it
        services.ticket_mark_no_show(ticket=ticket, officer=officer, recycle=True, now=TUESDAY_8AM)
        return
    action(ticket=ticket, officer=officer, now=TUESDAY_8AM)


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_walk_the_table(current, target, queue, counter, reception_officer):
    Ticket.objects.all().delete()
    ticket = _ticket_in(current, queue, counter, reception_officer)
    assert ticket.status == current
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    if can_move(current, target):
        _apply(target, ticket, queue, counter, reception_officer)
        ticket.refresh_from_db()
        assert ticket.status == target
        last = TicketEvent.objects.filter(ticket=ticket).last()
        assert (last.from_status, last.to_status) == (current, target)
    else:
        with pytest.raises(TicketTransitionError) as refused:
            _apply(target, ticket, queue, counter, reception_officer)
        assert refused.value.code == "queueing.ticket.invalid_transition"
        assert "không thể chuyển sang" in str(refused.value)
        ticket.refresh_from_db()
        assert ticket.status == current
        assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


def test_transfer_links_the_new_ticket_and_keeps_the_issue_time(center, queue, counter, reception_officer):
    from .conftest import make_queue

    other = make_queue(center, "c")
    services.ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    called = services.ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM)
    new = services.ticket_transfer(ticket=called, queue=other, officer=reception_officer, now=TUESDAY_8AM)
    assert new.transferred_from_id == called.pk
    assert (new.queue, new.status, new.code, new.queued_at) == (other, Status.WAITING, "C001", called.queued_at)


def test_recall_counts_and_keeps_the_ticket_called(queue, counter, reception_officer):
    services.ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    called = services.ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM)
    again = services.ticket_recall(ticket=called, officer=reception_officer, now=TUESDAY_8AM)
    assert (again.status, again.recall_count) == (Status.CALLED, 1)
    assert again.events.last().action == "queueing.ticket.recalled"


def test_only_a_called_ticket_can_be_recalled(queue, reception_officer):
    waiting = services.ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    with pytest.raises(TicketTransitionError) as refused:
        services.ticket_recall(ticket=waiting, officer=reception_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.ticket.not_called"
    assert str(refused.value) == "Số B001 không ở trạng thái đã gọi nên không thể gọi lại."
