"""The periodic upward report and the apology register, on small hand-made histories with
known answers, and the form's balance on a random history checked against the raw rows."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from motcua.core.calendar import LOCAL_TZ
from motcua.reports.facts import rollup_days
from motcua.reports.figures import dossier_figures
from motcua.reports.periods import Period
from motcua.reports.registers import AGENCY, SECTOR, upward_columns, upward_table

from .history import NOW, TODAY, closing_event, make_dossiers, make_world

pytestmark = pytest.mark.django_db
# Monday 16 to Friday 20 March 2026; the stock carried over is the one at the end of Sunday 15.
WEEK = Period(date(2026, 3, 16), date(2026, 3, 20))
FIGURES = ("carried", "new_online", "new_direct", "received_total", "resolved", "resolved_early",
           "resolved_on_time", "resolved_late", "in_progress", "in_progress_within_time", "in_progress_overdue", "ended")  # fmt: skip


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LOCAL_TZ)


def user(username):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


def dossier(world, *, procedure=0, center=0, channel="counter", **fields):
    from motcua.dossiers.models import Dossier

    p = world.procedures[procedure]
    fields.setdefault("submitted_at", fields.get("accepted_at"))
    fields.setdefault("due_at", fields.get("original_due_at"))
    d = Dossier.objects.create(procedure=p, procedure_version=world.versions[p.pk], applicant_name="Lê Văn C",
                               receiving_center=world.centers[center], competent_agency=p.agency, channel=channel,
                               **fields)  # fmt: skip
    closing_event(d)
    return d


@pytest.fixture
def week(organisation):
    """Agency 0 (procedures 0 and 3: sectors 0 and 1) and agency 1 (procedure 1), around WEEK."""
    from motcua.dossiers.models import DossierEvent

    world = make_world()
    # Carried over from before the week: resolved early in it, still open (overdue), withdrawn in it.
    dossier(world, status=9, accepted_at=at(10, 8), original_due_at=at(20, 17), result_ready_at=at(17, 9))
    dossier(world, status=4, accepted_at=at(9, 8), original_due_at=at(18, 17))
    dossier(world, status=7, accepted_at=at(11, 8), closed_at=at(17, 10))
    # Resolved before the week: not carried over, not in it.
    dossier(world, status=9, accepted_at=at(2, 8), original_due_at=at(13, 17), result_ready_at=at(12, 9))
    # New in the week: online on time (sector 1), counter late (sector 1), post still within time,
    # online stopped; at the other center, agency 0 resolved early and agency 1 still open.
    dossier(world, procedure=3, channel="online", status=9, accepted_at=at(16, 9), original_due_at=at(18, 17),
            result_ready_at=at(18, 15))  # fmt: skip
    dossier(world, procedure=3, status=9, accepted_at=at(16, 10), original_due_at=at(17, 17), result_ready_at=at(19, 9))
    dossier(world, channel="post", status=4, accepted_at=at(19, 8), original_due_at=at(25, 17))
    dossier(world, channel="online", status=8, accepted_at=at(17, 8), closed_at=at(19, 8))
    dossier(world, center=1, status=9, accepted_at=at(18, 8), original_due_at=at(20, 17), result_ready_at=at(19, 10))
    dossier(world, procedure=1, center=1, status=4, accepted_at=at(17, 8), original_due_at=at(30, 17))
    # Withdrawn online before it was ever accepted: never received, so not in the form's balance.
    early = dossier(world, channel="online", status=1, submitted_at=at(17, 9))
    type(early).objects.filter(pk=early.pk).update(status=7, closed_at=at(18, 9))
    DossierEvent.objects.create(dossier=early, action="dossier.withdrawn", from_status=1, to_status=7, at=at(18, 9))
    # Accepted after the week.
    dossier(world, status=4, accepted_at=at(23, 8), original_due_at=at(27, 17))
    rollup_days([date(2026, 3, 1) + timedelta(days=i) for i in range(30)], again=True, now=NOW)
    return world


def figures(row) -> dict[str, int]:
    return {name: row[name] for name in FIGURES}


def expect(*values: int) -> dict[str, int]:
    return dict(zip(FIGURES, values, strict=True))


def test_the_center_leader_s_form_with_known_answers(week):
    table = upward_table(WEEK, scope=user("lanhdao"), now=NOW)
    agency = next(row for row in table.rows if row["_level"] == AGENCY)
    sectors = {row["_name"]: row for row in table.rows if row["_level"] == SECTOR}
    #                            carried online direct total resolved early on-time late open within over ended
    assert figures(agency) == expect(3, 2, 2, 7, 3, 1, 1, 1, 2, 1, 1, 2)
    assert figures(sectors["Lĩnh vực 0"]) == expect(3, 1, 1, 5, 1, 1, 0, 0, 2, 1, 1, 2)
    assert figures(sectors["Lĩnh vực 1"]) == expect(0, 1, 1, 2, 2, 0, 1, 1, 0, 0, 0, 0)
    assert figures(table.totals) == figures(agency)  # the other center's dossiers are not this leader's
    assert [row["_level"] for row in table.rows] == [AGENCY, SECTOR, SECTOR]


def test_scope_by_agency_and_province_wide(week):
    agency_leader = upward_table(WEEK, scope=user("lanhdao.khcn"), now=NOW)
    assert [row["_name"] for row in agency_leader.rows if row["_level"] == AGENCY] == [str(week.agencies[0])]
    assert figures(agency_leader.totals) == expect(3, 2, 3, 8, 4, 2, 1, 1, 2, 1, 1, 2)
    everything = upward_table(WEEK, scope=user("admin"), now=NOW)
    agencies = {row["_name"]: row for row in everything.rows if row["_level"] == AGENCY}
    assert figures(agencies[str(week.agencies[1])]) == expect(0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0)
    assert figures(everything.totals) == expect(3, 2, 4, 9, 4, 2, 1, 1, 3, 2, 1, 2)


def test_withdrawn_before_acceptance_stays_out_of_the_balance(week):
    """The facts count three withdrawals and stops for agency 0 in the week (one before it was
    received): the form's Rút/dừng is the two that had been received."""
    [facts] = dossier_figures(WEEK, scope=user("lanhdao"), filters={"agency": week.agencies[0].pk}, now=NOW)
    assert facts["withdrawn"] + facts["stopped"] == 3
    assert upward_table(WEEK, scope=user("lanhdao"), now=NOW).totals["ended"] == 2


