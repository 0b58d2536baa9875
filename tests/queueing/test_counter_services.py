"""An officer's seat at a counter, and the guards every counter action goes through."""

from __future__ import annotations

import pytest

from motcua.accounts.models import User
from motcua.queueing.errors import QueueingError
from motcua.queueing.models import Counter, CounterEvent, Ticket
from motcua.queueing.services import (
    counter_pause,
    counter_resume,
    counter_sign_in,
    counter_sign_out,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_start,
)

from .conftest import TUESDAY_8AM, make_counter

State = Counter.State


@pytest.fixture
def free_counter(center, queue):
    return make_counter(center, 7, [queue])


def _codes(counter):
    return list(CounterEvent.objects.filter(counter=counter).values_list("action", "from_state", "to_state"))


def test_sign_in_opens_the_counter_and_records_it(free_counter, reception_officer):
    counter = counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert (counter.state, counter.officer) == (State.OPEN, reception_officer)
    assert _codes(counter) == [("queueing.counter.signed_in", "closed", "open")]


def test_signing_in_again_changes_nothing(free_counter, reception_officer):
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert CounterEvent.objects.filter(counter=free_counter).count() == 1


def test_moving_to_another_counter_closes_the_first(center, queue, free_counter, reception_officer):
    other = make_counter(center, 8, [queue])
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    counter_sign_in(counter=other, officer=reception_officer, now=TUESDAY_8AM)
    free_counter.refresh_from_db()
    assert (free_counter.state, free_counter.officer) == (State.CLOSED, None)
    assert Counter.objects.get(officer=reception_officer) == other


def test_cannot_leave_a_counter_with_a_citizen_at_the_desk(center, queue, free_counter, reception_officer):
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    ticket_call_next(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    with pytest.raises(QueueingError) as refused:
        counter_sign_out(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.busy"
    assert "B001" in str(refused.value)
    with pytest.raises(QueueingError):
        counter_sign_in(counter=make_counter(center, 9, [queue]), officer=reception_officer, now=TUESDAY_8AM)


def test_a_seated_counter_is_not_taken_over(free_counter, reception_officer, leader):
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    with pytest.raises(QueueingError) as refused:
        counter_sign_in(counter=free_counter, officer=leader, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.taken"
    assert str(refused.value) == "Quầy số 7 đang có cán bộ Trần Thị Hoa làm việc."


def test_officers_outside_the_center_cannot_sign_in(free_counter, agency_officer):
    with pytest.raises(QueueingError) as refused:
        counter_sign_in(counter=free_counter, officer=agency_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.not_allowed"
    ward_officer = User.objects.get(username="tiepnhan.ninhkieu")
    with pytest.raises(QueueingError):
        counter_sign_in(counter=free_counter, officer=ward_officer, now=TUESDAY_8AM)


def test_pause_stops_calling_and_resume_restarts(queue, free_counter, reception_officer):
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    counter_pause(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    with pytest.raises(QueueingError) as refused:
        ticket_call_next(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.not_open"
    assert str(refused.value) == "Quầy số 7 đang tạm dừng: hãy mở quầy trước khi gọi số."
    counter_resume(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert ticket_call_next(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM).code == "B001"
    assert [a for a, _f, _t in _codes(free_counter)] == [
        "queueing.counter.signed_in",
        "queueing.counter.paused",
        "queueing.counter.resumed",
    ]


def test_pause_and_resume_refuse_the_wrong_state(free_counter, reception_officer):
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    with pytest.raises(QueueingError) as refused:
        counter_resume(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.not_paused"
    counter_pause(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    with pytest.raises(QueueingError):
        counter_pause(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)


def test_only_the_seated_officer_acts_for_a_counter(queue, free_counter, reception_officer, leader):
    with pytest.raises(QueueingError) as refused:
        ticket_call_next(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    assert refused.value.code == "queueing.counter.not_signed_in"
    counter_sign_in(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    ticket_issue(queue=queue, channel=Ticket.Channel.KIOSK, now=TUESDAY_8AM)
    called = ticket_call_next(counter=free_counter, officer=reception_officer, now=TUESDAY_8AM)
    for action in (ticket_start, ticket_finish):
        with pytest.raises(QueueingError) as refused:
            action(ticket=called, officer=leader, now=TUESDAY_8AM)
        assert refused.value.code == "queueing.counter.not_signed_in"
    with pytest.raises(QueueingError):
        counter_sign_out(counter=free_counter, officer=leader, now=TUESDAY_8AM)
