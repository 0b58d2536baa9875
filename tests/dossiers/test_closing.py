"""Ending a dossier: the result returned at a counter or by post, withdrawal and stop."""

from __future__ import annotations

import pytest

from motcua.dossiers.errors import DossierError, DossierPermissionDenied, DossierTransitionError
from motcua.dossiers.models import Dossier, DossierReturn, DossierSlip

from . import test_processing as proc
from .conftest import local
from .test_processing import ITEMS, last_event, make_procedure

# The shared fixtures (pytest finds fixtures by name in the module).
people, flow = proc.people, proc.flow

pytestmark = pytest.mark.django_db

S = Dossier.Status


@pytest.fixture
def ready(flow):
    return flow.result_ready(make_procedure("TK.0001"))


def test_the_result_is_handed_over_at_the_counter(ready, people):
    from motcua.dossiers.services import dossier_return_at_counter

    dossier = dossier_return_at_counter(
        officer=people.reception, dossier=ready, collected_by_name=" Nguyễn Văn Bình ",
        collected_by_national_id="092190001234", authorisation="Giấy ủy quyền số 12/UQ", expected_version=ready.version,
        now=local(2026, 3, 25, 9, 30),
    )  # fmt: skip
    assert dossier.status == S.RETURNED
    assert dossier.returned_at == dossier.closed_at == local(2026, 3, 25, 9, 30)
    handover = DossierReturn.objects.get(dossier=dossier)
    assert (handover.method, handover.collected_by_name, handover.collected_by_national_id, handover.officer) == (
        "counter", "Nguyễn Văn Bình", "092190001234", people.reception)  # fmt: skip
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == ("dossier.returned", 9, 10)
    assert "092190001234" not in str(event.data)  # the ID stays on the return row, out of the history feed


@pytest.mark.parametrize(
    ("name", "national_id", "code"),
    [("  ", "", "dossier.collector_name_required"), ("Bình", "09219-0001", "dossier.national_id_invalid")],
)
def test_who_collects_is_checked(ready, people, name, national_id, code):
    from motcua.dossiers.services import dossier_return_at_counter

    with pytest.raises(DossierError) as refused:
        dossier_return_at_counter(officer=people.reception, dossier=ready, collected_by_name=name,
                                  collected_by_national_id=national_id, expected_version=ready.version)  # fmt: skip
    assert refused.value.code == code
    assert Dossier.objects.get(pk=ready.pk).status == S.RESULT_READY


def test_only_the_receiving_centers_reception_returns_and_at_its_own_counter(ready, people, center):
    from motcua.dossiers.services import dossier_return_at_counter
    from motcua.queueing.models import Counter

    for outsider in (people.other_reception, people.khcn_leader):
        with pytest.raises(DossierPermissionDenied):
            dossier_return_at_counter(officer=outsider, dossier=ready, collected_by_name="Bình",
                                      expected_version=ready.version)  # fmt: skip
    counter = Counter.objects.create(center=center, number=41, name="Quầy trả kết quả")
    with pytest.raises(DossierError) as refused:
        dossier_return_at_counter(officer=people.reception, dossier=ready, collected_by_name="Bình", counter=counter,
                                  expected_version=ready.version)  # fmt: skip
    assert refused.value.code == "dossier.counter_not_seated"
    Counter.objects.filter(pk=counter.pk).update(officer=people.reception)
    counter.refresh_from_db()
    dossier = dossier_return_at_counter(officer=people.reception, dossier=ready, collected_by_name="Bình",
                                        counter=counter, expected_version=ready.version)  # fmt: skip
    assert dossier.handover.counter == counter and last_event(dossier).counter == counter


def test_returned_by_post_then_the_posts_status_is_followed(ready, people):
    from motcua.dossiers.services import dossier_postal_status, dossier_return_by_post

    with pytest.raises(DossierError) as refused:
        dossier_return_by_post(
            officer=people.reception, dossier=ready, tracking_number=" ", expected_version=ready.version
        )
    assert refused.value.code == "dossier.tracking_number_required"
    dossier = dossier_return_by_post(officer=people.reception, dossier=ready, tracking_number="EL123456789VN",
                                     expected_version=ready.version, now=local(2026, 3, 25, 9))  # fmt: skip
    assert dossier.status == S.RETURNED and dossier.handover.tracking_number == "EL123456789VN"
    version = dossier.version
    dossier = dossier_postal_status(officer=people.reception, dossier=dossier, status="Đang vận chuyển",
                                    now=local(2026, 3, 25, 15))  # fmt: skip
    dossier = dossier_postal_status(officer=people.reception, dossier=dossier, status="Phát thành công",
                                    delivered=True, now=local(2026, 3, 26, 10))  # fmt: skip
    assert dossier.status == S.RETURNED and dossier.version == version + 2
    handover = DossierReturn.objects.get(dossier=dossier)
    assert (handover.postal_status, handover.delivered_at) == ("Phát thành công", local(2026, 3, 26, 10))
    event = last_event(dossier)
    assert (event.action, event.data) == (
        "dossier.postal_status_changed",
        {"status": "Phát thành công", "delivered": True},
    )


