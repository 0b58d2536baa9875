"""Two people (or two workers) acting on one dossier at the same moment (ADR 0008 §6).

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL the loser's conditional UPDATE waits for the winner's commit and then matches no
row; on SQLite writers are serialised and the loser sees the new version when it retries.
Either way: exactly one change, one history row, and a Vietnamese message naming who won.
"""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.errors import DossierConflict
from motcua.dossiers.models import Dossier, DossierEvent, DossierSlip, DossierStep

from ..queueing.test_concurrency import _patiently, _run_in_threads
from .conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_world(transactional_db):
    """The least a dossier needs (no demo organisation: flushing it after each test is slow)."""
    from motcua.accounts.models import Role, RoleAssignment, User
    from motcua.catalog.models import Agency
    from motcua.catalog.services import procedure_upsert
    from motcua.core.models import Center

    center = Center.objects.create(code="cantho", name="Trung tâm PVHCC TP. Cần Thơ", address="109 Nguyễn Trãi",
                                   unit_id="000.00.00.H13")  # fmt: skip
    agency = Agency.objects.create(code="so-khcn", name="Sở Khoa học và Công nghệ")

    def person(username: str, full_name: str, role: str, **scope: Any) -> Any:
        user = User.objects.create_user(username=username, full_name=full_name, password="x")
        RoleAssignment.objects.create(user=user, role=role, **scope)
        return user

    procedure, _version = procedure_upsert(spec={
        "code": "DT.0001", "name": "Thủ tục thử nghiệm", "sector": {"code": "thu-nghiem", "name": "Thử nghiệm"},
        "agency": "so-khcn", "centers": ["cantho"], "time_value": 10, "time_unit": "working_days",
        "supplement_time_value": 1, "supplement_time_unit": "working_days",
        "documents": [{"name": "Đơn đề nghị", "originals": 1}], "fees": [],
        "steps": [{"name": "Thẩm định", "agency": "so-khcn", "time_value": 5, "time_unit": "working_days"},
                  {"name": "Ký kết quả", "agency": "so-khcn", "time_value": 5, "time_unit": "working_days"}],
    })  # fmt: skip
    return {
        "center": center, "procedure": procedure,
        "reception": person("tiepnhan", "Trần Thị Hoa", Role.RECEPTION_OFFICER, center=center),
        "bao": person("bao", "Đặng Quốc Bảo", Role.AGENCY_OFFICER, agency=agency),
        "tam": person("tam", "Mai Văn Tâm", Role.AGENCY_OFFICER, agency=agency),
    }  # fmt: skip


def _processing(world: dict[str, Any]) -> Dossier:
    from motcua.dossiers.services import dossier_accept, dossier_forward

    dossier = dossier_accept(officer=world["reception"], intake=make_intake(world["procedure"]), center=world["center"],
                             now=TUESDAY_8AM)  # fmt: skip
    return dossier_forward(officer=world["reception"], dossier=dossier, expected_version=dossier.version,
                           now=local(2026, 3, 10, 8, 30))  # fmt: skip


def test_two_officers_handing_over_at_once_one_wins_one_is_told(small_world):
    from motcua.dossiers.services import dossier_hand_over

    dossier = _processing(small_world)
    seen = dossier.version  # both screens show this version
    officers = [small_world["bao"], small_world["tam"]]

    def hand_over(i: int) -> Any:
        def attempt() -> Any:
            return dossier_hand_over(officer=officers[i], dossier=dossier, expected_version=seen,
                                     now=local(2026, 3, 10, 9, i))  # fmt: skip

        try:
            return _patiently(attempt)
        except DossierConflict as conflict:
            return conflict

    results = _run_in_threads(hand_over, count=2)
    wins = [r for r in results if isinstance(r, Dossier)]
    conflicts = [r for r in results if isinstance(r, DossierConflict)]
    assert len(wins) == 1 and len(conflicts) == 1
    winner = officers[results.index(wins[0])]
    message = str(conflicts[0])
    assert message.startswith(f"Hồ sơ {dossier.code} đã được {winner.full_name} cập nhật lúc")
    assert message.endswith(", vui lòng tải lại.") and conflicts[0].code == "dossier.conflict"
    assert DossierEvent.objects.filter(dossier=dossier, action="dossier.handed_over").count() == 1
    stored = Dossier.objects.get(pk=dossier.pk)
    assert stored.version == seen + 1
    first, second = DossierStep.objects.filter(dossier=dossier).order_by("ordering")
    assert first.handed_by == winner and second.started_at is not None


def test_two_deadline_workers_expire_a_supplement_once(small_world):
    from motcua.dossiers.services import dossier_expire_supplement, dossier_request_supplement
    from motcua.notifications.models import OutboxMessage

    dossier = _processing(small_world)
    dossier_request_supplement(officer=small_world["bao"], dossier=dossier, items=[{"document": "Bản vẽ"}],
                               reason="Thiếu bản vẽ", expected_version=dossier.version,
                               now=local(2026, 3, 10, 9, 0))  # fmt: skip
    messages = OutboxMessage.objects.count()
    results = _run_in_threads(
        lambda i: _patiently(lambda: dossier_expire_supplement(dossier=dossier, now=local(2026, 3, 12, 9, i))), count=2
    )
    assert sum(1 for r in results if r is not None) == 1
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.STOPPED
    assert DossierEvent.objects.filter(dossier=dossier, action="dossier.supplement_expired").count() == 1
    assert DossierSlip.objects.filter(dossier=dossier, kind=DossierSlip.Kind.STOP).count() == 1
    channels = list(OutboxMessage.objects.order_by("id")[messages:].values_list("channel", flat=True))
    assert len(channels) == len(set(channels))  # one notice per channel, not one per worker
