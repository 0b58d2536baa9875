"""Work in the agencies: forward, assign, hand-overs between steps and agencies, supplements,
payment, result approval and readiness (ADR 0008 §2, §5).

The helpers at the top (`people`, `Flow`, `make_procedure`) are shared with the other
processing test modules, which import them from here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.errors import DossierError, DossierPermissionDenied, DossierTransitionError
from motcua.dossiers.models import Dossier, DossierEvent, DossierFee, DossierSlip, DossierStep, SupplementRequest

from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db

S = Dossier.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- shared helpers -----------------------------------------------------------------------------


def make_user(username: str, full_name: str, role: str, *, agency: str | None = None, center: str | None = None):
    from motcua.accounts.models import RoleAssignment, User
    from motcua.catalog.models import Agency
    from motcua.core.models import Center

    user = User.objects.create_user(username=username, full_name=full_name, password="x")
    RoleAssignment.objects.create(
        user=user, role=role, agency=Agency.objects.get(code=agency) if agency else None,
        center=Center.objects.get(code=center) if center else None,
    )  # fmt: skip
    return user


@pytest.fixture
def people(organisation, khcn_leader):
    """Everyone who touches a dossier of the Can Tho center, and some who must not."""
    from motcua.accounts.models import Role, User

    def get(username: str):
        return User.objects.get(username=username)

    return SimpleNamespace(
        reception=get("tiepnhan"), center_leader=get("lanhdao"), other_reception=get("tiepnhan.ninhkieu"),
        khcn=get("chuyenvien.khcn"), khcn_leader=khcn_leader,
        tuphap=get("chuyenvien.tuphap"), tuphap_leader=get("lanhdao.tuphap"), admin=get("admin"),
        tc=make_user("chuyenvien.taichinh", "Lý Thị Mai", Role.AGENCY_OFFICER, agency="so-tai-chinh"),
        tc_leader=make_user("lanhdao.taichinh", "Trương Văn Hải", Role.AGENCY_LEADER, agency="so-tai-chinh"),
    )  # fmt: skip


def make_procedure(code: str, *, time_value: Any = 10, steps: list[dict[str, Any]] | None = None,
                   supplement: tuple[Any, str] | None = (5, "working_days")):  # fmt: skip
    """A procedure of Sở KH&CN received in Can Tho, frozen as version 1 by the catalog's write path."""
    from motcua.catalog.services import procedure_upsert

    spec = {
        "code": code, "name": f"Thủ tục thử nghiệm {code}", "sector": {"code": "thu-nghiem", "name": "Thử nghiệm"},
        "agency": "so-khcn", "centers": ["cantho"], "time_value": Decimal(str(time_value)),
        "time_unit": "working_days", "documents": [{"name": "Đơn đề nghị", "originals": 1}], "fees": [],
        "steps": steps or [], "supplement_time_value": Decimal(str(supplement[0])) if supplement else None,
        "supplement_time_unit": supplement[1] if supplement else "working_days",
    }  # fmt: skip
    procedure, _version = procedure_upsert(spec=spec, change_note="kiểm thử")
    return procedure


# Sở KH&CN receives, Sở Tài chính gives its opinion, Sở KH&CN signs (inter-agency, rule 9).
INTER_AGENCY_STEPS = [
    {"name": "Thẩm định hồ sơ", "agency": "so-khcn", "time_value": "1", "time_unit": "working_days"},
    {"name": "Lấy ý kiến Sở Tài chính", "agency": "so-tai-chinh", "time_value": "2", "time_unit": "working_days"},
    {"name": "Ký kết quả", "agency": "so-khcn", "time_value": "1", "time_unit": "working_days"},
]


