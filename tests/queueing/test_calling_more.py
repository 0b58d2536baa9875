"""Weights, calling a number, walk-ins, no-show recycling, and the push to the boards."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from motcua.queueing.errors import QueueingError, TicketTransitionError
from motcua.queueing.models import CounterQueue, Ticket, TicketEvent
from motcua.queueing.services import (
    ticket_call_next,
    ticket_call_number,
    ticket_issue,
    ticket_mark_no_show,
    ticket_start,
    ticket_walk_in,
)

from .conftest import TUESDAY_8AM, make_counter, make_queue

KIOSK = Ticket.Channel.KIOSK
Status = Ticket.Status


def _issue(queue, minute, priority=None):
    return ticket_issue(queue=queue, channel=KIOSK, priority=priority, now=TUESDAY_8AM + timedelta(minutes=minute))


def _at(minute):
    return TUESDAY_8AM + timedelta(minutes=minute)


def test_weight_lets_a_queue_with_a_shorter_wait_go_first(center, queue, reception_officer):
    land = make_queue(center, "d")
    counter = make_counter(center, 3, [queue, land], officer=reception_officer)
    CounterQueue.objects.filter(counter=counter, queue=land).update(weight=3)
    old_b = _issue(queue, 0)  # waits 30 minutes × 1
    new_d = _issue(land, 20)  # waits 10 minutes × 3 = 30, plus it is the heavier queue
    assert ticket_call_next(counter=counter, officer=reception_officer, now=_at(30)).pk == new_d.pk
    assert ticket_call_next(counter=counter, officer=reception_officer, now=_at(30)).pk == old_b.pk


def test_equal_weights_call_the_longest_wait(center, queue, reception_officer):
    land = make_queue(center, "d")
    counter = make_counter(center, 3, [queue, land], officer=reception_officer)
    first, second = _issue(land, 0), _issue(queue, 5)
    assert [ticket_call_next(counter=counter, officer=reception_officer, now=_at(30)).pk for _ in range(2)] == [
        first.pk,
        second.pk,
    ]


def test_priority_beats_weight(center, queue, reception_officer, elderly):
    land = make_queue(center, "d")
    counter = make_counter(center, 3, [queue, land], officer=reception_officer)
    CounterQueue.objects.filter(counter=counter, queue=land).update(weight=10)
    _issue(land, 0)
    priority = _issue(queue, 25, priority=elderly)
    assert ticket_call_next(counter=counter, officer=reception_officer, now=_at(30)).pk == priority.pk


def test_call_a_number_by_code_or_by_digits(queue, counter, reception_officer):
    _issue(queue, 0)
    third = [_issue(queue, m) for m in (1, 2)][1]
    assert ticket_call_number(counter=counter, officer=reception_officer, code=" b003 ", now=_at(5)).pk == third.pk
    second = Ticket.objects.get(code="B002")
    assert ticket_call_number(counter=counter, officer=reception_officer, code="2", now=_at(6)).pk == second.pk
    third.refresh_from_db()
    assert third.status == Status.DONE  # calling finishes the current ticket, like call-next


def test_calling_a_number_explains_why_it_cannot(center, queue, counter, reception_officer):
    other = make_queue(center, "c", name="Đất đai")
    _issue(other, 0)
    with pytest.raises(QueueingError) as refused:
        ticket_call_number(counter=counter, officer=reception_officer, code="C001", now=_at(1))
    assert refused.value.code == "queueing.call.other_queue"
    assert str(refused.value) == "Số C001 thuộc hàng đợi “Đất đai”, quầy này không phục vụ hàng đợi đó."
    with pytest.raises(QueueingError) as refused:
        ticket_call_number(counter=counter, officer=reception_officer, code="B999", now=_at(1))
    assert (refused.value.code, str(refused.value)) == ("queueing.call.not_found", "Không có số B999 đang chờ hôm nay.")


def test_no_show_recycles_once_to_the_back(queue, counter, reception_officer):
    absent, behind = _issue(queue, 0), _issue(queue, 1)
    called = ticket_call_next(counter=counter, officer=reception_officer, now=_at(5))
    recycled = ticket_mark_no_show(ticket=called, officer=reception_officer, recycle=True, now=_at(6))
    assert (recycled.status, recycled.recycled, recycled.counter, recycled.queued_at) == (
        Status.WAITING,
        True,
        None,
        _at(6),
    )
    assert ticket_call_next(counter=counter, officer=reception_officer, now=_at(7)).pk == behind.pk
    again = ticket_call_next(counter=counter, officer=reception_officer, now=_at(8))
    assert again.pk == absent.pk
    with pytest.raises(TicketTransitionError) as refused:
        ticket_mark_no_show(ticket=again, officer=reception_officer, recycle=True, now=_at(9))
    assert refused.value.code == "queueing.ticket.already_recycled"
    final = ticket_mark_no_show(ticket=again, officer=reception_officer, now=_at(9))
    assert final.status == Status.NO_SHOW
    actions = list(TicketEvent.objects.filter(ticket=absent).values_list("action", flat=True))
    assert actions == [
        "queueing.ticket.issued",
        "queueing.ticket.called",
        "queueing.ticket.recycled",
        "queueing.ticket.called",
        "queueing.ticket.no_show",
    ]


def test_walk_in_is_served_at_once_with_a_number_of_the_day(queue, counter, reception_officer):
    _issue(queue, 0)
    ticket = ticket_walk_in(counter=counter, officer=reception_officer, now=_at(3))
    assert (ticket.status, ticket.channel, ticket.code, ticket.counter) == (Status.SERVING, "counter", "B002", counter)
    assert (ticket.called_at, ticket.started_at) == (_at(3), _at(3))
    assert ticket.events.get().action == "queueing.ticket.walk_in"
    nxt = ticket_call_next(counter=counter, officer=reception_officer, now=_at(10))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.finished_at, nxt.code) == (Status.DONE, _at(10), "B001")


def test_walk_in_refuses_a_queue_the_counter_does_not_serve(center, counter, reception_officer):
    with pytest.raises(QueueingError) as refused:
        ticket_walk_in(counter=counter, officer=reception_officer, queue=make_queue(center, "z"), now=_at(1))
    assert refused.value.code == "queueing.walk_in.bad_queue"


def test_boards_hear_calls_only_after_commit(django_capture_on_commit_callbacks, queue, counter, reception_officer):
    _issue(queue, 0)
    sent = []
    with mock.patch("motcua.queueing.broadcast._send", lambda center_id, day, payload: sent.append(payload)):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            called = ticket_call_next(counter=counter, officer=reception_officer, now=_at(1))
        assert sent == []
        for callback in callbacks:
            callback()
    assert [p["kind"] for p in sent] == ["called"]
    event = sent[0]
    assert (event["ticket"]["code"], event["counter"]["number"], event["ticket"]["id"]) == ("B001", 1, called.pk)


def test_the_push_carries_waiting_counts(django_capture_on_commit_callbacks, queue, counter, reception_officer):
    from channels.layers import InMemoryChannelLayer

    from motcua.queueing import broadcast

    messages = []

    class Layer(InMemoryChannelLayer):
        async def group_send(self, group, message):
            messages.append((group, message))

    with mock.patch.object(broadcast, "get_channel_layer", lambda: Layer()):
        for minute in (0, 1):
            with django_capture_on_commit_callbacks(execute=True):
                _issue(queue, minute)
        with django_capture_on_commit_callbacks(execute=True):
            called = ticket_call_next(counter=counter, officer=reception_officer, now=_at(2))
            ticket_start(ticket=called, officer=reception_officer, now=_at(3))
    kinds = [(m["event"]["kind"], m["event"]["waiting"]) for _g, m in messages]
    assert kinds == [("changed", {"b": 1}), ("changed", {"b": 2}), ("called", {"b": 1})]
    assert {g for g, _m in messages} == {broadcast.board_group(queue.center_id)}


def test_a_failing_channel_layer_never_breaks_the_call(django_capture_on_commit_callbacks, queue, counter, reception_officer):
    from motcua.queueing import broadcast

    _issue(queue, 0)
    with mock.patch.object(broadcast, "get_channel_layer", side_effect=ConnectionError("redis down")):
        with django_capture_on_commit_callbacks(execute=True):
            called = ticket_call_next(counter=counter, officer=reception_officer, now=_at(1))
    called.refresh_from_db()
    assert called.status == Status.CALLED


def test_redis_pushes_leave_the_request_and_arrive_in_order(django_capture_on_commit_callbacks, queue):
    import threading

    from motcua.queueing import broadcast

    arrived, done = [], threading.Event()

    class RedisLikeLayer:
        async def group_send(self, group, message):
            arrived.append((threading.current_thread().name, message["event"]["waiting"]))
            if len(arrived) == 3:
                done.set()

    with mock.patch.object(broadcast, "get_channel_layer", lambda: RedisLikeLayer()):
        for minute in (0, 1, 2):
            with django_capture_on_commit_callbacks(execute=True):
                _issue(queue, minute)
    assert done.wait(5)
    assert arrived == [("board-push", {"b": 1}), ("board-push", {"b": 2}), ("board-push", {"b": 3})]


def test_boards_hear_a_counter_pause_and_a_citizen_leaving_the_desk(
    django_capture_on_commit_callbacks, queue, counter, reception_officer
):
    from motcua.queueing.services import counter_pause, ticket_finish

    _issue(queue, 0)
    sent = []
    with mock.patch("motcua.queueing.broadcast._send", lambda center_id, day, payload: sent.append(payload)):
        with django_capture_on_commit_callbacks(execute=True):
            called = ticket_call_next(counter=counter, officer=reception_officer, now=_at(1))
        with django_capture_on_commit_callbacks(execute=True):
            ticket_finish(ticket=called, officer=reception_officer, now=_at(5))
        with django_capture_on_commit_callbacks(execute=True):
            counter_pause(counter=counter, officer=reception_officer, now=_at(6))
    counters = [(p["kind"], p["counter"]["number"], p["counter"].get("state"), p["counter"].get("ticket")) for p in sent]
    assert counters == [("called", 1, None, None), ("counter", 1, "open", ""), ("counter", 1, "paused", "")]
