"""The drill-down lists exactly the dossiers a figure counts: for every count, every grouping and
every row of the dossier figures, on random histories (closed days stored, the last two and
today live), for a closed period and one that includes today, in three scopes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from motcua.reports.drill import METRICS, NO_KEY, dossiers_behind
from motcua.reports.facts import rollup_days
from motcua.reports.figures import dossier_figures
from motcua.reports.periods import Period

from .history import DAYS, NOW, TODAY, make_history

PERIODS = [
    Period.range(TODAY - timedelta(days=20), TODAY - timedelta(days=8)),  # closed days only
    Period.month(2026, 3),  # today live, with the two unrolled days
]
GROUPS = [None, "center", "agency", "sector", "procedure", "officer"]
SCOPES = ["admin", "lanhdao", "lanhdao.khcn"]  # province, a center leader, an agency leader


@pytest.fixture(params=[3])
def history(request, organisation):
    world = make_history(request.param)
    rollup_days([TODAY - timedelta(days=DAYS + 1) + timedelta(days=i) for i in range(DAYS - 1)], again=True, now=NOW)
    return world


def _user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def test_every_figure_has_its_dossiers(history):
    checked = 0
    for username, group_by, period in itertools.product(SCOPES, GROUPS, PERIODS):
        user = _user(username)
        for row in dossier_figures(period, scope=user, group_by=group_by, now=NOW):
            key = None if group_by is None else (NO_KEY if row.key is None else row.key)
            for metric in METRICS:
                behind = dossiers_behind(metric, period, scope=user, group_by=group_by, key=key, now=NOW)
                assert behind.count() == row[metric], (username, group_by, row.label, period, metric)
                checked += row[metric]
    assert checked > 1000  # the history is not empty


def test_the_total_row_of_a_grouping_has_no_key(history):
    user = _user("admin")
    total = dossier_figures(PERIODS[1], scope=user, now=NOW)[0]
    for metric in METRICS:
        assert dossiers_behind(metric, PERIODS[1], scope=user, group_by="agency", now=NOW).count() == total[metric]


def test_a_period_in_the_future_has_no_dossiers(history):
    future = Period.range(TODAY + timedelta(days=1), TODAY + timedelta(days=9))
    for metric in METRICS:
        assert not dossiers_behind(metric, future, scope=_user("admin"), now=NOW).exists()


def test_a_leader_never_sees_another_units_dossiers(history):
    from motcua.catalog.models import Agency
    from motcua.core.models import Center

    period = PERIODS[1]
    center_leader, agency_leader = _user("lanhdao"), _user("lanhdao.khcn")
    cantho, other = Center.objects.get(code="cantho"), Center.objects.exclude(code="cantho").order_by("code")[0]
    khcn = Agency.objects.get(code="so-khcn")
    for metric in METRICS:
        mine = dossiers_behind(metric, period, scope=center_leader, now=NOW)
        assert not mine.exclude(receiving_center=cantho).exists(), metric
        assert not dossiers_behind(metric, period, scope=center_leader, group_by="center", key=other.pk,
                                   now=NOW).exists()  # fmt: skip
        theirs = dossiers_behind(metric, period, scope=agency_leader, group_by="center", key=cantho.pk, now=NOW)
        assert not theirs.exclude(competent_agency=khcn).exists(), metric
    assert dossiers_behind("received", period, scope=center_leader, now=NOW).exists()
    assert dossiers_behind("received", period, scope=agency_leader, now=NOW).exists()


def test_unknown_metric_or_group():
    with pytest.raises(ValueError):
        dossiers_behind("rates", PERIODS[0], scope=None)
    with pytest.raises(ValueError):
        dossiers_behind("received", PERIODS[0], scope=None, group_by="queue")
