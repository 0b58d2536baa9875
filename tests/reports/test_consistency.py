"""Every figure from the facts (closed days rolled up, the last unrolled days and today live)
equals the same figure computed plainly from the raw rows (ADR 0010 §3), on random histories,
for several periods, each grouping and three scopes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from motcua.reports.facts import rollup_days
from motcua.reports.figures import dossier_figures, queue_figures, trend
from motcua.reports.periods import Period

from . import oracle
from .history import DAYS, NOW, TODAY, make_history

PERIODS = [
    Period.range(TODAY - timedelta(days=DAYS), TODAY),  # everything, today live
    Period.month(2026, 3),  # this month
    Period.range(TODAY - timedelta(days=20), TODAY - timedelta(days=8)),  # closed days only
    Period.range(TODAY - timedelta(days=5), TODAY - timedelta(days=1)),  # ends with the unrolled days
    Period.quarter(2026, 1),
    Period.range(TODAY + timedelta(days=1), TODAY + timedelta(days=9)),  # the future: nothing
]
DOSSIER_GROUPS = [None, "center", "agency", "sector", "procedure", "officer"]
QUEUE_GROUPS = [None, "center", "queue", "counter", "officer"]
SCOPES = ["admin", "lanhdao", "lanhdao.khcn"]  # province, a center leader, an agency leader


@pytest.fixture(params=[1, 2])
def history(request, organisation):
    world = make_history(request.param)
    # Every closed day but the last two is stored; those two are computed live with today.
    rollup_days([TODAY - timedelta(days=DAYS + 1) + timedelta(days=i) for i in range(DAYS - 1)], again=True, now=NOW)
    return world


def _user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def _nonzero(counts):
    return {name: value for name, value in counts.items() if value}


def _approx(expected):
    return {k: {n: pytest.approx(v) for n, v in c.items()} for k, c in expected.items()}


def test_the_history_holds_every_case(history):
    from motcua.dossiers.models import Dossier
    from motcua.queueing.models import Ticket

    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(range(1, 11))
    row = dossier_figures(PERIODS[0], scope=_user("admin"), now=NOW)[0]
    for name in (
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "in_progress_overdue",
        "in_progress_within_time",
        "paid_online",
        "e_results",
        "withdrawn",
        "stopped",
        "rated",
    ):
        assert row[name] > 0, name
    assert Ticket.objects.filter(recycled=True).exists()
    assert Ticket.objects.filter(transferred_from__isnull=False).exists()
    assert Ticket.objects.filter(status="no_show").exists()


def test_dossier_figures_equal_the_raw_rows(history):
    from motcua.reports._scope import report_scope

    raw = oracle.load()
    for username, group_by in itertools.product(SCOPES, DOSSIER_GROUPS):
        user = _user(username)
        for period in PERIODS:
            rows = dossier_figures(period, scope=user, group_by=group_by, now=NOW)
            got = {row.key: _nonzero(row.counts) for row in rows}
            expected = oracle.dossier_counts(raw, period, report_scope(user), group_by)
            assert got == expected, (username, group_by, period)


def test_queue_figures_equal_the_raw_rows(history):
    from motcua.reports._scope import report_scope

    raw = oracle.load()
    for username, group_by in itertools.product(SCOPES, QUEUE_GROUPS):
        user = _user(username)
        for period in PERIODS:
            figures = queue_figures(period, scope=user, group_by=group_by, now=NOW)
            got = {row.key: _nonzero(row.counts) for row in figures.rows}
            expected, arrivals = oracle.queue_counts(raw, period, report_scope(user), group_by)
            assert got == _approx(expected), (username, group_by, period)
            assert figures.arrivals == arrivals
            whole, _ = oracle.queue_counts(raw, period, report_scope(user), None)
            total = figures.total()
            assert (_nonzero(total.counts) if total else {}) == _approx(whole).get(None, {}), (username, group_by)


@pytest.mark.parametrize(
    ("coarse", "key"),
    [("TicketQueueFact", ("day", "hour", "center_id", "queue_id")),
     ("TicketStaffFact", ("day", "center_id", "counter_id", "officer_id"))],
)  # fmt: skip
def test_the_coarse_ticket_facts_are_the_fine_ones_summed(history, coarse, key):
    from django.db.models import Sum

    from motcua.reports import models
    from motcua.reports.queue_figures import TICKET_COUNTS

    sums = {name: Sum(name) for name in TICKET_COUNTS}
    fine = {tuple(r.pop(k) for k in key): r for r in models.TicketDayFact.objects.values(*key).annotate(**sums)}
    rows = getattr(models, coarse).objects.values()
    got = {tuple(r[k] for k in key): {n: r[n] for n in TICKET_COUNTS} for r in rows}
    assert fine and got == {k: {n: pytest.approx(v) for n, v in c.items()} for k, c in fine.items()}


def test_a_counter_filter_reads_the_ticket_facts_not_the_queue_facts(history):
    from motcua.queueing.models import Counter

    user, period = _user("admin"), PERIODS[0]
    counter = Counter.objects.filter(pk__in=history_counters()).first()
    whole = {row.key: row for row in queue_figures(period, scope=user, group_by="counter", now=NOW).rows}
    figures = queue_figures(period, scope=user, group_by="queue", filters={"counter": counter.pk}, now=NOW)
    assert sum(row["tickets"] for row in figures.rows) == whole[counter.pk]["tickets"] > 0
    by_queue = {row.key: row for row in queue_figures(period, scope=user, group_by="queue", now=NOW).rows}
    queue = next(iter(by_queue))
    figures = queue_figures(period, scope=user, group_by="counter", filters={"queue": queue}, now=NOW)
    assert sum(row["tickets"] for row in figures.rows) == by_queue[queue]["tickets"] > 0
    assert sum(map(sum, figures.arrivals)) == sum(row["issued"] for row in figures.rows)


def history_counters():
    from motcua.reports.models import TicketDayFact

    return TicketDayFact.objects.exclude(counter=None).values_list("counter_id", flat=True)


def test_trend_months_and_weeks_add_up_to_the_period(history):
    user = _user("admin")
    period = PERIODS[0]
    for step in ("month", "week", "day"):
        points = trend(period, "received", scope=user, step=step, now=NOW)
        assert sum(p.value for p in points) == dossier_figures(period, scope=user, now=NOW)[0]["received"]
        for point in points:
            whole = dossier_figures(point.period, scope=user, now=NOW)
            expected = whole[0].counts if whole else {}
            assert _nonzero(point.row.counts) == _nonzero(expected), (step, point.period)


def test_trend_of_a_rate(history):
    user = _user("admin")
    for point in trend(PERIODS[1], "on_time_rate", scope=user, step="week", now=NOW):
        whole = dossier_figures(point.period, scope=user, now=NOW)
        assert point.value == (whole[0].rates["on_time_rate"] if whole else None)
