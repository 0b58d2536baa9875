"""The whole transition table (ADR 0008 §2, rule 10), walked through the services.

For every status 1–10 a dossier is driven there through the services, then every service is
called on it: the moves the table allows succeed with exactly one history row carrying the
action code, the actor and the reason; every other call raises DossierTransitionError and
writes nothing — even for a province-wide administrator, whom no scope check stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from motcua.dossiers import services as svc
from motcua.dossiers.errors import DossierError, DossierTransitionError
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierFee,
    DossierResult,
    DossierReturn,
    DossierSlip,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.transitions import ALLOWED

from . import test_processing as proc
from .conftest import local, make_intake
from .test_processing import INTER_AGENCY_STEPS, ITEMS, Flow, make_procedure

pytestmark = pytest.mark.django_db

people = proc.people
S = Dossier.Status
REASON = "Theo đề nghị của công dân"
AFTER_EVERY_DEADLINE = local(2026, 6, 1, 9, 0)


@pytest.fixture
def world(people, center):
    # Inter-agency steps so reaching the last step crosses agencies; a 1-day supplement time.
    procedure = make_procedure("WALK.1", time_value=10, steps=INTER_AGENCY_STEPS, supplement=(1, "working_days"))
    return World(Flow(people, center), procedure)


class World:
    """Builds a dossier in a given status, through the services only (one exception, below)."""

    def __init__(self, flow: Flow, procedure: Any) -> None:
        self.flow, self.procedure, self.people = flow, procedure, flow.people

    def build(self, status: int, variant: str = "") -> Dossier:
        f, p = self.flow, self.procedure
        if status == S.REFUSED:
            return svc.dossier_refuse(officer=self.people.reception, reason=REASON, intake=make_intake(p),
                                      center=f.center, now=f.tick())  # fmt: skip
        builders: dict[int, Callable[[], Dossier]] = {
            S.SUBMITTED: lambda: f.submit(p), S.ACCEPTED: lambda: f.accept(p),
            S.PROCESSING: lambda: self._processing(variant), S.SUPPLEMENT_REQUESTED: lambda: f.ask_supplement(f.processing(p)),
            S.AWAITING_PAYMENT: lambda: self._payment(variant), S.WITHDRAWN: lambda: self._end(svc.dossier_withdraw),
            S.STOPPED: lambda: self._end(svc.dossier_stop), S.RESULT_READY: lambda: f.result_ready(p),
            S.RETURNED: lambda: self.return_at_counter(self.people.reception, f.result_ready(p)),
        }  # fmt: skip
        return Dossier.objects.get(pk=builders[status]().pk)

    def _processing(self, variant: str) -> Dossier:
        dossier = self.flow.processing(self.procedure)
        if variant in ("last", "approved"):
            dossier = self.flow.to_last_step(dossier)
        return self.flow.approve(dossier) if variant == "approved" else dossier

    def _payment(self, variant: str) -> Dossier:
        dossier = self.flow.ask_payment(self._processing("last" if variant else ""))
        if variant == "approved_paid":
            dossier = self.flow.approve(dossier)
            # Paid through a payment gateway (a later issue) without the dossier moving yet:
            # the one way 6 → 9 is reached, since paying at the counter moves 6 → 4.
            DossierFee.objects.filter(dossier=dossier).update(paid=True, method="online", receipt_number="GW-1")
        return dossier

    def _end(self, service: Callable[..., Dossier]) -> Dossier:
        dossier = self.flow.accept(self.procedure)
        return service(officer=self.people.reception, dossier=dossier, reason=REASON,
                       expected_version=dossier.version, now=self.flow.tick())  # fmt: skip

    def return_at_counter(self, actor: Any, d: Dossier) -> Dossier:
        return svc.dossier_return_at_counter(officer=actor, dossier=d, collected_by_name="Nguyễn Văn Bình",
                                             expected_version=d.version, now=self.flow.tick())  # fmt: skip


@dataclass(frozen=True)
class Action:
    name: str
    target: int | None  # None: the status does not change (a 6 → 6 approval)
    allowed_from: frozenset[int]
    code: str
    actor: Callable[[World, Dossier], Any]
    call: Callable[[World, Any, Dossier, datetime], Any]
    variant: Callable[[int], str] = lambda source: ""

    def target_from(self, source: int) -> int:
        return source if self.target is None else self.target


def _reception(w: World, d: Dossier) -> Any:
    return w.people.reception


def _officer(w: World, d: Dossier) -> Any:
    return w.flow.officer_of(d)


def _leader(w: World, d: Dossier) -> Any:
    return w.flow.officer_of(d, leader=True)


def _v(d: Dossier) -> dict[str, Any]:
    return {"dossier": d, "expected_version": d.version}


def _assignee(w: World, d: Dossier) -> Any:
    return w.flow.officer_of(d) if d.current_agency_id else w.people.khcn


def _fee(d: Dossier) -> DossierFee:
    return d.fees.filter(paid=False).first() or d.fees.first()


ACTIONS = [
    Action("reception_supplement", S.SUBMITTED, frozenset({1}), "dossier.reception_supplement_requested", _reception,
           lambda w, a, d, t: svc.dossier_request_reception_supplement(officer=a, items=ITEMS, reason=REASON, now=t, **_v(d))),
    Action("accept", S.ACCEPTED, frozenset({1}), "dossier.accepted", _reception,
           lambda w, a, d, t: svc.dossier_accept(officer=a, now=t, **_v(d))),
    Action("refuse", S.REFUSED, frozenset({1}), "dossier.refused", _reception,
           lambda w, a, d, t: svc.dossier_refuse(officer=a, reason=REASON, now=t, **_v(d))),
    Action("forward", S.PROCESSING, frozenset({2}), "dossier.forwarded", _reception,
           lambda w, a, d, t: svc.dossier_forward(officer=a, now=t, **_v(d))),
    Action("assign", S.PROCESSING, frozenset({4}), "dossier.assigned", _leader,
           lambda w, a, d, t: svc.dossier_assign(officer=a, assignee=_assignee(w, d), now=t, **_v(d))),
    Action("hand_over", S.PROCESSING, frozenset({4}), "dossier.handed_over", _officer,
           lambda w, a, d, t: svc.dossier_hand_over(officer=a, now=t, **_v(d))),
    Action("approve_result", None, frozenset({4, 6}), "dossier.result_approved", _leader,
           lambda w, a, d, t: svc.dossier_approve_result(officer=a, kind="paper", now=t, **_v(d)),
           variant=lambda source: "last"),
    Action("receive_supplement", S.PROCESSING, frozenset({5}), "dossier.supplement_received", _reception,
           lambda w, a, d, t: svc.dossier_receive_supplement(officer=a, now=t, **_v(d))),
    Action("record_payment", S.PROCESSING, frozenset({6}), "dossier.payment_recorded", _reception,
           lambda w, a, d, t: svc.dossier_record_payment(officer=a, fee=_fee(d), method="cash", receipt_number="BL-9",
                                                         now=t, **_v(d))),
    Action("request_supplement", S.SUPPLEMENT_REQUESTED, frozenset({4}), "dossier.supplement_requested", _officer,
           lambda w, a, d, t: svc.dossier_request_supplement(officer=a, items=ITEMS, reason=REASON, now=t, **_v(d))),
    Action("request_payment", S.AWAITING_PAYMENT, frozenset({4}), "dossier.payment_requested", _officer,
           lambda w, a, d, t: svc.dossier_request_payment(officer=a, fees=[("Lệ phí", 50000)], now=t, **_v(d))),
    Action("withdraw", S.WITHDRAWN, frozenset({1, 2, 4, 5, 6}), "dossier.withdrawn", _reception,
           lambda w, a, d, t: svc.dossier_withdraw(officer=a, reason=REASON, now=t, **_v(d))),
    Action("stop", S.STOPPED, frozenset({1, 2, 4, 5, 6}), "dossier.stopped", lambda w, d: w.people.center_leader,
           lambda w, a, d, t: svc.dossier_stop(officer=a, reason=REASON, now=t, **_v(d))),
    Action("expire_supplement", S.STOPPED, frozenset({5}), "dossier.supplement_expired", lambda w, d: None,
           lambda w, a, d, t: svc.dossier_expire_supplement(dossier=d, now=AFTER_EVERY_DEADLINE)),
    Action("mark_result_ready", S.RESULT_READY, frozenset({4, 6}), "dossier.result_ready", _leader,
           lambda w, a, d, t: svc.dossier_mark_result_ready(officer=a, now=t, **_v(d)),
           variant=lambda source: "approved" if source == 4 else "approved_paid"),
    Action("return_at_counter", S.RETURNED, frozenset({9}), "dossier.returned", _reception,
           lambda w, a, d, t: w.return_at_counter(a, d)),
    Action("return_by_post", S.RETURNED, frozenset({9}), "dossier.returned", _reception,
           lambda w, a, d, t: svc.dossier_return_by_post(officer=a, tracking_number="EL1VN", now=t, **_v(d))),
]  # fmt: skip

# A fee can be recorded without a move in any open status (tested in test_processing); here
# only the closed statuses, where it must be refused.
NOT_A_MOVE = {("record_payment", s) for s in (1, 2, 4, 5, 9)}


def test_the_walk_covers_exactly_the_table():
    walked = {(s, a.target_from(s)) for a in ACTIONS for s in a.allowed_from}
    table = {(s, t) for s, targets in ALLOWED.items() for t in targets}
    assert walked == table | {(6, 6)}  # 6 → 6: a result approved while a fee is pending, no table row


def footprint(dossier: Dossier) -> tuple[Any, ...]:
    """Everything a refused call must leave as it was."""
    return (
        Dossier.objects.filter(pk=dossier.pk).values_list("status", "version", "due_at", "current_agency_id").get(),
        DossierEvent.objects.count(), DossierSlip.objects.count(), SupplementRequest.objects.count(),
        DossierFee.objects.filter(paid=True).count(), DossierFee.objects.count(), DossierResult.objects.count(),
        DossierReturn.objects.count(), DossierStep.objects.filter(handed_over_at__isnull=False).count(),
        DossierStep.objects.filter(started_at__isnull=False).count(),
    )  # fmt: skip


def _succeeds(world: World, action: Action, source: int) -> None:
    dossier = world.build(source, action.variant(source))
    assert dossier.status == source
    actor = action.actor(world, dossier)
    before = set(dossier.events.values_list("pk", flat=True))
    action.call(world, actor, dossier, world.flow.tick())
    new = list(DossierEvent.objects.filter(dossier=dossier).exclude(pk__in=before))
    assert len(new) == 1, (action.name, source, new)
    event, target = new[0], action.target_from(source)
    assert Dossier.objects.get(pk=dossier.pk).status == target, action.name
    assert (event.action, event.from_status, event.to_status, event.actor) == (action.code, source, target, actor)
    if actor is None:
        assert event.actor_kind == "system" and event.reason.startswith("Quá hạn bổ sung hồ sơ")
    elif target in (S.REFUSED, S.SUPPLEMENT_REQUESTED, S.WITHDRAWN, S.STOPPED) or action.name == "reception_supplement":
        assert event.reason == REASON, action.name
    else:
        assert event.reason == "", action.name


def _is_refused(world: World, action: Action, dossier: Dossier) -> None:
    before = footprint(dossier)
    dossier = Dossier.objects.get(pk=dossier.pk)
    if action.name == "expire_supplement":  # the deadline job: nothing to do is not an error
        assert action.call(world, None, dossier, world.flow.tick()) is None
    else:
        with pytest.raises(DossierTransitionError) as refused:
            action.call(world, world.people.admin, dossier, world.flow.tick())
        assert refused.value.code == "dossier.invalid_transition", action.name
        assert "đang ở trạng thái" in str(refused.value)
    assert footprint(dossier) == before, action.name


@pytest.mark.parametrize("source", list(S), ids=[f"{s.value}-{s.name.lower()}" for s in S])
def test_from_each_status_only_the_tables_moves_happen(world, source):
    existing = world.build(source)
    assert existing.status == source
    receipts = existing.slips.filter(kind=DossierSlip.Kind.RECEIPT).count()
    assert receipts == (0 if existing.code is None else 1)  # every dossier with a code has exactly one receipt
    assert (existing.code is None) == (source in (S.SUBMITTED, S.REFUSED))
    for action in ACTIONS:
        if source in action.allowed_from:
            _succeeds(world, action, source)
        elif (action.name, source) not in NOT_A_MOVE:
            _is_refused(world, action, existing)


# --- guards beyond the table --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "service", "code"),
    [
        (S.SUBMITTED, "dossier_refuse", "dossier.reason_required"),
        (S.PROCESSING, "dossier_request_supplement", "dossier.supplement_items_required"),
        (S.ACCEPTED, "dossier_withdraw", "dossier.reason_required"),
        (S.SUPPLEMENT_REQUESTED, "dossier_stop", "dossier.reason_required"),
    ],
)
def test_moves_to_3_5_7_8_need_a_reason(world, source, service, code):
    dossier = world.build(source)
    officer = world.flow.officer_of(dossier) if service == "dossier_request_supplement" else world.people.reception
    extra = {"items": ITEMS} if service == "dossier_request_supplement" else {}
    before = footprint(dossier)
    with pytest.raises(DossierError) as refused:
        getattr(svc, service)(officer=officer, reason="  ", **extra, **_v(dossier))
    assert refused.value.code == code
    assert footprint(dossier) == before


@pytest.mark.parametrize("service", ["dossier_withdraw", "dossier_stop"])
@pytest.mark.parametrize("source", [S.PROCESSING, S.AWAITING_PAYMENT])
def test_no_withdrawal_or_stop_after_the_result_is_approved(world, source, service):
    dossier = world.build(source, "approved" if source == S.PROCESSING else "approved_paid")
    before = footprint(dossier)
    with pytest.raises(DossierError) as refused:
        getattr(svc, service)(officer=world.people.reception, reason=REASON, **_v(dossier))
    assert refused.value.code == "dossier.result_exists"
    assert footprint(dossier) == before


def test_no_result_ready_without_an_approved_result(world):
    dossier = world.build(S.PROCESSING, "last")
    before = footprint(dossier)
    with pytest.raises(DossierError) as refused:
        svc.dossier_mark_result_ready(officer=world.people.admin, **_v(dossier))
    assert refused.value.code == "dossier.result_missing"
    assert footprint(dossier) == before