def test_every_row_balances(week):
    table = upward_table(WEEK, scope=user("admin"), now=NOW)
    for row in [*table.rows, table.totals]:
        assert row["received_total"] == row["carried"] + row["new_online"] + row["new_direct"]
        assert row["received_total"] == row["resolved"] + row["in_progress"] + row["ended"]
        assert row["resolved"] == row["resolved_early"] + row["resolved_on_time"] + row["resolved_late"]
        assert row["in_progress"] == row["in_progress_within_time"] + row["in_progress_overdue"]
    subtotal = {k: sum(r[k] for r in table.rows if r["_level"] == AGENCY) for k in FIGURES}
    assert subtotal == figures(table.totals)


def test_the_files_columns_say_their_group():
    labels = [column.label for column in upward_columns()]
    assert "Đã giải quyết – Quá hạn" in labels and "Nhận giải quyết – Kỳ trước chuyển qua" in labels
    assert "Đang giải quyết – Trong hạn" in labels and labels[-1] == "Rút/dừng"


def test_an_empty_period_is_an_empty_form(week):
    table = upward_table(Period(date(2025, 1, 1), date(2025, 1, 31)), scope=user("admin"), now=NOW)
    assert table.rows == [] and table.totals["received_total"] == 0


def test_a_random_month_balances_against_the_raw_rows(organisation):
    """Carried over and Rút/dừng read from the facts equal what the dossiers themselves say."""
    from motcua.dossiers.models import Dossier

    world = make_world()
    made = make_dossiers(world, random.Random(6), 160)
    start = TODAY - timedelta(days=20)
    rollup_days([TODAY - timedelta(days=31) + timedelta(days=i) for i in range(31)], again=True, now=NOW)
    period = Period(start, TODAY - timedelta(days=3))
    first = datetime.combine(period.start, datetime.min.time(), LOCAL_TZ)
    after = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), LOCAL_TZ)
    table = upward_table(period, scope=user("admin"), now=NOW)
    accepted = [d for d in made if d.accepted_at is not None]

    def open_at(d: Dossier, moment: datetime) -> bool:
        done = d.result_ready_at if d.status in (9, 10) else d.closed_at if d.status in (7, 8) else None
        return d.accepted_at < moment and (done is None or done >= moment)

    ended = [d for d in accepted if d.status in (7, 8) and first <= d.closed_at < after and d.accepted_at < after]
    assert table.totals["carried"] == sum(open_at(d, first) for d in accepted)
    assert table.totals["in_progress"] == sum(open_at(d, after) for d in accepted)
    assert table.totals["ended"] == len(ended) > 0
    for row in table.rows:
        assert row["ended"] >= 0
