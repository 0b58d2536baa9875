"""Ticket ratings: given once, for a served ticket, within the window after it was finished."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.core.models import AuditLog
from motcua.feedback.errors import FeedbackRefused
from motcua.feedback.models import TicketRating
from motcua.feedback.services import ticket_find_for_rating, ticket_for_rating, ticket_rating_give
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_call_next, ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, WEDNESDAY_8AM, make_counter

from .conftest import serve

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def give(ticket, answer="satisfied", at=None, **kwargs):
    at = at or ticket.finished_at + 5 * MINUTE
    return ticket_rating_give(ticket=ticket, answer=answer, channel="kiosk", now=at, **kwargs)


def refusal(call) -> FeedbackRefused:
    with pytest.raises(FeedbackRefused) as refused:
        call()
    return refused.value


def test_a_served_ticket_is_rated_with_its_counter_officer_queue_and_center(served, counter, reception_officer):
    rating = give(served, "very_satisfied", comment="  Cán bộ nhiệt tình, hướng dẫn rõ ràng.  ")
    assert (rating.ticket, rating.center, rating.queue, rating.counter, rating.officer) == (
        served, served.center, served.queue, counter, reception_officer)  # fmt: skip
    assert (rating.answer, rating.comment, rating.channel) == ("very_satisfied", "Cán bộ nhiệt tình, hướng dẫn rõ ràng.",
                                                              "kiosk")  # fmt: skip
    assert rating.at == served.finished_at + 5 * MINUTE
    audit = AuditLog.objects.get(action="feedback.ticket_rating.given")
    assert (audit.object_id, audit.center, audit.data) == (
        str(rating.pk), served.center, {"ticket": served.code, "answer": "very_satisfied", "channel": "kiosk"})  # fmt: skip


def test_a_long_comment_is_cut_to_500_characters(served):
    assert len(give(served, comment="x" * 800 + "\x00").comment) == 500


def test_a_ticket_not_served_yet_cannot_be_rated(queue, counter, reception_officer):
    waiting = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    error = refusal(lambda: give(waiting, at=TUESDAY_8AM + MINUTE))
    assert (error.code, error.message) == ("not_served", "Số B001 chưa được phục vụ xong, chưa thể đánh giá.")
    ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM + MINUTE)
    assert refusal(lambda: give(waiting, at=TUESDAY_8AM + 2 * MINUTE)).code == "not_served"  # called, not done
    assert not TicketRating.objects.exists()


def test_a_no_show_cannot_be_rated(queue, counter, reception_officer):
    from motcua.queueing.services import ticket_mark_no_show

    ticket = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM)
    ticket_call_next(counter=counter, officer=reception_officer, now=TUESDAY_8AM + MINUTE)
    ticket_mark_no_show(ticket=ticket, officer=reception_officer, now=TUESDAY_8AM + 5 * MINUTE)
    assert refusal(lambda: give(ticket, at=TUESDAY_8AM + 6 * MINUTE)).code == "not_served"


def test_the_window_closes_120_minutes_after_the_service_by_default(served):
    error = refusal(lambda: give(served, at=served.finished_at + 121 * MINUTE))
    assert (error.code, error.message) == ("too_late", "Đã quá thời gian đánh giá lượt phục vụ của số B001.")
    assert give(served, at=served.finished_at + 120 * MINUTE).pk


def test_the_window_is_a_setting(served, settings):
    settings.MOTCUA = {**settings.MOTCUA, "RATING_WINDOW_MINUTES": 5}
    assert refusal(lambda: give(served, at=served.finished_at + 6 * MINUTE)).code == "too_late"


def test_a_ticket_is_rated_once(served):
    give(served)
    error = refusal(lambda: give(served, "not_satisfied"))
    assert (error.code, error.message) == ("already_rated", "Lượt phục vụ của số B001 đã được đánh giá.")
    assert TicketRating.objects.get().answer == "satisfied"


@pytest.mark.parametrize("answer", ["", "hai_long", "Hài lòng", None])
def test_only_the_three_answers_are_accepted(served, answer):
    error = refusal(lambda: give(served, answer))
    assert error.code == "invalid_answer"
    assert error.message == "Câu trả lời không hợp lệ: chọn Rất hài lòng, Hài lòng hoặc Không hài lòng."


# --- which ticket to rate -----------------------------------------------------------------------


def test_the_counter_tablet_offers_the_ticket_it_finished_last_until_it_is_rated(
    center, queue, counter, reception_officer, khcn_officer
):
    first = serve(queue, counter, reception_officer, TUESDAY_8AM)
    second = serve(queue, counter, reception_officer, TUESDAY_8AM + 15 * MINUTE)
    elsewhere = make_counter(center, 2, [queue], officer=khcn_officer)
    serve(queue, elsewhere, khcn_officer, TUESDAY_8AM + 16 * MINUTE)  # finished later, at another counter
    now = second.finished_at + MINUTE
    assert ticket_for_rating(center=center, counter=counter, now=now) == second
    give(second, at=now)
    assert ticket_for_rating(center=center, counter=counter, now=now) is None  # not the older `first`
    assert first.pk != second.pk


def test_nothing_to_rate_before_a_service_or_after_the_window(center, queue, counter, reception_officer):
    assert ticket_for_rating(center=center, counter=counter, now=TUESDAY_8AM) is None
    ticket = serve(queue, counter, reception_officer)
    assert ticket_for_rating(center=center, counter=counter, now=ticket.finished_at - MINUTE) is None
    assert ticket_for_rating(center=center, counter=counter, now=ticket.finished_at + 121 * MINUTE) is None
    assert ticket_for_rating(center=center, now=ticket.finished_at + MINUTE) == ticket


def test_a_kiosk_finds_todays_ticket_by_its_code_or_number(center, queue, counter, reception_officer):
    yesterday = serve(queue, counter, reception_officer, TUESDAY_8AM)
    today = serve(queue, counter, reception_officer, WEDNESDAY_8AM)
    now = today.finished_at + MINUTE
    assert yesterday.code == today.code == "B001"
    assert ticket_find_for_rating(center, " b001 ", now) == today
    assert ticket_find_for_rating(center, "1", now) == today
    assert ticket_find_for_rating(center, "B002", now) is None
    assert ticket_find_for_rating(center, "", now) is None


def test_a_repeated_number_finds_the_one_served(center, queue, counter, reception_officer):
    served = serve(queue, counter, reception_officer)
    Ticket.objects.filter(pk=served.pk).update(display_number=7, code="B007")
    later = ticket_issue(queue=queue, channel="kiosk", now=TUESDAY_8AM + 20 * MINUTE)
    Ticket.objects.filter(pk=later.pk).update(display_number=7, code="B007")  # a wrapped range
    assert ticket_find_for_rating(center, "B007", TUESDAY_8AM + 30 * MINUTE) == served


def test_the_one_to_one_column_has_the_last_word(served, monkeypatch):
    """Two devices may both pass the check before either inserts: the loser's insert fails and is
    answered as a second rating (the threads in test_concurrency race for real)."""
    from motcua.feedback import services

    give(served)
    monkeypatch.setattr(services, "_ensure_ratable", lambda ticket, now: None)
    assert refusal(lambda: give(served, "not_satisfied")).code == "already_rated"
    assert TicketRating.objects.get().answer == "satisfied"  # and the test's transaction is still usable


def test_an_unknown_channel_is_a_callers_bug(served):
    with pytest.raises(ValueError, match="unknown rating channel"):
        ticket_rating_give(ticket=served, answer="satisfied", channel="fax", now=served.finished_at)
