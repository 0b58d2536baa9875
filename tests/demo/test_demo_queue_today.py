"""`demo_queue_today`: a morning of tickets through the real services, only inside today's reception hours."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from motcua.core.calendar import LOCAL_TZ, calendar_for_center
from motcua.core.models import Center
from motcua.demo.queueing import load_demo_queueing
from motcua.demo.today import MAX_TICKETS, queue_morning
from motcua.queueing.models import Counter, DailyNumber, Ticket, TicketEvent


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


TUESDAY_0940 = local(2026, 3, 10, 9, 40)


@pytest.fixture
def floor(demo_catalog):
    load_demo_queueing()
    return Center.objects.get(code="cantho")


def _run(moment: datetime, capsys) -> str:
    with time_machine.travel(moment, tick=False):
        call_command("demo_queue_today")
    return capsys.readouterr().out


def test_a_morning_in_progress_through_the_services(floor, capsys):
    out = _run(TUESDAY_0940, capsys)

    tickets = Ticket.objects.filter(center=floor)
    statuses = set(tickets.values_list("status", flat=True))
    assert "10/03/2026: đã cấp" in out
    assert 40 <= tickets.count() <= MAX_TICKETS
    assert {Ticket.Status.DONE, Ticket.Status.WAITING} <= statuses
    assert set(tickets.values_list("business_date", flat=True)) == {TUESDAY_0940.date()}
    assert tickets.filter(priority__isnull=False).exists()
    assert TicketEvent.objects.filter(ticket__center=floor).count() > tickets.count() * 2


def test_every_moment_is_inside_todays_reception_and_not_in_the_future(floor, capsys):
    _run(TUESDAY_0940, capsys)

    calendar = calendar_for_center(floor)
    for ticket in Ticket.objects.filter(center=floor):
        assert calendar.is_reception_open(ticket.issued_at), ticket.code
    assert max(TicketEvent.objects.values_list("at", flat=True)) <= TUESDAY_0940


def test_desks_with_a_citizen_have_their_officer_seated(floor, capsys):
    _run(TUESDAY_0940, capsys)

    busy = Ticket.objects.filter(status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])
    assert busy.exists()
    for ticket in busy.select_related("counter"):
        assert ticket.counter.officer_id == ticket.officer_id
        assert ticket.counter.state == Counter.State.OPEN


def test_running_again_the_same_day_adds_nothing(floor, capsys):
    _run(TUESDAY_0940, capsys)
    count = Ticket.objects.count()

    out = _run(local(2026, 3, 10, 10, 0), capsys)

    assert "đã có số thứ tự" in out
    assert Ticket.objects.count() == count


@pytest.mark.parametrize(
    ("moment", "note"),
    [
        (local(2026, 3, 14, 9, 0), "Hôm nay (14/03/2026) không phải ngày làm việc"),  # a Saturday
        (local(2026, 4, 30, 9, 0), "Hôm nay (30/04/2026) không phải ngày làm việc"),  # Reunification Day
        (local(2026, 3, 10, 6, 30), "Chưa đến giờ tiếp nhận (07:00)"),
    ],
)
def test_no_tickets_outside_a_working_day_or_before_opening(floor, capsys, moment, note):
    out = _run(moment, capsys)

    assert note in out
    assert not Ticket.objects.exists()
    assert not Counter.objects.filter(officer__isnull=False).exists()


def test_the_same_seed_gives_the_same_morning(floor):
    queue_morning(now=TUESDAY_0940)
    first = list(Ticket.objects.order_by("issued_at", "pk").values_list("code", "status"))
    Ticket.objects.all().delete()
    Counter.objects.update(officer=None, state=Counter.State.CLOSED)
    DailyNumber.objects.all().delete()

    queue_morning(now=TUESDAY_0940)

    assert list(Ticket.objects.order_by("issued_at", "pk").values_list("code", "status")) == first


def test_demo_load_with_tickets_on_a_saturday_only_says_why(demo_catalog, capsys):
    with time_machine.travel(local(2026, 3, 14, 9, 0), tick=False):
        call_command("demo_load", "--with-tickets", "--no-history")
    out = capsys.readouterr().out

    assert "không phải ngày làm việc" in out
    assert Counter.objects.exclude(center__code="dao-tao").count() == 27 and not Ticket.objects.exists()
