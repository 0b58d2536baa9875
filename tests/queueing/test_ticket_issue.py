"""Issuing numbers: per day and per queue sequences, the shown code, and every refusal."""

from __future__ import annotations

import pytest

from motcua.core.models import CalendarDay
from motcua.queueing.errors import TicketIssueRefused
from motcua.queueing.models import DailyNumber, Ticket, TicketEvent
from motcua.queueing.services import ticket_issue

from .conftest import TUESDAY_8AM, WEDNESDAY_8AM, local, make_queue

KIOSK = Ticket.Channel.KIOSK


def _issue(queue, now=TUESDAY_8AM, **kw):
    return ticket_issue(queue=queue, channel=KIOSK, now=now, **kw)


def test_numbers_count_up_with_a_zero_padded_code(center):
    queue = make_queue(center, "b", number_start=1000, number_end=1999)
    tickets = [_issue(queue) for _ in range(3)]
    assert [(t.number, t.display_number, t.code) for t in tickets] == [
        (1, 1000, "B1000"),
        (2, 1001, "B1001"),
        (3, 1002, "B1002"),
    ]
    assert tickets[0].business_date.isoformat() == "2026-03-10"
    assert TicketEvent.objects.filter(action="queueing.ticket.issued").count() == 3


def test_numbers_restart_each_business_day_and_keep_history(queue):
    _issue(queue)
    _issue(queue)
    wednesday = _issue(queue, now=WEDNESDAY_8AM)
    assert (wednesday.number, wednesday.code) == (1, "B001")
    assert Ticket.objects.filter(queue=queue).count() == 3
    assert DailyNumber.objects.filter(queue=queue).count() == 2


def test_business_date_is_the_vietnamese_date(queue):
    # 07:30 in Can Tho is 00:30 UTC: still the same local day.
    ticket = _issue(queue, now=local(2026, 3, 10, 7, 30))
    assert ticket.business_date.isoformat() == "2026-03-10"


def test_each_queue_has_its_own_sequence(center, queue):
    other = make_queue(center, "c")
    _issue(queue)
    assert (_issue(other).code, _issue(queue).code) == ("C001", "B002")


def test_wrapping_reuses_the_shown_numbers_but_never_the_sequence(center):
    queue = make_queue(center, "w", number_start=1, number_end=2, wrap=True)
    codes = [(t.number, t.code) for t in (_issue(queue) for _ in range(3))]
    assert codes == [(1, "W1"), (2, "W2"), (3, "W1")]


def test_exhausted_range_without_wrap_is_refused(center):
    queue = make_queue(center, "x", number_start=1, number_end=2)
    _issue(queue)
    _issue(queue)
    with pytest.raises(TicketIssueRefused) as refused:
        _issue(queue)
    assert refused.value.code == "queueing.issue.range_exhausted"
    assert str(refused.value) == "Hàng đợi đã hết dải số trong ngày."


def test_daily_cap_is_refused_with_its_message(center):
    queue = make_queue(center, "d", daily_cap=2)
    _issue(queue)
    _issue(queue)
    with pytest.raises(TicketIssueRefused) as refused:
        _issue(queue)
    assert refused.value.code == "queueing.issue.daily_cap"
    assert str(refused.value) == ("Hàng đợi đã cấp đủ 2 số trong ngày, vui lòng quay lại vào ngày làm việc tiếp theo.")
    assert _issue(queue, now=WEDNESDAY_8AM).number == 1  # the cap is per day


@pytest.mark.parametrize(
    ("now", "code", "message"),
    [
        (local(2026, 3, 10, 6, 59), "queueing.issue.outside_hours", "Ngoài giờ tiếp nhận hồ sơ"),
        (local(2026, 3, 10, 12, 0), "queueing.issue.outside_hours", "Ngoài giờ tiếp nhận hồ sơ"),
        (local(2026, 3, 10, 16, 30), "queueing.issue.outside_hours", "Ngoài giờ tiếp nhận hồ sơ"),
        (local(2026, 3, 14, 8, 0), "queueing.issue.day_off", "Hôm nay không phải ngày làm việc"),  # Saturday
        (local(2026, 9, 2, 8, 0), "queueing.issue.day_off", "Hôm nay không phải ngày làm việc"),  # National Day
        (local(2026, 3, 10, 10, 15), "queueing.issue.cutoff", "Đã ngừng cấp số: buổi tiếp nhận sắp kết thúc"),
        (local(2026, 3, 10, 16, 20), "queueing.issue.cutoff", "Đã ngừng cấp số: buổi tiếp nhận sắp kết thúc"),
    ],
)
def test_refused_outside_reception(queue, now, code, message):
    with pytest.raises(TicketIssueRefused) as refused:
        _issue(queue, now=now)
    assert refused.value.code == code
    assert str(refused.value).startswith(message)
    assert not Ticket.objects.exists()
    assert not DailyNumber.objects.exists()


def test_issued_just_before_the_cutoff(queue):
    assert _issue(queue, now=local(2026, 3, 10, 10, 14, 59)).number == 1


def test_center_day_off_refuses(center, queue):
    CalendarDay.objects.create(date=TUESDAY_8AM.date(), center=center, kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ")
    with pytest.raises(TicketIssueRefused) as refused:
        _issue(queue)
    assert refused.value.code == "queueing.issue.day_off"


def test_inactive_queue_refuses(center):
    queue = make_queue(center, "off", is_active=False)
    with pytest.raises(TicketIssueRefused) as refused:
        _issue(queue)
    assert (refused.value.code, str(refused.value)) == (
        "queueing.issue.queue_inactive",
        "Hàng đợi này đang tạm ngừng cấp số.",
    )
