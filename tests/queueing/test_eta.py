"""The waiting-time estimate: who is ahead, which service time, how many counters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.queueing.eta import estimate_for_queue, estimate_for_ticket, wait_minutes
from motcua.queueing.models import Counter, PriorityClass, Ticket
from motcua.queueing.services import ticket_issue

from .conftest import TUESDAY_8AM, make_counter

pytestmark = pytest.mark.django_db
DAY = TUESDAY_8AM.date()


def issue(queue, minutes_before: int, priority=None) -> Ticket:
    return ticket_issue(queue=queue, channel="kiosk", priority=priority, now=TUESDAY_8AM - timedelta(minutes=minutes_before))


def served(queue, counter, minutes: float, ended_minutes_before: int = 5) -> Ticket:
    """A ticket of `queue` served for `minutes`, finished shortly before 8:00."""
    end = TUESDAY_8AM - timedelta(minutes=ended_minutes_before)
    return Ticket.objects.create(
        center=queue.center, queue=queue, business_date=DAY, number=900 + Ticket.objects.count(),
        display_number=1, code="X", channel="kiosk", status=Ticket.Status.DONE, issued_at=end - timedelta(hours=1),
        queued_at=end - timedelta(hours=1), started_at=end - timedelta(minutes=minutes), finished_at=end, counter=counter,
    )  # fmt: skip


# --- the arithmetic -------------------------------------------------------------------------


def test_ahead_times_the_default_over_the_open_counters():
    assert wait_minutes(ahead=5, samples=[], default=8, counters=2) == (20, "default")


def test_minutes_round_up():
    assert wait_minutes(ahead=1, samples=[], default=8, counters=3) == (3, "default")


def test_nobody_ahead_is_no_wait():
    assert wait_minutes(ahead=0, samples=[], default=8, counters=1) == (0, "default")


def test_no_open_counter_gives_no_figure():
    assert wait_minutes(ahead=4, samples=[5.0] * 10, default=8, counters=0) == (None, "observed")


def test_the_median_replaces_the_default_from_the_minimum_sample(settings):
    settings.MOTCUA = {**settings.MOTCUA, "ETA_MIN_SAMPLE": 3}
    assert wait_minutes(ahead=2, samples=[4.0, 100.0], default=8, counters=1) == (16, "default")
    assert wait_minutes(ahead=2, samples=[4.0, 5.0, 100.0], default=8, counters=1) == (10, "observed")


# --- from the database ----------------------------------------------------------------------


def test_people_ahead_of_a_normal_ticket_include_every_priority_ticket(queue, counter, elderly):
    issue(queue, 30)
    issue(queue, 20, priority=elderly)
    mine = issue(queue, 10)
    issue(queue, 5, priority=elderly)  # came later, but is called first
    issue(queue, 1)  # behind me
    assert estimate_for_ticket(mine, now=TUESDAY_8AM).people_ahead == 3


def test_a_priority_ticket_has_only_higher_or_earlier_priority_ahead(queue, counter, elderly):
    disabled = PriorityClass.objects.create(code="khuyet-tat", name="Người khuyết tật", rank=0)
    issue(queue, 30)
    issue(queue, 25, priority=elderly)
    issue(queue, 3, priority=disabled)  # a better rank: ahead although later
    mine = issue(queue, 10, priority=elderly)
    assert estimate_for_ticket(mine, now=TUESDAY_8AM).people_ahead == 2


def test_a_ticket_no_longer_waiting_has_nothing_ahead(queue, counter):
    ticket = issue(queue, 10)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CALLED)
    ticket.refresh_from_db()
    assert estimate_for_ticket(ticket, now=TUESDAY_8AM).people_ahead == 0


def test_default_basis_until_enough_tickets_were_served(queue, counter):
    queue.default_service_minutes = 10
    queue.save()
    for _i in range(4):
        served(queue, counter, 3)
        issue(queue, 5)
    estimate = estimate_for_queue(queue, business_date=DAY, now=TUESDAY_8AM)
    assert (estimate.people_ahead, estimate.minutes, estimate.basis) == (4, 40, "default")
    served(queue, counter, 3)
    estimate = estimate_for_queue(queue, business_date=DAY, now=TUESDAY_8AM)
    assert (estimate.minutes, estimate.basis) == (12, "observed")


def test_services_outside_the_window_do_not_count(queue, counter):
    for _i in range(6):
        served(queue, counter, 3, ended_minutes_before=150)
    issue(queue, 5)
    assert estimate_for_queue(queue, business_date=DAY, now=TUESDAY_8AM).basis == "default"


def test_open_counters_share_the_line(queue, counter, center, leader):
    make_counter(center, 2, [queue], officer=leader)
    make_counter(center, 3, [queue])  # closed: it does not help
    for minutes in (40, 30, 20, 10):
        issue(queue, minutes)
    assert estimate_for_queue(queue, business_date=DAY, now=TUESDAY_8AM).minutes == 16  # 4 × 8 ÷ 2


def test_no_open_counter_means_no_estimate(queue, counter):
    issue(queue, 5)
    Counter.objects.filter(pk=counter.pk).update(state=Counter.State.PAUSED)
    estimate = estimate_for_queue(queue, business_date=DAY, now=TUESDAY_8AM)
    assert estimate.people_ahead == 1 and estimate.minutes is None


def test_the_whole_center_at_once_agrees_with_each_queue(queue, counter, center, leader):
    from motcua.queueing.eta import estimates_for_center

    from .conftest import make_queue

    land, empty = make_queue(center, "d", default_service_minutes=12), make_queue(center, "e")
    make_counter(center, 2, [queue, land], officer=leader)
    make_counter(center, 3, [land])  # closed
    make_counter(center, 4, [empty])  # closed: no honest figure for "e"
    for _i in range(6):
        served(queue, counter, 4)
    for minutes in (30, 20, 10):
        issue(queue, minutes)
        issue(land, minutes)
    issue(empty, 3)
    together = estimates_for_center(center=center, business_date=DAY, now=TUESDAY_8AM)
    for q in (queue, land, empty):
        assert together[q.code] == estimate_for_queue(q, business_date=DAY, now=TUESDAY_8AM)
    assert (together["b"].minutes, together["b"].basis) == (6, "observed")  # 3 × 4 ÷ 2
    assert (together["d"].minutes, together["d"].basis) == (36, "default")  # 3 × 12 ÷ 1
    assert together["e"].minutes is None
