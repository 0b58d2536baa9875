"""Call-next: finishes the current ticket, priority first, never starving normal tickets."""

from __future__ import annotations

from datetime import timedelta

from motcua.queueing.models import Ticket, TicketEvent
from motcua.queueing.services import ticket_call_next, ticket_issue

from .conftest import TUESDAY_8AM, WEDNESDAY_8AM, make_counter, make_queue

KIOSK = Ticket.Channel.KIOSK


def _issue(queue, minute, priority=None, now=TUESDAY_8AM):
    return ticket_issue(queue=queue, channel=KIOSK, priority=priority, now=now + timedelta(minutes=minute))


def _call(counter, officer, times):
    now = TUESDAY_8AM + timedelta(hours=1)
    return [ticket_call_next(counter=counter, officer=officer, now=now) for _ in range(times)]


def test_calls_in_issue_order_and_finishes_the_previous_ticket(queue, counter, reception_officer):
    first, second = _issue(queue, 0), _issue(queue, 1)
    called = _call(counter, reception_officer, 2)
    assert [t.pk for t in called] == [first.pk, second.pk]
    first.refresh_from_db()
    assert first.status == Ticket.Status.DONE
    assert (called[1].status, called[1].counter, called[1].officer) == ("called", counter, reception_officer)
    assert TicketEvent.objects.filter(ticket=second, action="queueing.ticket.called", counter=counter).exists()


def test_nobody_waiting_returns_none(counter, reception_officer):
    assert ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM) is None


def test_only_the_counters_queues_and_only_today(center, queue, counter, reception_officer):
    other = make_queue(center, "c")
    _issue(other, 0)
    _issue(queue, 0, now=WEDNESDAY_8AM)
    assert ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM) is None


def test_priority_first_but_never_more_than_n_in_a_row(queue, counter, reception_officer, elderly, settings):
    settings.MOTCUA = {**settings.MOTCUA, "QUEUE_MAX_PRIORITY_IN_ROW": 2}
    normal = [_issue(queue, m) for m in range(2)]
    priority = [_issue(queue, 10 + m, priority=elderly) for m in range(5)]
    order = [t.pk for t in _call(counter, reception_officer, 7)]
    p, n = [t.pk for t in priority], [t.pk for t in normal]
    assert order == [p[0], p[1], n[0], p[2], p[3], n[1], p[4]]


def test_lower_rank_is_called_first(queue, counter, reception_officer, elderly):
    from motcua.queueing.models import PriorityClass

    disabled = PriorityClass.objects.create(code="khuyet-tat", name="Người khuyết tật", rank=0)
    a = _issue(queue, 0, priority=elderly)
    b = _issue(queue, 1, priority=disabled)
    assert [t.pk for t in _call(counter, reception_officer, 2)] == [b.pk, a.pk]


def test_priority_only_queue_still_gets_called_after_the_streak(queue, counter, reception_officer, elderly):
    tickets = [_issue(queue, m, priority=elderly) for m in range(5)]
    assert [t.pk for t in _call(counter, reception_officer, 5)] == [t.pk for t in tickets]


def test_a_counter_serving_two_queues_takes_the_oldest(center, queue, reception_officer, admin_user):
    other = make_queue(center, "c")
    counter = make_counter(center, 7, [queue, other], officer=admin_user)
    late, early = _issue(queue, 5), _issue(other, 1)
    assert [t.pk for t in _call(counter, admin_user, 2)] == [early.pk, late.pk]
