"""The agencies' work lists and the dossier page: who sees what, and every action's happy path and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierEvent, DossierResult
from tests.dossiers.conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db
Status = Dossier.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def clock():
    """Views read the clock: 09:00 on the Tuesday the dossier was accepted."""
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(organisation):
    return User.objects.get(username="chuyenvien.khcn")


@pytest.fixture
def agency_leader(organisation):
    return User.objects.get(username="lanhdao.khcn")


@pytest.fixture
def processing(accepted, reception_officer):
    """Forwarded to the Department of Science and Technology at 08:30: step 1 open, nobody assigned."""
    from motcua.dossiers.services import dossier_forward

    return dossier_forward(officer=reception_officer, dossier=accepted, expected_version=accepted.version,
                           now=TUESDAY_8AM + timedelta(minutes=30))  # fmt: skip


def as_user(client, user):
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def act(client, dossier: Dossier, slug: str, data: dict | None = None, version: int | None = None, **extra):
    payload = {"expected_version": dossier.version if version is None else version, **(data or {})}
    return client.post(f"/console/ho-so/{dossier.pk}/{slug}/", payload, **extra)


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def hand_over_to_last_step(dossier: Dossier, officer) -> Dossier:
    from motcua.dossiers.services import dossier_hand_over

    while dossier.steps.filter(started_at__isnull=True).exists():
        dossier = dossier_hand_over(officer=officer, dossier=dossier, expected_version=reload(dossier).version)
    return reload(dossier)


# ---- the work list ---------------------------------------------------------------------------


def test_work_list_needs_a_login(client):
    response = client.get("/console/ho-so/xu-ly/")
    assert response.status_code == 302 and response.url.startswith("/console/dang-nhap/")


def test_work_list_is_for_agency_staff_and_says_so_politely(client, reception_officer):
    response = as_user(client, reception_officer).get("/console/ho-so/xu-ly/")
    assert response.status_code == 403
    assert "dành cho chuyên viên và lãnh đạo các cơ quan giải quyết" in page(response)


def test_unassigned_tab_lists_the_forwarded_dossier_with_counts(client, processing, officer):
    response = as_user(client, officer).get("/console/ho-so/xu-ly/?ds=unassigned")
    text = page(response)
    assert response.status_code == 200
    assert processing.code in text and "Nguyễn Thị Ánh" in text and "Tiếp nhận hồ sơ" in text
    assert "24/03/2026" in text  # due date
    assert 'data-testid="tab-unassigned"' in text and "Chưa phân công" in text
    assert {tab: count for tab, _label, count in response.context["tabs"]}["unassigned"] == 1
    assert {tab: count for tab, _label, count in response.context["tabs"]}["mine"] == 0


def test_text_filter_by_code_or_name(client, processing, officer):
    as_user(client, officer)
    assert processing.code in page(client.get("/console/ho-so/xu-ly/?ds=unassigned&q=Ánh"))
    assert processing.code in page(client.get(f"/console/ho-so/xu-ly/?ds=unassigned&q={processing.code[-4:]}"))
    text = page(client.get("/console/ho-so/xu-ly/?ds=unassigned&q=Không+Có+Ai"))
    assert processing.code not in text and "Không có hồ sơ nào khớp" in text


def test_other_agencies_officer_sees_none_of_it(client, processing, agency_officer):
    text = page(as_user(client, agency_officer).get("/console/ho-so/xu-ly/?ds=unassigned"))
    assert processing.code not in text


def test_overdue_dossier_carries_a_red_badge(client, processing, officer, clock):
    clock.move_to(local(2026, 3, 25, 9, 0))
    text = page(as_user(client, officer).get("/console/ho-so/xu-ly/?ds=overdue"))
    assert processing.code in text and "d-badge--overdue" in text


def test_work_list_pages_in_few_queries(client, processing, officer, reception_officer, procedure, center,
                                        monkeypatch, django_assert_max_num_queries):  # fmt: skip
    from motcua.console import dossier_work
    from motcua.dossiers.services import dossier_accept, dossier_forward

    for _ in range(2):
        more = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
        dossier_forward(officer=reception_officer, dossier=more, expected_version=more.version, now=TUESDAY_8AM)
    monkeypatch.setattr(dossier_work, "PER_PAGE", 2)
    as_user(client, officer)
    with django_assert_max_num_queries(14):
        first = client.get("/console/ho-so/xu-ly/?ds=unassigned")
    assert len(first.context["rows"]) == 2 and 'rel="next"' in page(first)
    last = client.get("/console/ho-so/xu-ly/?ds=unassigned&page=9")  # past the end: the last page
    assert len(last.context["rows"]) == 1 and last.context["pager"].number == 2


def test_unknown_tab_falls_back_to_the_officers_own(client, processing, officer):
    response = as_user(client, officer).get("/console/ho-so/xu-ly/?ds=khong-co&page=abc")
    assert response.status_code == 200 and response.context["current"] == "mine"


# ---- the dossier page ------------------------------------------------------------------------


def test_dossier_page_shows_everything_and_audits_the_read(client, processing, officer):
    response = as_user(client, officer).get(f"/console/ho-so/{processing.pk}/")
    text = page(response)
    assert response.status_code == 200
    assert processing.code in text and "Đang xử lý" in text and "092190001234" in text
    assert "08:00 24/03/2026" in text  # due time
    assert "Thẩm định hồ sơ" in text and "Tiếp nhận hồ sơ" in text  # steps
    assert "Chuyển cơ quan xử lý" in text  # timeline label
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in text  # the receipt slip
    assert AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed", actor=officer).count() == 1


def test_officer_panel_offers_only_what_they_may_do(client, processing, officer):
    text = page(as_user(client, officer).get(f"/console/ho-so/{processing.pk}/"))
    assert "Nhận xử lý hồ sơ này" in text and "Chuyển bước tiếp theo" in text and "Yêu cầu bổ sung hồ sơ" in text
    for not_theirs in (
        "Phân công chuyên viên",
        "Phê duyệt kết quả",
        "Dừng xử lý",
        "Công dân rút hồ sơ",
        "Nhận hồ sơ bổ sung",
    ):
        assert not_theirs not in text


def test_another_agency_may_not_open_the_dossier(client, processing, agency_officer):
    response = as_user(client, agency_officer).get(f"/console/ho-so/{processing.pk}/")
    assert response.status_code == 403 and "Bạn không có quyền xem hồ sơ này" in page(response)
    assert not AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").exists()


def test_missing_dossier_is_404(client, officer):
    assert as_user(client, officer).get("/console/ho-so/999999/").status_code == 404


def test_control_sheet_is_a_pdf(client, processing, officer):
    response = as_user(client, officer).get(f"/console/ho-so/{processing.pk}/phieu-kiem-soat.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# ---- actions: happy paths ----------------------------------------------------------------------


def test_reception_forwards_an_accepted_dossier(client, accepted, reception_officer):
    response = act(as_user(client, reception_officer), accepted, "chuyen-xu-ly")
    assert (response.status_code, response.url) == (302, f"/console/ho-so/{accepted.pk}/")
    assert reload(accepted).status == Status.PROCESSING
    assert "Đã chuyển hồ sơ đến cơ quan xử lý" in page(client.get(response.url))


def test_officer_takes_it_and_leader_assigns_it(client, processing, officer, agency_leader):
    act(as_user(client, officer), processing, "nhan-xu-ly")
    assert reload(processing).assigned_to == officer
    response = act(as_user(client, agency_leader), reload(processing), "phan-cong", {"assignee": agency_leader.pk})
    assert response.status_code == 302 and reload(processing).assigned_to == agency_leader


def test_hand_over_with_a_note(client, processing, officer):
    response = act(as_user(client, officer), processing, "chuyen-buoc", {"note": "Đủ điều kiện thẩm định"})
    assert response.status_code == 302
    step = processing.steps.get(ordering=1)
    assert step.handed_over_at is not None and step.note == "Đủ điều kiện thẩm định"
    assert processing.steps.get(ordering=2).started_at is not None


def test_supplement_requested_by_the_agency_and_received_at_reception(client, processing, officer, reception_officer):
    data = {"items": "Bản sao quyết định thành lập\nĐiều lệ tổ chức", "reason": "Thiếu tài liệu chứng minh"}
    assert act(as_user(client, officer), processing, "yeu-cau-bo-sung", data).status_code == 302
    dossier = reload(processing)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.supplements.get(stage="processing").items[1]["document"] == "Điều lệ tổ chức"
    text = page(as_user(client, reception_officer).get(f"/console/ho-so/{dossier.pk}/"))
    assert "Nhận hồ sơ bổ sung" in text and "Tạm dừng" in text
    assert act(client, dossier, "nhan-bo-sung", {"note": "Đã nhận đủ"}).status_code == 302
    assert reload(dossier).status == Status.PROCESSING


def test_payment_requested_then_recorded(client, processing, officer):
    as_user(client, officer)
    response = act(client, processing, "yeu-cau-nop-phi", {"name_1": "Phí thẩm định", "amount_1": "1.500.000"})
    assert response.status_code == 302
    dossier = reload(processing)
    fee = dossier.fees.get(paid=False)
    assert dossier.status == Status.AWAITING_PAYMENT and fee.amount == 1500000
    data = {"fee": fee.pk, "method": "transfer", "receipt_number": "BL-0042"}
    assert act(client, dossier, "ghi-nhan-thu", data).status_code == 302
    assert reload(dossier).status == Status.PROCESSING
    assert dossier.fees.get(pk=fee.pk).receipt_number == "BL-0042"


def test_leader_approves_with_a_pdf_and_marks_ready(client, processing, officer, agency_leader):
    dossier = hand_over_to_last_step(processing, officer)
    as_user(client, agency_leader)
    upload = SimpleUploadedFile("giay-chung-nhan.pdf", PDF, content_type="application/pdf")
    data = {"kind": "both", "document_number": "125/GCN-SKHCN", "file": upload}
    assert act(client, dossier, "phe-duyet", data).status_code == 302
    dossier = reload(dossier)
    assert dossier.result.document_number == "125/GCN-SKHCN" and dossier.result.file
    assert client.get(f"/console/ho-so/{dossier.pk}/ket-qua.pdf").status_code == 200
    assert act(client, dossier, "co-ket-qua").status_code == 302
    assert reload(dossier).status == Status.RESULT_READY


def test_result_must_be_a_pdf_and_inputs_stay(client, processing, officer, agency_leader):
    dossier = hand_over_to_last_step(processing, officer)
    upload = SimpleUploadedFile("ket-qua.docx", b"PK\x03\x04 word", content_type="application/msword")
    response = act(as_user(client, agency_leader), dossier, "phe-duyet",
                   {"kind": "electronic", "document_number": "77/QĐ", "file": upload})  # fmt: skip
    text = page(response)
    assert response.status_code == 400 and "Tệp kết quả phải là tệp PDF" in text and 'value="77/QĐ"' in text
    assert not DossierResult.objects.filter(dossier=dossier).exists()


def test_apology_sets_a_new_appointment(client, processing, agency_leader):
    data = {"new_due_at": "27/03/2026 16:00", "reason": "Chờ ý kiến cơ quan phối hợp"}
    assert act(as_user(client, agency_leader), processing, "xin-loi", data).status_code == 302
    dossier = reload(processing)
    assert dossier.due_at == local(2026, 3, 27, 16, 0) and dossier.original_due_at == local(2026, 3, 24, 8, 0)


def test_apology_date_in_the_wrong_shape_is_explained(client, processing, agency_leader):
    data = {"new_due_at": "2026-03-27", "reason": "Chờ ý kiến phối hợp"}
    response = act(as_user(client, agency_leader), processing, "xin-loi", data)
    text = page(response)
    assert response.status_code == 400 and "dd/mm/yyyy HH:MM" in text and "Chờ ý kiến phối hợp" in text


def _ready(dossier, officer, leader) -> Dossier:
    from motcua.dossiers.services import dossier_approve_result, dossier_mark_result_ready

    dossier = hand_over_to_last_step(dossier, officer)
    dossier_approve_result(officer=leader, dossier=dossier, kind="paper", expected_version=dossier.version)
    dossier_mark_result_ready(officer=leader, dossier=dossier, expected_version=reload(dossier).version)
    return reload(dossier)


def test_return_at_the_counter(client, processing, officer, agency_leader, reception_officer):
    dossier = _ready(processing, officer, agency_leader)
    data = {"collected_by_name": "Nguyễn Văn Bình", "collected_by_national_id": "092190009999",
            "authorisation": "Giấy ủy quyền số 12"}  # fmt: skip
    assert act(as_user(client, reception_officer), dossier, "tra-tai-quay", data).status_code == 302
    dossier = reload(dossier)
    assert dossier.status == Status.RETURNED and dossier.handover.collected_by_name == "Nguyễn Văn Bình"
    assert "Hồ sơ đã kết thúc" in page(client.get(f"/console/ho-so/{dossier.pk}/"))


def test_return_by_post(client, processing, officer, agency_leader, reception_officer):
    dossier = _ready(processing, officer, agency_leader)
    assert (
        act(
            as_user(client, reception_officer), dossier, "tra-buu-chinh", {"tracking_number": "EB123456789VN"}
        ).status_code
        == 302
    )
    assert reload(dossier).handover.tracking_number == "EB123456789VN"
    # Later the post says it was delivered: recorded on the dossier without a new status.
    assert "Cập nhật tình trạng bưu gửi" in page(client.get(f"/console/ho-so/{dossier.pk}/"))
    data = {"status": "Phát thành công", "delivered": "on"}
    assert act(client, reload(dossier), "buu-gui", data).status_code == 302
    handover = reload(dossier).handover
    assert handover.postal_status == "Phát thành công" and handover.delivered_at is not None
    assert reload(dossier).status == Status.RETURNED


def test_withdraw_and_stop(client, processing, accepted, reception_officer, procedure, center):
    from motcua.dossiers.services import dossier_accept

    as_user(client, reception_officer)
    assert act(client, processing, "rut-ho-so", {"reason": "Công dân đề nghị rút"}).status_code == 302
    assert reload(processing).status == Status.WITHDRAWN
    other = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    assert act(client, other, "dung-xu-ly", {"reason": "Công dân đề nghị dừng"}).status_code == 302
    assert reload(other).status == Status.STOPPED


# ---- actions: refusals -------------------------------------------------------------------------


def test_missing_reason_is_asked_for_and_the_items_stay(client, processing, officer):
    response = act(as_user(client, officer), processing, "yeu-cau-bo-sung", {"items": "Điều lệ tổ chức", "reason": " "})
    text = page(response)
    assert response.status_code == 400
    assert "Vui lòng ghi rõ lý do." in text and "Điều lệ tổ chức</textarea>" in text
    assert reload(processing).status == Status.PROCESSING


def test_stop_without_reason_is_refused(client, processing, reception_officer):
    response = act(as_user(client, reception_officer), processing, "dung-xu-ly", {"reason": ""})
    assert response.status_code == 400 and "Vui lòng ghi rõ lý do." in page(response)
    assert reload(processing).status == Status.PROCESSING


def test_stale_version_says_who_changed_it_and_acts_once(client, processing, officer, agency_leader):
    seen = processing.version
    assert act(as_user(client, officer), processing, "chuyen-buoc", version=seen).status_code == 302
    events = DossierEvent.objects.filter(dossier=processing).count()
    response = act(as_user(client, agency_leader), processing, "chuyen-buoc", version=seen)
    assert (response.status_code, response.url) == (302, f"/console/ho-so/{processing.pk}/")
    text = page(client.get(response.url))
    assert "đã được Đặng Quốc Bảo cập nhật lúc 09:00 10/03/2026, vui lòng tải lại." in text
    assert DossierEvent.objects.filter(dossier=processing).count() == events
    assert processing.steps.filter(handed_over_at__isnull=False).count() == 1


def test_wrong_agency_posting_gets_the_403_page(client, processing, agency_officer):
    response = act(as_user(client, agency_officer), processing, "chuyen-buoc")
    assert response.status_code == 403 and 'data-testid="forbidden"' in page(response)
    assert processing.steps.filter(handed_over_at__isnull=False).count() == 0


def test_reception_may_not_hand_over_an_agency_step(client, processing, reception_officer):
    response = act(as_user(client, reception_officer), processing, "chuyen-buoc")
    assert response.status_code == 403 and "Bạn không có quyền thực hiện việc này" in page(response)


def test_a_move_the_status_forbids_keeps_the_page(client, accepted, reception_officer):
    response = act(as_user(client, reception_officer), accepted, "nhan-bo-sung", {"note": "giấy tờ"})
    text = page(response)
    assert response.status_code == 400 and "không thể thực hiện việc này" in text
    assert reload(accepted).status == Status.ACCEPTED


def test_unknown_action_is_404_and_get_is_refused(client, processing, officer):
    as_user(client, officer)
    assert act(client, processing, "xoa-ho-so").status_code == 404
    assert client.get(f"/console/ho-so/{processing.pk}/chuyen-buoc/").status_code == 405
