"""Several `reports_rollup` workers at once (ADR 0010 §3): each day is claimed by a conditional
update, so every day is rolled up by exactly one worker. Real threads, own connections; on
SQLite the writers are serialised (see `tests/queueing/test_concurrency.py`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.reports.facts import rollup_days
from motcua.reports.models import RollupDay

from ..queueing.test_concurrency import _patiently, _run_in_threads
from .history import NOW, TODAY

pytestmark = pytest.mark.django_db(transaction=True)

DAYS = [TODAY - timedelta(days=i) for i in range(1, 7)]


def test_each_day_is_rolled_up_by_one_worker():
    def worker(_i: int) -> list:
        done = []
        for day in DAYS:
            done += _patiently(lambda d=day: rollup_days([d], again=False, now=NOW))
        return done

    results = _run_in_threads(worker, count=6)
    done = [day for result in results for day in result]
    assert sorted(done) == sorted(DAYS)  # every day once, none twice
    assert RollupDay.objects.filter(rolled_at__isnull=False).count() == len(DAYS)
    assert not RollupDay.objects.filter(claimed_at__isnull=False).exists()
