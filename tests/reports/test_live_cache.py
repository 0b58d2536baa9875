"""Today's live facts are shared for a minute (`REPORTS_LIVE_CACHE_SECONDS`) when the dashboards
read the real clock, and computed at the exact moment when a caller passes `now`."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from motcua.reports.facts import FactRows, SharedFactRows, live_facts, local_today
from motcua.reports.figures import dossier_figures
from motcua.reports.periods import Period
from tests.dossiers.conftest import make_intake

pytestmark = pytest.mark.django_db


def _received_today() -> int:
    today = local_today()
    rows = dossier_figures(Period(today, today), scope=_everything())
    return next(iter(rows))["received"] if rows else 0


def _everything():
    from motcua.reports._scope import EVERYTHING

    return EVERYTHING


def test_the_real_clock_shares_todays_facts_and_an_exact_moment_does_not(settings):
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_LIVE_CACHE_SECONDS": 60}
    assert isinstance(live_facts(local_today()), SharedFactRows)
    assert type(live_facts(local_today(), now=timezone.now())) is FactRows


def _accept_now(procedure, center, officer) -> None:
    from motcua.dossiers.services import dossier_accept

    dossier_accept(officer=officer, intake=make_intake(procedure), center=center, now=timezone.now())


def test_a_new_dossier_shows_after_the_shared_minute(settings, procedure, center, reception_officer):
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_LIVE_CACHE_SECONDS": 60}
    before = _received_today()
    _accept_now(procedure, center, reception_officer)
    assert _received_today() == before  # still the shared figures of this minute
    cache.clear()  # the minute is over
    assert _received_today() == before + 1


def test_no_sharing_when_switched_off(settings, procedure, center, reception_officer):
    settings.MOTCUA = {**settings.MOTCUA, "REPORTS_LIVE_CACHE_SECONDS": 0}
    assert type(live_facts(local_today())) is FactRows
    before = _received_today()
    _accept_now(procedure, center, reception_officer)
    assert _received_today() == before + 1
