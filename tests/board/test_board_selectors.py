"""What a board shows when it opens, and the feed it polls while its socket is down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.queueing.board_selectors import board_call_event, board_feed, board_snapshot
from motcua.queueing.models import Counter, TicketEvent

from .helpers import call, issue, recall

pytestmark = pytest.mark.django_db


def test_an_empty_morning_shows_counters_and_queues_with_nobody_called(hall):
    snap = board_snapshot(center=hall.center, now=hall.now)
    assert snap.latest is None and snap.recent == [] and snap.last_event_id == 0
    assert [(c.number, c.state, c.ticket) for c in snap.counters] == [(1, "open", ""), (5, "open", ""), (9, "closed", "")]
    assert [(q.code, q.waiting, q.short_name) for q in snap.queues] == [("a", 0, "Tư pháp"), ("b", 0, "Công an")]


def test_calls_show_large_on_their_counters_and_in_the_recent_list(hall):
    issue(hall, hall.a, 3)
    issue(hall, hall.b, 2)
    first = call(hall, 1, minutes=1)
    upstairs = call(hall, 5, minutes=2)
    second = call(hall, 1, minutes=3)  # finishes the first one
    snap = board_snapshot(center=hall.center, now=hall.now + timedelta(minutes=5))
    assert (snap.latest.code, snap.latest.counter_number, snap.latest.kind) == (second.code, 1, "called")
    assert [c.code for c in snap.recent] == [second.code, upstairs.code, first.code]
    assert {c.number: c.ticket for c in snap.counters} == {1: second.code, 5: upstairs.code, 9: ""}
    assert {q.code: q.waiting for q in snap.queues} == {"a": 1, "b": 1}
    assert snap.last_event_id == snap.recent[0].event_id


def test_a_recall_moves_the_ticket_to_the_top_once(hall):
    issue(hall, hall.a, 2)
    first = call(hall, 1, minutes=1)
    issue(hall, hall.b)
    other = call(hall, 5, minutes=2)
    recall(hall, first, 1, minutes=3)
    snap = board_snapshot(center=hall.center, now=hall.now + timedelta(minutes=4))
    assert [(c.code, c.kind) for c in snap.recent] == [(first.code, "recalled"), (other.code, "called")]


def test_a_floor_board_shows_only_its_floor(hall):
    issue(hall, hall.a)
    issue(hall, hall.b)
    downstairs = call(hall, 1)
    call(hall, 5, minutes=2)
    snap = board_snapshot(center=hall.center, floor=hall.floors["tret"], now=hall.now + timedelta(minutes=3))
    assert [c.number for c in snap.counters] == [1, 9]
    assert [c.code for c in snap.recent] == [downstairs.code]
    assert [q.code for q in snap.queues] == ["a", "b"]  # counter 9 downstairs serves both


def test_yesterdays_calls_are_not_on_todays_board(hall):
    issue(hall, hall.a)
    call(hall, 1)
    snap = board_snapshot(center=hall.center, now=hall.now + timedelta(days=1))
    assert snap.recent == [] and {c.number: c.ticket for c in snap.counters}[1] == ""


def test_paused_counters_and_queues_without_counters(hall):
    Counter.objects.filter(pk=hall.counters[5].pk).update(state=Counter.State.PAUSED)
    hall.b.counter_links.all().delete()
    snap = board_snapshot(center=hall.center, now=hall.now)
    assert {c.number: c.state for c in snap.counters}[5] == "paused"
    assert [q.code for q in snap.queues] == ["a"]


def test_the_snapshot_takes_a_fixed_number_of_queries(hall, django_assert_max_num_queries):
    issue(hall, hall.a, 4)
    for minute in range(1, 4):
        call(hall, 1, minutes=minute)
    # Calls, counters, queues, and the waits of every queue in four grouped queries.
    with django_assert_max_num_queries(8):
        board_snapshot(center=hall.center, now=hall.now + timedelta(minutes=5))


def test_feed_returns_calls_after_since_oldest_first_with_waiting_counts(hall):
    issue(hall, hall.a, 3)
    first = call(hall, 1, minutes=1)
    since = board_feed(center=hall.center, since=0, now=hall.now + timedelta(minutes=1))["last_event_id"]
    second = call(hall, 1, minutes=2)
    recall(hall, second, 1, minutes=3)
    feed = board_feed(center=hall.center, since=since, now=hall.now + timedelta(minutes=4))
    assert [(e["kind"], e["ticket"]["code"], e["counter"]["number"]) for e in feed["events"]] == [
        ("called", second.code, 1),
        ("recalled", second.code, 1),
    ]
    assert first.code not in {e["ticket"]["code"] for e in feed["events"]}
    assert feed["waiting"] == {"a": 1}
    assert feed["events"][-1]["waiting"] == {"a": 1}
    assert feed["last_event_id"] == feed["events"][-1]["event_id"]
    assert {c["number"]: c["ticket"] for c in feed["counters"]} == {1: second.code, 5: "", 9: ""}
    later = board_feed(center=hall.center, since=feed["last_event_id"], now=hall.now + timedelta(minutes=5))
    assert later["events"] == [] and later["last_event_id"] == feed["last_event_id"]


def test_feed_of_a_floor(hall):
    issue(hall, hall.a)
    issue(hall, hall.b)
    call(hall, 1)
    upstairs = call(hall, 5, minutes=2)
    feed = board_feed(center=hall.center, floor=hall.floors["lau-1"], since=0, now=hall.now + timedelta(minutes=3))
    assert [e["ticket"]["code"] for e in feed["events"]] == [upstairs.code]
    assert [c["number"] for c in feed["counters"]] == [5]


def test_only_calls_of_the_center_may_be_spoken(hall, organisation):
    from motcua.core.models import Center

    [ticket] = issue(hall, hall.a)
    call(hall, 1)
    called = TicketEvent.objects.get(ticket=ticket, action="queueing.ticket.called")
    issued = TicketEvent.objects.get(ticket=ticket, action="queueing.ticket.issued")
    assert board_call_event(center=hall.center, event_id=called.pk) == called
    assert board_call_event(center=hall.center, event_id=issued.pk) is None
    other = Center.objects.exclude(pk=hall.center.pk).first()
    assert board_call_event(center=other, event_id=called.pk) is None


def test_each_queue_shows_its_likely_wait_and_the_feed_refreshes_it(hall):
    issue(hall, hall.a, 3)  # three waiting for queue A, one open counter, default 8 minutes each
    snap = board_snapshot(center=hall.center, now=hall.now)
    assert {q.code: (q.waiting, q.wait_minutes) for q in snap.queues} == {"a": (3, 24), "b": (0, 0)}
    Counter.objects.filter(number=5).update(state=Counter.State.PAUSED)  # nobody open for B
    feed = board_feed(center=hall.center, since=0, now=hall.now)
    assert feed["waits"] == {"a": 24, "b": None}
