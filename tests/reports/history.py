"""Random small histories for the reports tests, written as direct rows (faster than services)
but keeping the invariants the services keep: a dossier's times follow its status (accepted
before result, result before return, closed when final), a recycled ticket's first call is an
event before its `called_at`, ratings copy their ticket's center, queue, counter and officer."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from motcua.core.calendar import LOCAL_TZ

# Tuesday 31/03/2026 10:30 in Can Tho: "now" for every generated history.
NOW = datetime(2026, 3, 31, 10, 30, tzinfo=LOCAL_TZ)
TODAY = NOW.date()
DAYS = 30


@dataclass
class World:
    centers: list[Any]
    agencies: list[Any]
    procedures: list[Any]
    versions: dict[int, Any]
    officers: list[Any]
    queues: dict[int, list[Any]]
    counters: dict[int, list[Any]]
    scheme: Any = None
    numbers: dict[tuple, int] = field(default_factory=dict)


def make_world() -> World:
    """Two centers (Can Tho and another), three agencies, five procedures in two sectors,
    two queues and two counters per center (needs the demo organisation)."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Agency, OnlineLevel, Procedure, ProcedureVersion, Sector
    from motcua.core.models import Center
    from motcua.feedback.models import AssessmentScheme
    from motcua.queueing.models import Counter, Queue

    centers = [Center.objects.get(code="cantho"), Center.objects.exclude(code="cantho").order_by("code")[0]]
    agencies = [Agency.objects.get(code="so-khcn"), Agency.objects.get(code="so-tu-phap"),
                Agency.objects.exclude(code__in=["so-khcn", "so-tu-phap"]).order_by("code")[0]]  # fmt: skip
    sectors = [Sector.objects.create(code=f"rp-sector-{i}", name=f"Lĩnh vực {i}") for i in range(2)]
    procedures, versions = [], {}
    for i in range(5):
        p = Procedure.objects.create(
            code=f"rp.{i}", name=f"Thủ tục {i}", sector=sectors[i % 2], agency=agencies[i % 3],
            time_unit="working_days", time_value=Decimal(3),
            online_level=OnlineLevel.FULL if i < 3 else OnlineLevel.NONE,
        )  # fmt: skip
        procedures.append(p)
        versions[p.pk] = ProcedureVersion.objects.create(procedure=p, number=1, snapshot={}, content_hash="x",
                                                         created_at=NOW - timedelta(days=400))  # fmt: skip
    officers = list(User.objects.filter(username__in=["tiepnhan", "lanhdao", "admin"]).order_by("username"))
    queues = {c.pk: [Queue.objects.create(center=c, code=f"rp{j}", name=f"Quầy {j}", prefix=str(j)) for j in range(2)]
              for c in centers}  # fmt: skip
    counters = {c.pk: [Counter.objects.create(center=c, number=90 + j, name=f"Quầy số {90 + j}") for j in range(2)]
                for c in centers}  # fmt: skip
    scheme = AssessmentScheme.objects.create(code="rp-test", title="Test", valid_from=date(2020, 1, 1),
                                             definition={})  # fmt: skip
    return World(centers, agencies, procedures, versions, officers, queues, counters, scheme)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def _moment(rng: random.Random, day: date) -> datetime:
    return _local(day, rng.choice([7, 8, 9, 10, 13, 14, 15, 16]), rng.randrange(60)) + timedelta(
        seconds=rng.randrange(60)
    )


def _capped(at: datetime) -> datetime | None:
    return at if at <= NOW else None


