"""The "today" figures, checked against a day worked out by hand.

Tuesday, counter 1 (queue B, reception officer) and counter 2 (queue C, the leader):

    08:00 B001 issued   08:01 C001 issued   08:02 B002 issued   08:04 B003 issued (elderly)
    08:10 c1 calls B003 (priority)                 wait  6 min
    08:11 start B003; 08:21 call next: B003 done (service 10), B001 called   wait 21
    08:22 recall B001; 08:23 no-show, recycled to the back
    08:24 c1 calls B002                            wait 22
    08:30 B002 transferred to C: C002 issued 08:30, keeps its place (queued 08:02)
    08:31 c1 calls B001 again (its wait stays 21: the first call counts); 08:32 no-show
    08:35 c2 calls C001 (queued 08:01, before C002) wait 34; start 08:36, finish 08:40 (service 4)
    08:41 c2 calls C002                            wait 11 (from the transfer); start 08:41
    08:45 B005 issued, still waiting
    08:49 c2 calls next: C002 done (service 8), nobody left
    08:50 walk-in B004 at c1 (no wait); finish 08:55 (service 5)
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.queueing import kpis
from motcua.queueing.models import Ticket
from motcua.queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_mark_no_show,
    ticket_recall,
    ticket_start,
    ticket_transfer,
    ticket_walk_in,
)

from .conftest import TUESDAY_8AM, WEDNESDAY_8AM, make_counter, make_queue

KIOSK = Ticket.Channel.KIOSK


def at(minute: int):
    return TUESDAY_8AM + timedelta(minutes=minute)


def minutes(value: float) -> timedelta:
    return timedelta(seconds=round(value * 60))


@pytest.fixture
def day(center, reception_officer, leader, elderly):
    b, c = make_queue(center, "b"), make_queue(center, "c")
    c1 = make_counter(center, 1, [b], officer=reception_officer)
    c2 = make_counter(center, 2, [c], officer=leader)
    b1 = ticket_issue(queue=b, channel=KIOSK, now=at(0))
    ticket_issue(queue=c, channel=KIOSK, now=at(1))
    ticket_issue(queue=b, channel=KIOSK, now=at(2))
    ticket_issue(queue=b, channel=KIOSK, priority=elderly, now=at(4))
    b3 = ticket_call_next(counter=c1, officer=reception_officer, now=at(10))
    ticket_start(ticket=b3, officer=reception_officer, now=at(11))
    assert ticket_call_next(counter=c1, officer=reception_officer, now=at(21)) == b1
    ticket_recall(ticket=b1, officer=reception_officer, now=at(22))
    ticket_mark_no_show(ticket=b1, officer=reception_officer, recycle=True, now=at(23))
    b2 = ticket_call_next(counter=c1, officer=reception_officer, now=at(24))
    ticket_transfer(ticket=b2, queue=c, officer=reception_officer, now=at(30))
    again = ticket_call_next(counter=c1, officer=reception_officer, now=at(31))
    ticket_mark_no_show(ticket=again, officer=reception_officer, now=at(32))
    first_c = ticket_call_next(counter=c2, officer=leader, now=at(35))
    ticket_start(ticket=first_c, officer=leader, now=at(36))
    ticket_finish(ticket=first_c, officer=leader, now=at(40))
    moved = ticket_call_next(counter=c2, officer=leader, now=at(41))
    ticket_start(ticket=moved, officer=leader, now=at(41))
    ticket_issue(queue=b, channel=KIOSK, now=at(45))
    assert ticket_call_next(counter=c2, officer=leader, now=at(49)) is None
    walk_in = ticket_walk_in(counter=c1, officer=reception_officer, now=at(50))
    ticket_finish(ticket=walk_in, officer=reception_officer, now=at(55))
    return {"b": b, "c": c, "c1": c1, "c2": c2}


def test_per_queue(center, day):
    rows = dict(kpis.kpi_by_queue(center=center, business_date=TUESDAY_8AM.date()))
    b, c = rows[day["b"]], rows[day["c"]]
    assert (b.issued, b.transferred_in, b.called, b.served, b.waiting) == (5, 0, 4, 2, 1)
    assert (b.no_shows, b.transferred, b.walk_ins) == (1, 1, 1)
    assert (b.avg_wait, b.max_wait, b.avg_service) == (minutes(49 / 3), minutes(22), minutes(7.5))
    assert (c.issued, c.transferred_in, c.called, c.served, c.waiting) == (1, 1, 2, 2, 0)
    assert (c.no_shows, c.transferred, c.walk_ins) == (0, 0, 0)
    assert (c.avg_wait, c.max_wait, c.avg_service) == (minutes(22.5), minutes(34), minutes(6))


def test_whole_center(center, day):
    total = kpis.kpi_total(center=center, business_date=TUESDAY_8AM.date())
    assert (total.issued, total.transferred_in, total.served, total.waiting) == (6, 1, 4, 1)
    assert (total.no_shows, total.transferred, total.walk_ins) == (1, 1, 1)
    assert (total.avg_wait, total.max_wait, total.avg_service) == (minutes(18.8), minutes(34), minutes(6.75))


def test_per_counter_and_per_officer(center, day, reception_officer, leader):
    counters = dict(kpis.kpi_by_counter(center=center, business_date=TUESDAY_8AM.date()))
    one, two = counters[day["c1"]], counters[day["c2"]]
    assert (one.served, one.no_shows, one.transferred, one.walk_ins) == (2, 1, 1, 1)
    assert (one.avg_wait, one.max_wait, one.avg_service) == (minutes(49 / 3), minutes(22), minutes(7.5))
    assert (two.served, two.no_shows, two.avg_wait, two.avg_service) == (2, 0, minutes(22.5), minutes(6))
    officers = kpis.kpi_by_officer(center=center, business_date=TUESDAY_8AM.date())
    assert [officer for officer, _row in officers] == [leader, reception_officer]  # same served: by name
    assert dict(officers)[leader].max_wait == minutes(34)


def test_another_day_is_empty_and_queues_still_listed(center, day):
    rows = kpis.kpi_by_queue(center=center, business_date=WEDNESDAY_8AM.date())
    assert [(q.code, r.issued, r.avg_wait) for q, r in rows] == [("b", 0, None), ("c", 0, None)]
    assert kpis.kpi_by_officer(center=center, business_date=WEDNESDAY_8AM.date()) == []


def test_other_centers_tickets_do_not_count(center, day, organisation):
    from motcua.core.models import Center

    other = Center.objects.get(code="ninhkieu")
    ticket_issue(queue=make_queue(other, "x"), channel=KIOSK, now=at(5))
    assert kpis.kpi_total(center=center, business_date=TUESDAY_8AM.date()).issued == 6


def test_one_query_per_breakdown(center, day, django_assert_num_queries):
    with django_assert_num_queries(2):
        kpis.kpi_by_queue(center=center, business_date=TUESDAY_8AM.date())
    with django_assert_num_queries(2):
        kpis.kpi_by_counter(center=center, business_date=TUESDAY_8AM.date())
    with django_assert_num_queries(1):
        kpis.kpi_total(center=center, business_date=TUESDAY_8AM.date())


def test_walk_up_runs_from_the_call_to_the_start_and_leaves_walk_ins_out(center, day):
    # B003 called 08:10, started 08:11; C001 08:35 → 08:36; C002 called and started at 08:41.
    total = kpis.kpi_total(center=center, business_date=TUESDAY_8AM.date())
    assert total.avg_walk_up == timedelta(seconds=40)
    by_counter = {counter.number: row for counter, row in kpis.kpi_by_counter(center=center, business_date=TUESDAY_8AM.date())}
    assert (by_counter[1].avg_walk_up, by_counter[2].avg_walk_up) == (minutes(1), minutes(0.5))
