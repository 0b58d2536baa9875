"""Figures with known answers, scope, the rollup's bookkeeping, periods and Decision 766."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from motcua.core.calendar import LOCAL_TZ
from motcua.reports.facts import claim_day, rollup_day, rollup_days
from motcua.reports.figures import dossier_figures, indicators_766, queue_figures
from motcua.reports.models import DossierDayFact, RollupDay, TicketDayFact
from motcua.reports.periods import Period
from motcua.reports.queue_figures import histogram_quantile

from .history import NOW, TODAY, closing_event, make_world

YESTERDAY = TODAY - timedelta(days=1)


def _at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LOCAL_TZ)


@pytest.fixture
def world(organisation):
    return make_world()


def _user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def _dossier(world, *, procedure=0, center=0, **fields):
    from motcua.dossiers.models import Dossier

    p = world.procedures[procedure]
    d = Dossier.objects.create(procedure=p, procedure_version=world.versions[p.pk], applicant_name="Trần Thị B",
                               receiving_center=world.centers[center], competent_agency=p.agency,
                               submitted_at=fields.get("accepted_at", NOW), **fields)  # fmt: skip
    closing_event(d)
    return d


def _resolved(world, done: datetime, due: datetime, **fields):
    accepted = _at(YESTERDAY - timedelta(days=5), 8)
    fields = {"due_at": due, **fields}
    return _dossier(world, status=9, accepted_at=accepted, original_due_at=due, result_ready_at=done, **fields)


def test_four_resolved_one_late_is_75_percent_on_time(world):
    _resolved(world, _at(YESTERDAY, 9), _at(YESTERDAY + timedelta(days=2), 17))  # early
    _resolved(world, _at(YESTERDAY, 16), _at(YESTERDAY, 17))  # on the due day, in time
    _resolved(world, _at(YESTERDAY, 10), _at(YESTERDAY, 9), due_at=_at(YESTERDAY, 17))  # late: an apology
    _resolved(world, _at(YESTERDAY, 11), None)  # no due time: never late
    rollup_day(YESTERDAY, now=NOW)
    [row] = dossier_figures(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)
    assert (row["resolved"], row["resolved_early"], row["resolved_on_time"], row["resolved_late"]) == (4, 1, 2, 1)
    assert row.rates["on_time_rate"] == 0.75
    assert row.rates["late_rate"] == 0.25


def test_withdrawn_and_stopped_are_not_resolved(world):
    _dossier(world, status=7, accepted_at=_at(YESTERDAY, 8), closed_at=_at(YESTERDAY, 9))
    _dossier(world, status=8, accepted_at=_at(YESTERDAY, 8), closed_at=_at(YESTERDAY, 10))
    [row] = dossier_figures(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)
    assert (row["resolved"], row["withdrawn"], row["stopped"], row["received"]) == (0, 1, 1, 2)
    assert row.rates["on_time_rate"] is None


def test_in_progress_snapshot_of_the_last_day(world):
    _dossier(world, status=4, accepted_at=_at(YESTERDAY, 8), original_due_at=_at(YESTERDAY, 17))
    _dossier(world, status=4, accepted_at=_at(YESTERDAY, 8), original_due_at=_at(TODAY, 17))
    ended = Period.range(YESTERDAY, YESTERDAY)
    [row] = dossier_figures(ended, scope=_user("admin"), now=NOW)
    assert (row["in_progress"], row["in_progress_overdue"], row["in_progress_within_time"]) == (2, 1, 1)
    [live] = dossier_figures(Period.range(TODAY, TODAY), scope=_user("admin"), now=NOW)  # 10:30, due 17:00
    assert (live["in_progress"], live["in_progress_overdue"], live.rates["within_time_rate"]) == (2, 1, 0.5)


def test_online_digitised_fees_and_electronic_results(world):
    from motcua.dossiers.models import DossierFee, DossierResult

    online = _resolved(world, _at(YESTERDAY, 9), _at(TODAY, 17), channel="online")
    paper = _resolved(world, _at(YESTERDAY, 9), _at(TODAY, 17), channel="counter", is_digitised=True)
    DossierFee.objects.create(dossier=online, name="Phí", amount=10000, paid=True, method="online")
    DossierFee.objects.create(dossier=paper, name="Phí", amount=10000, paid=True, method="cash")
    DossierResult.objects.create(dossier=online, kind="electronic", approved_at=online.result_ready_at)
    DossierResult.objects.create(dossier=paper, kind="paper", approved_at=paper.result_ready_at)
    [row] = dossier_figures(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)
    assert row.rates["paid_online_rate"] == 0.5
    assert row.rates["e_result_rate"] == 0.5
    assert row.rates["online_on_time_rate"] == 1.0
    with override_settings(MOTCUA={**settings.MOTCUA, "REPORTS_ONLINE_FEE_METHODS": ["online", "transfer", "cash"]}):
        [row] = dossier_figures(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)
    assert row.rates["paid_online_rate"] == 1.0


def _ticket(world, *, status="done", issued, called=None, started=None, finished=None, center=0, **fields):
    from motcua.queueing.models import Ticket

    c = world.centers[center]
    queue = world.queues[c.pk][0]
    n = Ticket.objects.filter(queue=queue).count() + 1
    return Ticket.objects.create(center=c, queue=queue, business_date=issued.date(), number=n, display_number=n,
                                 code=f"A{n}", channel=fields.pop("channel", "kiosk"), status=status, issued_at=issued,
                                 queued_at=issued, called_at=called, started_at=started, finished_at=finished,
                                 counter=world.counters[c.pk][0], officer=world.officers[0], **fields)  # fmt: skip


def test_waits_in_their_buckets_and_a_no_show(world):
    issued = _at(YESTERDAY, 8)
    for wait in (timedelta(minutes=4, seconds=59), timedelta(minutes=5), timedelta(minutes=61)):
        _ticket(world, issued=issued, called=issued + wait, started=issued + wait,
                finished=issued + wait + timedelta(minutes=12))  # fmt: skip
    _ticket(world, status="no_show", issued=issued, called=issued + timedelta(minutes=20))
    rollup_day(YESTERDAY, now=NOW)
    [row] = queue_figures(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW).rows
    assert row.wait_histogram == [1, 1, 0, 0, 1, 0, 0, 1]
    assert row.service_histogram == [0, 0, 3, 0, 0, 0, 0, 0]
    assert row["no_show_rate"] == 0.25
    assert row["served"] == 3
    assert row["service_mean_minutes"] == pytest.approx(12)
    assert row["wait_mean_minutes"] == pytest.approx((4 + 59 / 60 + 5 + 61 + 20) / 4)
    assert TicketDayFact.objects.get().hour == 8


def test_histogram_quantiles():
    assert histogram_quantile([0] * 8, 0.5) is None
    assert histogram_quantile([2, 2, 0, 0, 0, 0, 0, 0], 0.5) == 5.0
    assert histogram_quantile([4, 0, 0, 0, 0, 0, 0, 0], 0.5) == 2.5
    assert histogram_quantile([0, 0, 0, 0, 0, 0, 0, 3], 0.9) == 60.0


def test_scopes(world):
    khcn, other = world.procedures[0], world.procedures[1]  # so-khcn, so-tu-phap
    assert khcn.agency.code == "so-khcn" and other.agency.code != "so-khcn"
    _dossier(world, procedure=0, center=1, status=4, accepted_at=_at(YESTERDAY, 8))
    _dossier(world, procedure=1, center=0, status=4, accepted_at=_at(YESTERDAY, 8))
    _dossier(world, procedure=1, center=1, status=4, accepted_at=_at(YESTERDAY, 8))
    _ticket(world, issued=_at(YESTERDAY, 8), center=1)
    period = Period.range(YESTERDAY, YESTERDAY)

    def received(username, group_by=None):
        return {row.key: row["received"] for row in dossier_figures(period, scope=_user(username),
                                                                     group_by=group_by, now=NOW)}  # fmt: skip

    assert received("admin") == {None: 3}
    assert received("admin", "officer") == {None: 3}  # received by nobody in particular
    with pytest.raises(ValueError):
        dossier_figures(period, scope=_user("admin"), group_by="officer", filters={"procedure": khcn.pk}, now=NOW)
    assert received("lanhdao", "center") == {world.centers[0].pk: 1}  # the Can Tho center's leader
    assert received("lanhdao.khcn", "agency") == {khcn.agency_id: 1}
    assert received("tiepnhan") == {}  # a reception officer sees no dashboard
    assert queue_figures(period, scope=_user("lanhdao"), now=NOW).rows == []  # the ticket is elsewhere
    assert queue_figures(period, scope=_user("lanhdao.khcn"), now=NOW).rows == []
    assert len(queue_figures(period, scope=_user("admin"), now=NOW).rows) == 1


def test_rollup_is_idempotent_and_claimed_once(world):
    _dossier(world, status=4, accepted_at=_at(YESTERDAY, 8))
    rollup_day(YESTERDAY, now=NOW)
    rollup_day(YESTERDAY, now=NOW)
    assert DossierDayFact.objects.filter(day=YESTERDAY).count() == 1
    assert RollupDay.objects.get(day=YESTERDAY).rolled_at == NOW
    assert not claim_day(YESTERDAY, now=NOW, again=False)  # already rolled up
    assert claim_day(YESTERDAY, now=NOW, again=True)
    assert not claim_day(YESTERDAY, now=NOW, again=True)  # another worker holds it
    assert claim_day(YESTERDAY, now=NOW + timedelta(hours=2), again=True)  # that worker died
    assert rollup_days([YESTERDAY], again=False, now=NOW) == []


def test_the_command_rolls_up_closed_days_not_yet_done(world):
    from django.utils import timezone

    today = timezone.localdate(timezone.now(), timezone=LOCAL_TZ)
    _dossier(world, status=4, accepted_at=_at(today - timedelta(days=3), 8))
    call_command("reports_rollup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    days = set(RollupDay.objects.filter(rolled_at__isnull=False).values_list("day", flat=True))
    assert days == {today - timedelta(days=i) for i in (1, 2, 3)}
    assert DossierDayFact.objects.get().day == today - timedelta(days=3)


def test_too_many_days_not_rolled_up_are_reported_missing(world):
    from motcua.reports._sums import sources_for

    sources = sources_for(Period.range(TODAY - timedelta(days=10), TODAY), now=NOW)
    assert len(sources.missing) == 10 and len(sources.live) == 1
    rollup_day(TODAY - timedelta(days=5), now=NOW)
    sources = sources_for(Period.range(TODAY - timedelta(days=10), TODAY), now=NOW)
    # the 5 days after the stored one are more than 3: missing too, only today is live
    assert len(sources.missing) == 9 and [f.day for f in sources.live] == [TODAY]
    rollup_day(TODAY - timedelta(days=3), now=NOW)
    sources = sources_for(Period.range(TODAY - timedelta(days=10), TODAY), now=NOW)
    assert [f.day for f in sources.live] == [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
    assert len(sources.missing) == 6  # the gaps before the last stored day


def test_periods():
    assert Period.quarter(2026, 2) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert Period.six_months(2026) == Period(date(2026, 1, 1), date(2026, 6, 30))
    assert Period.nine_months(2026) == Period(date(2026, 1, 1), date(2026, 9, 30))
    assert Period.year(2024) == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    weeks = Period(date(2026, 3, 4), date(2026, 3, 17)).steps("week")
    assert [(w.start.day, w.end.day) for w in weeks] == [(4, 8), (9, 15), (16, 17)]
    with pytest.raises(ValueError):
        Period(date(2026, 3, 2), date(2026, 3, 1))


def test_766_groups_rates_and_estimated_scores(world):
    _resolved(world, _at(YESTERDAY, 9), _at(TODAY, 17), channel="online")
    _resolved(world, _at(YESTERDAY, 9), _at(YESTERDAY, 8))  # late
    groups = {g.code: g for g in indicators_766(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)}
    assert sum(g.weight for g in groups.values()) == 100
    assert all(r.value is None and r.reason for r in groups["publicity"].rates)
    assert groups["publicity"].score is None
    progress = {r.code: r for r in groups["progress"].rates}
    assert (progress["on_time"].numerator, progress["on_time"].denominator) == (1, 2)
    assert progress["late"].value == 0.5 and not progress["late"].in_score
    # on time 0.5, within time: none in progress (None), online on time 1.0 → mean 0.75
    assert groups["progress"].score == pytest.approx(20 * 0.75)
    assert str(groups["progress"].score_label) == "ước tính"

    with override_settings(MOTCUA={**settings.MOTCUA, "REPORTS_766_WEIGHTS": {"progress": 40}}):
        groups = {g.code: g for g in indicators_766(Period.range(YESTERDAY, YESTERDAY), scope=_user("admin"), now=NOW)}
    assert groups["progress"].score == pytest.approx(40 * 0.75)