def _dossier_times(rng: random.Random, submitted: datetime) -> dict[str, Any]:
    """Status and times: some never accepted, some refused, the rest accepted then in progress,
    withdrawn, stopped, resolved (early, on the due day before or after the due time, late),
    returned."""
    fate = rng.choices(["submitted", "refused", "open", "withdrawn", "stopped", "ready", "returned"],
                       [1, 1, 4, 1, 1, 3, 5])[0]  # fmt: skip
    if fate == "submitted":
        return {"status": 1}
    if fate == "refused":
        return {"status": 3, "closed_at": submitted}
    accepted = submitted + timedelta(minutes=rng.randrange(0, 30))
    due = None if rng.random() < 0.08 else _local((accepted + timedelta(days=rng.randrange(0, 8))).date(), 17)
    times = {"accepted_at": accepted, "original_due_at": due, "due_at": due}
    if due is not None and rng.random() < 0.1:
        times["due_at"] = due + timedelta(days=3)  # an apology moved the appointment, not the original
    if fate == "open":
        return times | {"status": rng.choice([2, 4, 5, 6])}
    ended = _capped(accepted + timedelta(hours=rng.randrange(1, 24 * 12)))
    if ended is None:
        return times | {"status": 4}
    if fate in ("withdrawn", "stopped"):
        return times | {"status": 7 if fate == "withdrawn" else 8, "closed_at": ended}
    if due is not None and rng.random() < 0.3:  # on the due day itself, before or after the due time
        ended = _capped(due + timedelta(hours=rng.choice([-3, -1, 1, 5]))) or ended
    ended = max(ended, accepted + timedelta(minutes=5))
    if fate == "ready" or ended + timedelta(days=1) > NOW:
        return times | {"status": 9, "result_ready_at": ended}
    returned = _capped(ended + timedelta(hours=rng.randrange(1, 72))) or ended + timedelta(minutes=1)
    return times | {"status": 10, "result_ready_at": ended, "returned_at": returned, "closed_at": returned}


def closing_event(d: Any) -> None:
    """The history row the services write when a dossier is returned, withdrawn or stopped."""
    from motcua.dossiers.models import DossierEvent

    actions = {10: ("dossier.returned", 9, d.returned_at), 7: ("dossier.withdrawn", 4, d.closed_at),
               8: ("dossier.stopped", 4, d.closed_at)}  # fmt: skip
    if d.status in actions:
        action, before, at = actions[d.status]
        DossierEvent.objects.create(dossier=d, action=action, from_status=before, to_status=d.status, at=at)
        if d.status == 10:  # a later postal update is a 10 → 10 row, not a second return
            DossierEvent.objects.create(dossier=d, action="dossier.postal_status_changed", from_status=10,
                                        to_status=10, at=at + timedelta(minutes=1))  # fmt: skip


def make_dossiers(world: World, rng: random.Random, count: int) -> list[Any]:
    from motcua.dossiers.models import Dossier, DossierFee, DossierResult

    made = []
    for _ in range(count):
        procedure = rng.choice(world.procedures)
        submitted = _moment(rng, TODAY - timedelta(days=rng.randrange(DAYS)))
        if submitted > NOW:
            submitted = NOW - timedelta(hours=1)
        times = _dossier_times(rng, submitted)
        d = Dossier.objects.create(
            procedure=procedure, procedure_version=world.versions[procedure.pk], applicant_name="Nguyễn Văn A",
            receiving_center=rng.choice(world.centers), competent_agency=procedure.agency,
            channel=rng.choice(["counter", "counter", "online", "post"]), submitted_at=submitted,
            received_by=rng.choice([*world.officers, None]), is_digitised=rng.random() < 0.5, **times,
        )  # fmt: skip
        closing_event(d)
        for _ in range(rng.randrange(3)):
            paid = rng.random() < 0.7
            DossierFee.objects.create(
                dossier=d, name="Lệ phí", amount=Decimal(rng.choice([0, 50000])), paid=paid,
                method=rng.choice(["cash", "transfer", "online"]) if paid else "",
            )  # fmt: skip
        if d.result_ready_at:
            DossierResult.objects.create(dossier=d, kind=rng.choice(["paper", "electronic", "both"]),
                                         approved_at=d.result_ready_at)  # fmt: skip
        made.append(d)
    return made


def make_assessments(world: World, rng: random.Random, dossiers: list[Any]) -> None:
    from motcua.feedback.models import DossierAssessment

    for d in dossiers:
        if d.status != 10 or rng.random() < 0.4:
            continue
        at = _capped(d.returned_at + timedelta(hours=rng.randrange(1, 48))) or NOW
        DossierAssessment.objects.create(
            dossier=d, scheme=world.scheme, scores={}, total=rng.randrange(19), grade="x",
            overall=rng.choice(["very_satisfied", "satisfied", "not_satisfied"]), channel="kiosk",
            center=d.receiving_center, agency=d.competent_agency, procedure=d.procedure, at=at,
        )  # fmt: skip