class Flow:
    """Drives dossiers through the services with the right person for each step.

    Each call is a minute after the previous one unless `now` is given, so history rows have
    distinct times and nothing reads the clock.
    """

    def __init__(self, people: SimpleNamespace, center: Any, start: datetime = TUESDAY_8AM) -> None:
        self.people, self.center, self.clock = people, center, start

    def tick(self, now: datetime | None = None) -> datetime:
        self.clock = now or self.clock + timedelta(minutes=1)
        return self.clock

    def officer_of(self, dossier: Dossier, *, leader: bool = False):
        code = Dossier.objects.get(pk=dossier.pk).current_agency.code
        p = self.people
        return {"so-khcn": p.khcn_leader if leader else p.khcn, "so-tai-chinh": p.tc_leader if leader else p.tc}[code]

    def submit(self, procedure: Any) -> Dossier:
        from motcua.dossiers.services import dossier_submit

        return dossier_submit(intake=make_intake(procedure), center=self.center, now=self.tick())

    def accept(self, procedure: Any, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_accept

        return dossier_accept(officer=self.people.reception, intake=make_intake(procedure), center=self.center,
                              now=self.tick(now))  # fmt: skip

    def forward(self, d: Dossier, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_forward

        return dossier_forward(officer=self.people.reception, dossier=d, expected_version=d.version, now=self.tick(now))

    def hand_over(self, d: Dossier, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_hand_over

        return dossier_hand_over(officer=self.officer_of(d), dossier=d, expected_version=d.version, now=self.tick(now))

    def to_last_step(self, d: Dossier) -> Dossier:
        while d.steps.filter(started_at__isnull=True).exists():
            d = self.hand_over(d)
        return d

    def approve(self, d: Dossier, now: datetime | None = None, **kwargs: Any) -> Dossier:
        from motcua.dossiers.services import dossier_approve_result

        values = {"kind": "paper", "document_number": "125/GCN-SKHCN"} | kwargs
        return dossier_approve_result(officer=self.officer_of(d, leader=True), dossier=d, expected_version=d.version,
                                      now=self.tick(now), **values)  # fmt: skip

    def ready(self, d: Dossier, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_mark_result_ready

        return dossier_mark_result_ready(officer=self.officer_of(d, leader=True), dossier=d,
                                         expected_version=d.version, now=self.tick(now))  # fmt: skip

    def ask_supplement(self, d: Dossier, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_request_supplement

        dossier_request_supplement(officer=self.officer_of(d), dossier=d, items=ITEMS, reason="Thiếu bản vẽ",
                                   expected_version=d.version, now=self.tick(now))  # fmt: skip
        return Dossier.objects.get(pk=d.pk)

    def receive_supplement(self, d: Dossier, now: datetime | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_receive_supplement

        return dossier_receive_supplement(officer=self.people.reception, dossier=d, expected_version=d.version,
                                          now=self.tick(now))  # fmt: skip

    def ask_payment(self, d: Dossier, fees: list[tuple[str, Any]] | None = None) -> Dossier:
        from motcua.dossiers.services import dossier_request_payment

        return dossier_request_payment(officer=self.officer_of(d), dossier=d, fees=fees or [("Lệ phí cấp", 100000)],
                                       expected_version=d.version, now=self.tick())  # fmt: skip

    def pay(self, d: Dossier, fee: DossierFee, officer: Any = None) -> Dossier:
        from motcua.dossiers.services import dossier_record_payment

        return dossier_record_payment(officer=officer or self.people.reception, dossier=d, fee=fee, method="cash",
                                      receipt_number=f"BL-{fee.pk}", expected_version=d.version, now=self.tick())  # fmt: skip

    def processing(self, procedure: Any) -> Dossier:
        return self.forward(self.accept(procedure))

    def result_ready(self, procedure: Any) -> Dossier:
        return self.ready(self.approve(self.to_last_step(self.processing(procedure))))


ITEMS = [{"document": "Bản vẽ mặt bằng", "note": "bản sao chứng thực"}]


@pytest.fixture
def flow(people, center, demo_catalog):
    return Flow(people, center)


def actions(dossier: Dossier) -> list[str]:
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values_list("action", flat=True))


def last_event(dossier: Dossier) -> DossierEvent:
    return DossierEvent.objects.filter(dossier=dossier).order_by("-at", "-id").first()


# --- forward ------------------------------------------------------------------------------------


def test_forward_starts_the_first_step_at_its_agency(flow, accepted, people):
    dossier = flow.forward(accepted, now=local(2026, 3, 10, 9, 0))
    assert dossier.status == S.PROCESSING and dossier.forwarded_at == local(2026, 3, 10, 9, 0)
    assert dossier.current_agency.code == "so-khcn"
    first = dossier.steps.get(ordering=1)
    assert first.started_at == local(2026, 3, 10, 9, 0)
    assert first.due_at == local(2026, 3, 10, 15, 0)  # half a working day: 2 h 30 before lunch, 1 h 30 after
    assert not dossier.steps.filter(ordering__gt=1, started_at__isnull=False).exists()
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "dossier.forwarded",
        2,
        4,
        people.reception,
    )
    assert event.data["agency"] == "so-khcn" and event.data["late"] is False


def test_paper_forwarded_after_its_forwarding_deadline_is_recorded_as_late(flow, accepted):
    dossier = flow.forward(accepted, now=local(2026, 3, 11, 8, 0))  # forward_due_at was 10/03 17:00
    assert last_event(dossier).data["late"] is True


def test_only_the_receiving_centers_reception_forwards(flow, accepted, people):
    from motcua.dossiers.services import dossier_forward

    for outsider in (people.other_reception, people.khcn, people.tuphap_leader):
        with pytest.raises(DossierPermissionDenied) as refused:
            dossier_forward(officer=outsider, dossier=accepted, expected_version=accepted.version, now=TUESDAY_8AM)
        assert refused.value.code == "dossier.forbidden"
        assert str(refused.value) == "Bạn không có quyền thực hiện việc này với hồ sơ này."
    assert Dossier.objects.get(pk=accepted.pk).status == S.ACCEPTED


# --- assign -------------------------------------------------------------------------------------


def test_a_leader_assigns_a_specialist_who_receives_the_step(flow, accepted, people):
    from motcua.dossiers.services import dossier_assign

    dossier = flow.forward(accepted)
    dossier = dossier_assign(officer=people.khcn_leader, dossier=dossier, assignee=people.khcn,
                             expected_version=dossier.version, now=flow.tick())  # fmt: skip
    assert dossier.assigned_to == people.khcn
    assert dossier.steps.get(ordering=1).received_by == people.khcn
    event = last_event(dossier)
    assert event.action == "dossier.assigned" and event.data["assignee"] == people.khcn.pk
    assert event.agency.code == "so-khcn"


def test_an_officer_may_take_a_dossier_but_not_give_it_to_someone_else(flow, accepted, people):
    from motcua.accounts.models import Role
    from motcua.dossiers.services import dossier_assign

    dossier = flow.forward(accepted)
    colleague = make_user("chuyenvien2.khcn", "Mai Văn Tâm", Role.AGENCY_OFFICER, agency="so-khcn")
    with pytest.raises(DossierPermissionDenied):
        dossier_assign(officer=people.khcn, dossier=dossier, assignee=colleague, expected_version=dossier.version)
    dossier = dossier_assign(officer=people.khcn, dossier=dossier, assignee=people.khcn,
                             expected_version=dossier.version, now=flow.tick())  # fmt: skip
    assert dossier.assigned_to == people.khcn


def test_the_assignee_must_work_at_the_agency_holding_the_dossier(flow, accepted, people):
    from motcua.dossiers.services import dossier_assign

    dossier = flow.forward(accepted)
    with pytest.raises(DossierError) as refused:
        dossier_assign(officer=people.khcn_leader, dossier=dossier, assignee=people.tuphap,
                       expected_version=dossier.version)  # fmt: skip
    assert refused.value.code == "dossier.assignee_not_in_agency"
    assert "Phạm Thị Lan không phải cán bộ của" in str(refused.value)
    with pytest.raises(DossierPermissionDenied):  # another agency's leader
        dossier_assign(officer=people.tuphap_leader, dossier=dossier, assignee=people.tuphap,
                       expected_version=dossier.version)  # fmt: skip
    assert Dossier.objects.get(pk=dossier.pk).assigned_to is None


# --- hand-over and outcomes ---------------------------------------------------------------------


def test_hand_over_by_the_due_time_on_the_due_day_is_on_time(flow, accepted):
    dossier = flow.forward(accepted, now=local(2026, 3, 10, 9, 0))  # step 1 due 10/03 15:00
    dossier = flow.hand_over(dossier, now=local(2026, 3, 10, 14, 0))
    first, second = dossier.steps.get(ordering=1), dossier.steps.get(ordering=2)
    assert (first.handed_over_at, first.outcome) == (local(2026, 3, 10, 14, 0), DossierStep.Outcome.ON_TIME)
    assert first.handed_by.username == "chuyenvien.khcn"
    assert second.started_at == local(2026, 3, 10, 14, 0)
    assert second.due_at == local(2026, 3, 19, 8, 0)  # 6.5 working days = 52 h
    event = last_event(dossier)
    assert event.action == "dossier.handed_over"
    assert event.data["outcome"] == "on_time" and event.data["inter_agency"] is False


def test_hand_over_after_the_due_time_is_late(flow, accepted):
    dossier = flow.forward(accepted, now=local(2026, 3, 10, 9, 0))
    dossier = flow.hand_over(dossier, now=local(2026, 3, 10, 15, 1))
    assert dossier.steps.get(ordering=1).outcome == DossierStep.Outcome.LATE
    assert last_event(dossier).data["outcome"] == "late"


def test_hand_over_on_an_earlier_working_day_is_early(flow, accepted):
    dossier = flow.forward(accepted, now=local(2026, 3, 10, 9, 0))
    dossier = flow.hand_over(dossier, now=local(2026, 3, 10, 10, 0))  # step 2 due Wed 18/03 16:00
    dossier = flow.hand_over(dossier, now=local(2026, 3, 17, 16, 0))
    assert dossier.steps.get(ordering=2).outcome == DossierStep.Outcome.EARLY
    assert dossier.steps.get(ordering=3).due_at == local(2026, 3, 19, 16, 0)
    # 06:30 in Can Tho is 23:30 UTC the day before: by UTC dates this would count as early.
    dossier = flow.hand_over(dossier, now=local(2026, 3, 19, 6, 30))
    assert dossier.steps.get(ordering=3).outcome == DossierStep.Outcome.ON_TIME


def test_the_agency_changes_and_the_previous_assignee_is_cleared(flow, people):
    from motcua.dossiers.services import dossier_assign, dossier_hand_over

    procedure = make_procedure("LT.0002", time_value=4, steps=INTER_AGENCY_STEPS)
    dossier = flow.processing(procedure)
    dossier = dossier_assign(officer=people.khcn_leader, dossier=dossier, assignee=people.khcn,
                             expected_version=dossier.version, now=flow.tick())  # fmt: skip
    dossier = flow.hand_over(dossier)
    assert dossier.current_agency.code == "so-tai-chinh" and dossier.assigned_to is None
    event = last_event(dossier)
    assert (event.data["from_agency"], event.data["to_agency"], event.data["inter_agency"]) == (
        "so-khcn", "so-tai-chinh", True)  # fmt: skip
    assert event.agency.code == "so-tai-chinh"
    # Sở KH&CN's officer no longer holds it; Sở Tài chính's does.
    with pytest.raises(DossierPermissionDenied):
        dossier_hand_over(officer=people.khcn, dossier=dossier, expected_version=dossier.version)
    dossier = dossier_hand_over(officer=people.tc, dossier=dossier, expected_version=dossier.version, note="Đồng ý",
                                now=flow.tick())  # fmt: skip
    assert dossier.current_agency.code == "so-khcn"
    assert dossier.steps.get(ordering=2).note == "Đồng ý"


def test_the_last_step_is_not_handed_over_but_ends_with_the_result(flow, people):
    from motcua.dossiers.services import dossier_hand_over

    dossier = flow.to_last_step(flow.processing(make_procedure("LT.0003", time_value=4, steps=INTER_AGENCY_STEPS)))
    with pytest.raises(DossierError) as refused:
        dossier_hand_over(officer=people.khcn, dossier=dossier, expected_version=dossier.version)
    assert refused.value.code == "dossier.last_step"
    assert "“Ký kết quả” là bước cuối cùng" in str(refused.value)


def test_an_officer_of_another_agency_cannot_hand_over(flow, accepted, people):
    from motcua.dossiers.services import dossier_hand_over

    dossier = flow.forward(accepted)
    for outsider in (people.tuphap, people.tc, people.reception):
        with pytest.raises(DossierPermissionDenied):
            dossier_hand_over(officer=outsider, dossier=dossier, expected_version=dossier.version)
    assert not dossier.steps.filter(handed_over_at__isnull=False).exists()


# --- supplement during processing ---------------------------------------------------------------


def test_an_agency_asks_for_a_supplement_and_the_clock_stops(flow, people):
    dossier = flow.processing(make_procedure("BS.0001", supplement=(5, "working_days")))
    dossier = flow.ask_supplement(dossier, now=local(2026, 3, 11, 9, 0))
    assert dossier.status == S.SUPPLEMENT_REQUESTED and dossier.paused_since == local(2026, 3, 11, 9, 0)
    request = SupplementRequest.objects.get(dossier=dossier)
    assert (request.stage, request.requested_by_kind, request.agency.code) == ("processing", "agency", "so-khcn")
    assert request.deadline_at == local(2026, 3, 18, 9, 0)  # 5 working days
    assert request.items == ITEMS and request.requested_by == people.khcn
    slip = dossier.slips.get(kind=DossierSlip.Kind.SUPPLEMENT)
    assert slip.payload["items"] == ITEMS and slip.payload["deadline_at"] == "09:00 ngày 18/03/2026"
    event = last_event(dossier)
    assert (event.action, event.reason, event.to_status) == ("dossier.supplement_requested", "Thiếu bản vẽ", 5)


def test_the_one_stop_may_ask_and_a_procedure_without_a_supplement_time_never_closes(flow, people, accepted):
    from motcua.dossiers.services import dossier_request_supplement

    dossier = flow.forward(accepted)  # 1.014390 has no supplement time in the catalog
    request = dossier_request_supplement(officer=people.reception, dossier=dossier, items=ITEMS, reason="Thiếu",
                                         expected_version=dossier.version, now=flow.tick())  # fmt: skip
    assert request.requested_by_kind == "one_stop" and request.agency is None and request.deadline_at is None


def test_supplement_needs_items_and_reason_and_the_right_people(flow, people, accepted):
    from motcua.dossiers.services import dossier_request_supplement

    dossier = flow.forward(accepted)
    for items, reason in (([], "Thiếu"), (ITEMS, "  ")):
        with pytest.raises(DossierError) as refused:
            dossier_request_supplement(officer=people.khcn, dossier=dossier, items=items, reason=reason,
                                       expected_version=dossier.version)  # fmt: skip
        assert refused.value.code == "dossier.supplement_items_required"
    for outsider in (people.other_reception, people.tuphap):
        with pytest.raises(DossierPermissionDenied):
            dossier_request_supplement(officer=outsider, dossier=dossier, items=ITEMS, reason="Thiếu",
                                       expected_version=dossier.version)  # fmt: skip
    assert not SupplementRequest.objects.exists() and Dossier.objects.get(pk=dossier.pk).status == S.PROCESSING


def test_receiving_the_supplement_restarts_the_clock(flow, people):
    dossier = flow.processing(make_procedure("BS.0002"))
    due = dossier.due_at
    dossier = flow.ask_supplement(dossier, now=local(2026, 3, 11, 9, 0))
    dossier = flow.receive_supplement(dossier, now=local(2026, 3, 11, 10, 0))
    assert dossier.status == S.PROCESSING and dossier.paused_since is None
    assert dossier.paused_total == timedelta(hours=1) and dossier.due_at == due + timedelta(hours=1)
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.received_at == local(2026, 3, 11, 10, 0) and request.paused == timedelta(hours=1)
    assert last_event(dossier).data["paused_seconds"] == 3600


def test_an_expired_supplement_stops_the_dossier_once(flow):
    from motcua.dossiers.services import dossier_expire_supplement

    dossier = flow.ask_supplement(flow.processing(make_procedure("BS.0003", supplement=(2, "working_days"))),
                                  now=local(2026, 3, 11, 9, 0))  # deadline Fri 13/03 09:00  # fmt: skip
    with pytest.raises(DossierError) as early:
        dossier_expire_supplement(dossier=dossier, now=local(2026, 3, 13, 8, 59))
    assert early.value.code == "dossier.supplement_not_expired"
    stopped = dossier_expire_supplement(dossier=dossier, now=local(2026, 3, 13, 9, 0))
    assert stopped.status == S.STOPPED and stopped.closed_at == local(2026, 3, 13, 9, 0)
    event = last_event(stopped)
    assert (event.action, event.actor, event.actor_kind) == ("dossier.supplement_expired", None, "system")
    assert event.reason == "Quá hạn bổ sung hồ sơ (hạn 09:00 13/03/2026) mà chưa nhận được giấy tờ bổ sung."
    slip = stopped.slips.get(kind=DossierSlip.Kind.STOP)
    assert slip.payload["kind"] == "stopped" and slip.payload["reason"] == event.reason
    assert SupplementRequest.objects.get(dossier=dossier).expired_at == local(2026, 3, 13, 9, 0)
    events = DossierEvent.objects.count()
    assert dossier_expire_supplement(dossier=dossier, now=local(2026, 3, 13, 9, 5)) is None  # the job ran again
    assert DossierEvent.objects.count() == events


def test_a_supplement_received_in_time_is_not_expired(flow):
    from motcua.dossiers.services import dossier_expire_supplement

    dossier = flow.ask_supplement(flow.processing(make_procedure("BS.0004", supplement=(1, "working_days"))))
    dossier = flow.receive_supplement(dossier)
    assert dossier_expire_supplement(dossier=dossier, now=local(2026, 4, 1, 9, 0)) is None
    assert Dossier.objects.get(pk=dossier.pk).status == S.PROCESSING


# --- payment ------------------------------------------------------------------------------------


def test_payment_lines_are_checked_and_vietnamese_amounts_understood(flow, accepted, people):
    from motcua.dossiers.services import dossier_request_payment

    dossier = flow.forward(accepted)
    for fees in ([], [("Lệ phí", "abc")], [("", 1000)], [("Lệ phí", -5)], [("Lệ phí", "1.5")]):
        with pytest.raises(DossierError) as refused:
            dossier_request_payment(officer=people.khcn, dossier=dossier, fees=fees, expected_version=dossier.version)
        assert refused.value.code in {"dossier.fees_required", "dossier.fee_invalid"}
    dossier = dossier_request_payment(officer=people.khcn, dossier=dossier, fees=[("Lệ phí cấp", "50.000")],
                                      expected_version=dossier.version, now=flow.tick())  # fmt: skip
    assert dossier.status == S.AWAITING_PAYMENT
    assert dossier.fees.get(paid=False).amount == Decimal(50000)
    assert last_event(dossier).data["fees"] == [{"name": "Lệ phí cấp", "amount": "50000"}]


def test_paying_the_last_fee_returns_the_dossier_to_processing(flow, accepted, people):
    dossier = flow.ask_payment(flow.forward(accepted), fees=[("Lệ phí", 100000), ("Phí thẩm định", 200000)])
    first, second = dossier.fees.filter(paid=False).order_by("id")
    dossier = flow.pay(dossier, first, officer=people.khcn)
    assert dossier.status == S.AWAITING_PAYMENT and last_event(dossier).action == "dossier.fee_recorded"
    dossier = flow.pay(dossier, second)
    assert dossier.status == S.PROCESSING
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == ("dossier.payment_recorded", 6, 4)
    paid = DossierFee.objects.get(pk=second.pk)
    assert (paid.paid, paid.method, paid.receipt_number, paid.recorded_by) == (True, "cash", f"BL-{second.pk}",
                                                                               people.reception)  # fmt: skip


def test_payment_refusals(flow, accepted, people):
    from motcua.dossiers.services import dossier_record_payment

    dossier = flow.ask_payment(flow.forward(accepted))
    fee = dossier.fees.get(paid=False)
    other_fee = DossierFee.objects.create(dossier=flow.accept(accepted.procedure), name="Khác", amount=1000)
    cases = [("bitcoin", "BL-1", fee, "dossier.fee_method_invalid"), ("cash", " ", fee, "dossier.receipt_number_required"),
             ("cash", "BL-1", other_fee, "dossier.fee_not_found"),
             ("cash", "BL-1", dossier.fees.get(paid=True), "dossier.fee_already_paid")]  # fmt: skip
    for method, receipt, line, code in cases:
        with pytest.raises(DossierError) as refused:
            dossier_record_payment(officer=people.reception, dossier=dossier, fee=line, method=method,
                                   receipt_number=receipt, expected_version=dossier.version)  # fmt: skip
        assert refused.value.code == code
    with pytest.raises(DossierPermissionDenied):
        dossier_record_payment(officer=people.tuphap, dossier=dossier, fee=fee, method="cash", receipt_number="BL-1",
                               expected_version=dossier.version)  # fmt: skip


def test_a_fee_recorded_outside_payment_status_changes_no_status_but_the_version(flow, people):
    dossier = flow.result_ready(make_procedure("TP.0001"))
    fee = DossierFee.objects.create(dossier=dossier, name="Phí gửi bưu chính", amount=30000)
    version = dossier.version
    dossier = flow.pay(dossier, fee)
    assert dossier.status == S.RESULT_READY and dossier.version == version + 1
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == ("dossier.fee_recorded", 9, 9)


def test_with_the_clock_stopped_while_paying_the_due_time_moves(flow, settings, accepted):
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_PAUSE_IN_PAYMENT": True}
    dossier = flow.forward(accepted, now=local(2026, 3, 10, 9, 0))
    due = dossier.due_at
    dossier = flow.ask_payment(dossier)
    flow.tick(local(2026, 3, 11, 9, 0))  # a working day later
    dossier = flow.pay(dossier, dossier.fees.get(paid=False))
    assert dossier.status == S.PROCESSING and dossier.paused_since is None
    assert dossier.due_at == local(2026, 3, 25, 8, 0) and due == local(2026, 3, 24, 8, 0)
    assert dossier.original_due_at == dossier.due_at


# --- result -------------------------------------------------------------------------------------


def test_the_leader_approves_an_electronic_result_as_a_pdf(flow, accepted, people):
    from motcua.dossiers.services import dossier_approve_result

    dossier = flow.to_last_step(flow.forward(accepted))
    for kind, upload, code in [
        ("stamped", None, "dossier.result_kind_invalid"), ("electronic", None, "dossier.result_file_required"),
        ("both", SimpleUploadedFile("kq.pdf", b"<html>not a pdf</html>"), "dossier.result_not_pdf"),
    ]:  # fmt: skip
        with pytest.raises(DossierError) as refused:
            dossier_approve_result(officer=people.khcn_leader, dossier=dossier, kind=kind, file=upload,
                                   expected_version=dossier.version)  # fmt: skip
        assert refused.value.code == code
    with pytest.raises(DossierPermissionDenied):  # an officer is not a leader
        dossier_approve_result(officer=people.khcn, dossier=dossier, kind="paper", expected_version=dossier.version)
    dossier = flow.approve(
        dossier, kind="electronic", file=SimpleUploadedFile("kq.pdf", PDF), now=local(2026, 3, 12, 9)
    )
    assert dossier.status == S.PROCESSING
    result = dossier.result
    assert (
        result.kind == "electronic"
        and result.approved_by == people.khcn_leader
        and result.file.open("rb").read() == PDF
    )
    last = dossier.steps.order_by("-ordering").first()
    assert last.handed_over_at == local(2026, 3, 12, 9) and last.outcome
    assert last_event(dossier).action == "dossier.result_approved"
    with pytest.raises(DossierError) as again:
        flow.approve(dossier)
    assert again.value.code == "dossier.result_already_approved"


def test_approval_waits_for_the_last_step(flow, accepted):
    dossier = flow.forward(accepted)
    with pytest.raises(DossierError) as refused:
        flow.approve(dossier)
    assert refused.value.code == "dossier.steps_remaining"
    assert "“Tiếp nhận hồ sơ”" in str(refused.value)


def test_a_result_may_be_approved_while_a_fee_is_pending(flow, accepted):
    dossier = flow.approve(flow.ask_payment(flow.to_last_step(flow.forward(accepted))))
    assert dossier.status == S.AWAITING_PAYMENT and dossier.result.kind == "paper"
    event = last_event(dossier)
    assert (event.from_status, event.to_status) == (6, 6)


def test_result_ready_needs_a_result_and_goes_back_to_the_one_stop(flow, accepted, people):
    from motcua.dossiers.services import dossier_mark_result_ready

    dossier = flow.to_last_step(flow.forward(accepted))
    with pytest.raises(DossierError) as refused:
        dossier_mark_result_ready(officer=people.khcn_leader, dossier=dossier, expected_version=dossier.version)
    assert refused.value.code == "dossier.result_missing"
    dossier = flow.approve(dossier)
    with pytest.raises(DossierPermissionDenied):
        dossier_mark_result_ready(officer=people.khcn, dossier=dossier, expected_version=dossier.version)
    dossier = dossier_mark_result_ready(officer=people.reception, dossier=dossier, expected_version=dossier.version,
                                        now=local(2026, 3, 20, 10, 0))  # fmt: skip
    assert dossier.status == S.RESULT_READY and dossier.result_ready_at == local(2026, 3, 20, 10, 0)
    assert dossier.current_agency is None and dossier.is_late is False
    event = last_event(dossier)
    assert (event.action, event.data["outcome"], event.agency.code) == ("dossier.result_ready", "early", "so-khcn")


def test_result_ready_from_payment_needs_every_fee_paid(flow, accepted, people):
    from motcua.dossiers.services import dossier_mark_result_ready

    dossier = flow.approve(flow.ask_payment(flow.to_last_step(flow.forward(accepted))))
    with pytest.raises(DossierError) as refused:
        dossier_mark_result_ready(officer=people.khcn_leader, dossier=dossier, expected_version=dossier.version)
    assert refused.value.code == "dossier.fees_unpaid"
    assert str(refused.value) == "Công dân chưa hoàn thành nghĩa vụ tài chính của hồ sơ."


def test_stale_screens_conflict_and_wrong_status_is_a_transition_error(flow, accepted, people):
    from motcua.dossiers.errors import DossierConflict
    from motcua.dossiers.services import dossier_forward, dossier_hand_over

    seen = accepted.version
    dossier = flow.forward(accepted)
    with pytest.raises(DossierConflict) as conflict:
        dossier_hand_over(officer=people.khcn, dossier=dossier, expected_version=seen)
    assert "đã được Trần Thị Hoa cập nhật lúc" in str(conflict.value)
    with pytest.raises(DossierTransitionError) as refused:
        dossier_forward(officer=people.reception, dossier=dossier, expected_version=dossier.version)
    assert refused.value.code == "dossier.invalid_transition"
    assert str(refused.value) == f"Hồ sơ {dossier.code} đang ở trạng thái “Đang xử lý”, không thể thực hiện việc này."
