"""The generated demo history keeps the services' rules: codes, statuses, times, events, the
working calendar; the rollup reads it; loading twice adds nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import pytest

from motcua.core.calendar import LOCAL_TZ, calendar_for_center, to_local
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent
from motcua.queueing.models import DailyNumber, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

# Ten working days before Tết 2026 and the holiday itself: the window is 9–25 February.
NOW = datetime(2026, 2, 26, 10, 0, tzinfo=LOCAL_TZ)
START = date(2026, 2, 9)
Status = Dossier.Status


@pytest.fixture
def history(demo_catalog):
    from motcua.demo.history import load_history
    from motcua.demo.queueing import load_demo_queueing

    load_demo_queueing()
    summary = load_history(now=NOW, start=START, centers=["ninhkieu"])
    assert summary is not None
    return summary


def _tickets_only_on_working_days_numbered_without_gaps(history):
    calendar = calendar_for_center(Ticket.objects.first().center)
    days = set(Ticket.objects.values_list("business_date", flat=True))
    assert days and all(calendar.is_working_day(d) for d in days)
    assert not any(date(2026, 2, 14) <= d <= date(2026, 2, 22) for d in days)  # Tết
    numbers = defaultdict(list)
    for queue, day, number in Ticket.objects.values_list("queue_id", "business_date", "number"):
        numbers[queue, day].append(number)
    for key, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1))
        assert DailyNumber.objects.get(queue_id=key[0], business_date=key[1]).last_number == len(found)


def _ticket_times_and_events_follow_the_services(history):
    for ticket in Ticket.objects.prefetch_related("events"):
        actions = [e.action.removeprefix("queueing.ticket.") for e in ticket.events.all()]
        assert actions[0] == "issued"
        assert to_local(ticket.issued_at).date() == ticket.business_date
        if ticket.status == Ticket.Status.DONE:
            assert actions == ["issued", "called", "serving", "done"]
            assert ticket.issued_at <= ticket.called_at <= ticket.started_at <= ticket.finished_at
            assert ticket.counter_id and ticket.officer_id
        if ticket.status == Ticket.Status.TRANSFERRED:
            assert ticket.transferred_to.get().queued_at == ticket.queued_at
        for event in ticket.events.all():
            assert event.to_status in Ticket.Status.values
    assert TicketEvent.objects.filter(action="queueing.ticket.no_show").exists()


def _dossier_codes_are_unique_and_gap_free_per_day(history):
    series = defaultdict(list)
    for code in Dossier.objects.exclude(code=None).values_list("code", flat=True):
        head, number = code.rsplit("-", 1)
        series[head].append(int(number))
    assert series
    for head, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        digits = head[-6:]
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
        assert DailySequence.objects.get(series=head + "-", business_date=day).last_number == len(numbers)
    assert not Dossier.objects.filter(status=Status.REFUSED).exclude(code=None).exists()


def _dossier_statuses_agree_with_times_and_events(history):
    dossiers = Dossier.objects.prefetch_related("events", "steps")
    seen = set()
    for d in dossiers:
        seen.add(d.status)
        actions = [e.action for e in d.events.all()]
        assert actions[0] == "dossier.submitted"
        assert d.events.order_by("-at", "-id").first().to_status == d.status or d.status == Status.PROCESSING
        if d.status == Status.REFUSED:
            continue
        assert "dossier.accepted" in actions and d.code
        assert d.due_at is None or d.accepted_at <= d.due_at
        assert to_local(d.accepted_at).date() <= NOW.date()
        if d.status in (Status.RESULT_READY, Status.RETURNED):
            assert "dossier.result_ready" in actions and hasattr(d, "result")
            assert all(s.handed_over_at and s.outcome for s in d.steps.all())
        if d.status == Status.RETURNED:
            assert d.result_ready_at <= d.returned_at == d.closed_at <= NOW
            assert "dossier.returned" in actions
        if d.apologies.exists():
            assert d.due_at > d.original_due_at
        for event in d.events.all():
            assert event.at <= NOW
    assert {Status.PROCESSING, Status.RETURNED} <= seen


def _rollup_figures_match_the_raw_rows(history):
    from motcua.reports._scope import EVERYTHING
    from motcua.reports.figures import dossier_figures
    from motcua.reports.periods import Period
    from motcua.reports.queue_figures import queue_figures

    period = Period(START, date(2026, 2, 25))
    total = dossier_figures(period, scope=EVERYTHING, now=NOW)[0]
    accepted = Dossier.objects.filter(accepted_at__date__lte=date(2026, 2, 25)).count()
    assert total["received"] == accepted > 0
    ready = Dossier.objects.filter(result_ready_at__lt=datetime(2026, 2, 26, tzinfo=LOCAL_TZ))
    assert total["resolved"] == ready.count()
    assert total["received_online"] > 0 and total["resolved"] > 0
    assert queue_figures(period, scope=EVERYTHING, now=NOW) is not None
    assert history.rolled_up == (date(2026, 2, 25) - START).days + 1


def _loading_twice_adds_nothing(history):
    from motcua.demo.history import load_history

    counts = (Ticket.objects.count(), Dossier.objects.count(), DossierEvent.objects.count())
    assert load_history(now=NOW, start=START, centers=["ninhkieu"]) is None
    assert (Ticket.objects.count(), Dossier.objects.count(), DossierEvent.objects.count()) == counts


def test_the_generated_history_keeps_the_services_rules(history):
    """One generation (≈10 s), every rule checked on it."""
    _tickets_only_on_working_days_numbered_without_gaps(history)
    _ticket_times_and_events_follow_the_services(history)
    _dossier_codes_are_unique_and_gap_free_per_day(history)
    _dossier_statuses_agree_with_times_and_events(history)
    _rollup_figures_match_the_raw_rows(history)
    _loading_twice_adds_nothing(history)