def _ticket(world: World, rng: random.Random, center: Any, day: date, **fields: Any) -> Any:
    from motcua.queueing.models import Ticket

    queue = fields.pop("queue", None) or rng.choice(world.queues[center.pk])
    key = (queue.pk, day)
    world.numbers[key] = world.numbers.get(key, 0) + 1
    n = world.numbers[key]
    return Ticket.objects.create(center=center, queue=queue, business_date=day, number=n, display_number=n,
                                 code=f"{queue.prefix}{n:03d}", queued_at=fields["issued_at"], **fields)  # fmt: skip


def _served_times(rng: random.Random, issued: datetime) -> dict[str, Any]:
    called = issued + timedelta(seconds=rng.randrange(0, 80 * 60))
    started = called + timedelta(seconds=rng.randrange(0, 120))
    return {"called_at": called, "started_at": started,
            "finished_at": started + timedelta(seconds=rng.randrange(30, 70 * 60))}  # fmt: skip


def _one_ticket(world: World, rng: random.Random, center: Any, day: date) -> Any:
    from motcua.queueing.models import TicketEvent

    issued = _moment(rng, day)
    desk = rng.randrange(2)
    who = {"counter": world.counters[center.pk][desk], "officer": world.officers[desk]}
    kind = rng.choices(["done", "no_show", "transferred", "waiting", "cancelled", "walk_in", "recycled"],
                       [8, 1, 1, 1, 1, 1, 1])[0]  # fmt: skip
    base = {"issued_at": issued, "channel": rng.choice(["kiosk", "web"])}
    if kind == "waiting" or (kind != "walk_in" and issued + timedelta(hours=3) > NOW):
        return _ticket(world, rng, center, day, status="waiting", **base)
    if kind == "cancelled":
        return _ticket(world, rng, center, day, status="cancelled", **base)
    if kind == "walk_in":
        t = {"called_at": issued, "started_at": issued, "finished_at": issued + timedelta(minutes=rng.randrange(1, 30))}
        return _ticket(world, rng, center, day, status="done", **base | {"channel": "counter"}, **t, **who)
    times = _served_times(rng, issued)
    if kind in ("no_show", "transferred"):
        ticket = _ticket(world, rng, center, day, status=kind, called_at=times["called_at"], **base, **who)
        if kind == "transferred":
            moved = times["called_at"] + timedelta(minutes=2)
            _ticket(world, rng, center, day, status="done", issued_at=moved, channel="counter", transferred_from=ticket,
                    **_served_times(rng, moved), **who)  # fmt: skip
        return ticket
    first_call = None
    if kind == "recycled":
        first_call = issued + timedelta(seconds=rng.randrange(0, 20 * 60))
        times = _served_times(rng, first_call + timedelta(minutes=10))
    ticket = _ticket(world, rng, center, day, status="done", recycled=kind == "recycled", **base, **times, **who)
    if first_call:
        for at in (first_call, times["called_at"]):
            TicketEvent.objects.create(ticket=ticket, action="queueing.ticket.called", at=at)
    return ticket


def make_tickets(world: World, rng: random.Random, per_day: int) -> list[Any]:
    from motcua.feedback.models import TicketRating

    tickets = []
    for back in range(DAYS):
        day = TODAY - timedelta(days=back)
        for center in world.centers:
            for _ in range(rng.randrange(per_day)):
                tickets.append(_one_ticket(world, rng, center, day))
    for t in tickets:
        if t.status == "done" and rng.random() < 0.5 and t.finished_at + timedelta(minutes=1) <= NOW:
            TicketRating.objects.create(
                ticket=t, center=t.center, queue=t.queue, counter=t.counter, officer=t.officer, channel="kiosk",
                answer=rng.choice(["very_satisfied", "satisfied", "not_satisfied"]),
                at=t.finished_at + timedelta(minutes=1),
            )  # fmt: skip
    return tickets


def make_history(seed: int, *, dossiers: int = 220, tickets_per_day: int = 8) -> World:
    rng = random.Random(seed)
    world = make_world()
    made = make_dossiers(world, rng, dossiers)
    make_assessments(world, rng, made)
    make_tickets(world, rng, tickets_per_day)
    return world