def test_a_postal_status_needs_a_dossier_sent_by_post(ready, people):
    from motcua.dossiers.services import dossier_postal_status

    with pytest.raises(DossierTransitionError) as refused:
        dossier_postal_status(officer=people.reception, dossier=ready, status="Phát thành công")
    assert refused.value.code == "dossier.not_posted"


def test_withdrawal_on_the_citizens_request_issues_the_stop_notice(flow, people, accepted):
    from motcua.dossiers.services import dossier_withdraw

    with pytest.raises(DossierError) as refused:
        dossier_withdraw(officer=people.reception, dossier=accepted, reason="  ", expected_version=accepted.version)
    assert refused.value.code == "dossier.reason_required"
    with pytest.raises(DossierPermissionDenied):  # an agency does not withdraw for the citizen
        dossier_withdraw(officer=people.khcn_leader, dossier=accepted, reason="Rút", expected_version=accepted.version)
    dossier = dossier_withdraw(officer=people.reception, dossier=accepted, reason="Công dân xin rút để bổ sung sau",
                               expected_version=accepted.version, now=local(2026, 3, 11, 8))  # fmt: skip
    assert dossier.status == S.WITHDRAWN and dossier.closed_at == local(2026, 3, 11, 8)
    slip = dossier.slips.get(kind=DossierSlip.Kind.STOP)
    assert (slip.payload["kind"], slip.payload["reason"]) == ("withdrawn", "Công dân xin rút để bổ sung sau")
    event = last_event(dossier)
    assert (event.action, event.reason, event.actor) == ("dossier.withdrawn", "Công dân xin rút để bổ sung sau",
                                                         people.reception)  # fmt: skip


def test_a_dossier_without_a_code_can_be_withdrawn_too(flow, people, procedure):
    from motcua.dossiers.services import dossier_withdraw

    submitted = flow.submit(procedure)
    dossier = dossier_withdraw(officer=people.reception, dossier=submitted, reason="Nộp nhầm thủ tục",
                               expected_version=submitted.version)  # fmt: skip
    assert dossier.status == S.WITHDRAWN and dossier.code is None


def test_an_agency_leader_may_stop_but_not_an_officer(flow, people, accepted):
    from motcua.dossiers.services import dossier_stop

    dossier = flow.ask_supplement(flow.forward(accepted))
    for outsider in (people.khcn, people.tuphap_leader, people.other_reception):
        with pytest.raises(DossierPermissionDenied):
            dossier_stop(
                officer=outsider, dossier=dossier, reason="Không đủ điều kiện", expected_version=dossier.version
            )
    dossier = dossier_stop(officer=people.khcn_leader, dossier=dossier, reason="Không đủ điều kiện",
                           expected_version=dossier.version)  # fmt: skip
    assert dossier.status == S.STOPPED
    assert dossier.slips.get(kind=DossierSlip.Kind.STOP).payload["kind"] == "stopped"


@pytest.mark.parametrize("service", ["dossier_withdraw", "dossier_stop"])
def test_no_withdrawal_or_stop_once_a_result_is_approved(flow, people, accepted, service):
    from motcua.dossiers import services

    dossier = flow.approve(flow.to_last_step(flow.forward(accepted)))
    with pytest.raises(DossierError) as refused:
        getattr(services, service)(officer=people.reception, dossier=dossier, reason="Công dân đổi ý",
                                   expected_version=dossier.version)  # fmt: skip
    assert refused.value.code == "dossier.result_exists"
    assert str(refused.value) == "Hồ sơ đã có kết quả được phê duyệt nên không thể rút hoặc dừng xử lý."
    assert Dossier.objects.get(pk=dossier.pk).status == S.PROCESSING
    assert not dossier.slips.filter(kind=DossierSlip.Kind.STOP).exists()


def test_withdrawal_while_a_supplement_is_awaited_keeps_the_request(flow, people, accepted):
    """A withdrawal while a supplement is awaited closes the dossier; the request stays as history."""
    from motcua.dossiers.services import dossier_withdraw

    dossier = flow.ask_supplement(flow.forward(accepted))
    dossier = dossier_withdraw(officer=people.reception, dossier=dossier, reason="Không bổ sung được",
                               expected_version=dossier.version)  # fmt: skip
    assert dossier.status == S.WITHDRAWN
    assert dossier.supplements.get().items == ITEMS
