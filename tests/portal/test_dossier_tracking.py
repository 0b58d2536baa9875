"""/tra-cuu/<code>/: anyone with the code sees where the dossier is; only the applicant's ID number opens
the personal details and the electronic result (rules 13, 14, 20)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal.dossier_views import normalise_code
from tests.dossiers.conftest import TUESDAY_8AM, make_intake

pytestmark = pytest.mark.django_db
Status = Dossier.Status
APPLICANT_ID = "092190001234"
PERSONAL = ("Nguyễn Thị Ánh", APPLICANT_ID, "0912345678", "anh@example.com", "12 Hòa Bình")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Wednesday 11/03/2026 09:00: the day after acceptance, well within the 10 working days.
WEDNESDAY_9AM = TUESDAY_8AM + timedelta(days=1, hours=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(WEDNESDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The look-up allowance lives in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(procedure, center, reception_officer):
    from motcua.dossiers.services import dossier_accept

    return dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)


@pytest.fixture
def other_dossier(procedure, center, reception_officer):
    from motcua.dossiers.services import Applicant, dossier_accept

    applicant = Applicant(name="Trần Văn Bình", national_id="079085004321", phone="0987654321")
    intake = make_intake(procedure, applicant=applicant)
    return dossier_accept(officer=reception_officer, intake=intake, center=center, now=TUESDAY_8AM)


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def forward(dossier: Dossier) -> Dossier:
    from motcua.dossiers.services import dossier_forward

    officer = User.objects.get(username="tiepnhan")
    dossier_forward(officer=officer, dossier=dossier, expected_version=reload(dossier).version,
                    now=TUESDAY_8AM + timedelta(minutes=30))  # fmt: skip
    return reload(dossier)


def make_ready(dossier: Dossier, *, kind: str = "electronic") -> Dossier:
    """Forwarded, every step handed over, the result approved (with a PDF unless paper) and released."""
    from motcua.dossiers.services import dossier_approve_result, dossier_hand_over, dossier_mark_result_ready

    officer, leader = User.objects.get(username="chuyenvien.khcn"), User.objects.get(username="lanhdao.khcn")
    dossier = forward(dossier)
    while dossier.steps.filter(started_at__isnull=True).exists():
        dossier_hand_over(
            officer=officer, dossier=dossier, expected_version=dossier.version, now=TUESDAY_8AM + timedelta(hours=2)
        )
        dossier = reload(dossier)
    upload = None if kind == "paper" else SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")
    dossier_approve_result(officer=leader, dossier=dossier, kind=kind, document_number="15/QĐ-SKHCN", file=upload,
                           expected_version=dossier.version, now=TUESDAY_8AM + timedelta(hours=3))  # fmt: skip
    dossier_mark_result_ready(officer=leader, dossier=dossier, expected_version=reload(dossier).version,
                              now=TUESDAY_8AM + timedelta(hours=4))  # fmt: skip
    return reload(dossier)


def url(dossier: Dossier) -> str:
    return f"/tra-cuu/{dossier.code}/"


def text(response) -> str:
    return response.content.decode()


def lookups() -> list[AuditLog]:
    return list(AuditLog.objects.filter(action="dossiers.dossier.public_lookup").order_by("id"))


def check_id(client, dossier: Dossier, number: str, **extra):
    return client.post(url(dossier), {"so_dinh_danh": number}, **extra)


# ---- what anyone with the code sees ----------------------------------------------------------


def test_public_page_shows_where_the_dossier_is_and_nothing_personal(client, dossier, reception_officer):
    response = client.get(url(dossier))
    body = text(response)
    assert response.status_code == 200
    assert dossier.code in body and "Được tiếp nhận" in body
    assert "đang được chuyển đến Sở Khoa học và Công nghệ thành phố Cần Thơ để giải quyết" in body
    assert "Trung tâm Phục vụ hành chính công thành phố Cần Thơ" in body
    assert dossier.snapshot["name"] in body
    assert "10/03/2026 08:00" in body  # received
    assert "24/03/2026 08:00" in body  # due: 10 working days later
    assert "Trong thời hạn giải quyết." in body
    for value in (*PERSONAL, reception_officer.full_name, "Lệ phí", "BL-0001"):
        assert value not in body, value
    assert 'name="so_dinh_danh"' in body  # the way to the details


def test_page_is_not_cached_and_not_indexed(client, dossier):
    response = client.get(url(dossier))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'name="robots" content="noindex, nofollow"' in text(response)


def test_processing_names_the_agency_holding_it(client, dossier):
    forward(dossier)
    body = text(client.get(url(dossier)))
    assert "Đang xử lý" in body and "Hồ sơ đang được Sở Khoa học và Công nghệ thành phố Cần Thơ xử lý." in body
    assert "Đã chuyển hồ sơ đến cơ quan giải quyết" in body


def test_timeline_shows_labels_and_times_only(client, dossier, reception_officer):
    """Reasons and data can hold personal details; internal events are not the citizen's business."""
    dossier = forward(dossier)
    at = TUESDAY_8AM + timedelta(hours=5)
    DossierEvent.objects.create(dossier=dossier, action="dossier.supplement_requested", from_status=4, to_status=5,
                                actor=reception_officer, at=at, reason="Thiếu giấy khai sinh của cháu Lê Văn Tí",
                                data={"items": [{"document": "Giấy khai sinh của cháu Lê Văn Tí"}]})  # fmt: skip
    DossierEvent.objects.create(dossier=dossier, action="dossier.flagged_at_risk", to_status=4, at=at)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUPPLEMENT_REQUESTED, paused_since=at)
    body = text(client.get(url(dossier)))
    assert "10/03/2026 13:00" in body  # the request, on the timeline
    assert "Lê Văn Tí" not in body and "Thiếu giấy" not in body and reception_officer.full_name not in body
    assert "Tạm dừng tính thời hạn trong thời gian chờ bổ sung giấy tờ." in body
    assert "flagged" not in body and "sắp đến hạn" not in body.lower()


@pytest.mark.parametrize(
    ("status", "label", "sentence"),
    [
        (Status.AWAITING_PAYMENT, "Yêu cầu thực hiện nghĩa vụ tài chính", "chờ người nộp thực hiện nghĩa vụ tài chính"),
        (Status.WITHDRAWN, "Công dân yêu cầu rút hồ sơ", "đã được rút theo yêu cầu của người nộp"),
        (Status.STOPPED, "Dừng xử lý", "Việc giải quyết hồ sơ đã dừng"),
        (Status.RETURNED, "Đã trả kết quả", "Kết quả giải quyết đã được trả cho người nộp."),
    ],
)
def test_every_status_is_said_in_plain_words(client, dossier, status, label, sentence):
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    body = text(client.get(url(dossier)))
    assert label in body and sentence in body


def test_late_dossier_says_so(client, dossier, clock):
    clock.move_to(TUESDAY_8AM + timedelta(days=20))
    assert "Đã quá thời hạn hẹn trả kết quả." in text(client.get(url(dossier)))


def test_result_ready_invites_to_collect_at_the_center(client, dossier):
    dossier = make_ready(dossier, kind="paper")
    body = text(client.get(url(dossier)))
    assert "Đã xử lý xong" in body and "mời quý khách nhận kết quả tại Trung tâm Phục vụ hành chính công" in body
    assert "Có kết quả đúng hạn." in body and "Đã có kết quả giải quyết" in body


# ---- finding a dossier by what people type or scan -------------------------------------------


def test_unknown_code_is_a_friendly_404_with_the_search_box(client, dossier):
    response = client.get("/tra-cuu/000.00.00.H13-260310-9999/")
    body = text(response)
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in body and "000.00.00.H13-260310-9999" in body
    assert 'name="ma"' in body


def test_search_box_with_an_unknown_code_keeps_what_was_typed(client, dossier):
    response = client.get("/tra-cuu/", {"ma": "  ABC-<b>1</b> "})
    body = text(response)
    assert response.status_code == 404 and "ABC-&lt;b&gt;1&lt;/b&gt;" in body and "<b>1</b>" not in body


def test_search_page_without_a_code(client):
    response = client.get("/tra-cuu/")
    assert response.status_code == 200 and "Nhập mã hồ sơ" in text(response)


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "  {lower}  ",
        "https://dichvucong.cantho.gov.vn/tra-cuu/{code}/",
        "http://127.0.0.1:8000/tra-cuu/{lower}",
        "HTTPS://DICHVUCONG.CANTHO.GOV.VN/TRA-CUU/{code}/?utm=qr",
    ],
)
def test_code_field_accepts_what_a_qr_scanner_types(client, dossier, typed):
    response = client.get("/tra-cuu/", {"ma": typed.format(code=dossier.code, lower=dossier.code.lower())})
    assert response.status_code == 302 and response.url == url(dossier)


def test_lower_case_code_in_the_address_goes_to_the_one_address(client, dossier):
    response = client.get(f"/tra-cuu/{dossier.code.lower()}/")
    assert response.status_code == 302 and response.url == url(dossier)


def test_normalise_code():
    assert normalise_code(" https://x.vn/tra-cuu/000.17.22.h56-210531-0001/ ") == "000.17.22.H56-210531-0001"
    assert normalise_code("/kiosk/cantho/tra-cuu-ho-so/abc-1/xac-minh/") == "ABC-1"
    assert normalise_code("") == ""


# ---- the ID number check -----------------------------------------------------------------------


def test_matching_id_shows_the_details_and_is_audited(client, dossier):
    response = check_id(client, dossier, " 092 190 001 234 ")
    body = text(response)
    assert response.status_code == 200
    assert "Nguyễn Thị Ánh" in body and "Thành phần hồ sơ đã nộp" in body and "1 bản chính" in body
    assert "Lệ phí" in body and "50.000 đ" in body and "Đã nộp" in body
    [row] = lookups()
    assert row.data == {"matched": True} and row.ip == "127.0.0.1" and row.object_id == str(dossier.pk)
    assert row.center_id == dossier.receiving_center_id and row.actor is None


def test_wrong_id_is_refused_and_audited_without_the_number(client, dossier):
    response = check_id(client, dossier, "092190009999")
    body = text(response)
    assert response.status_code == 200
    assert "Số định danh không khớp với hồ sơ này" in body and "Nguyễn Thị Ánh" not in body
    assert 'value="092190009999"' in body  # kept for correcting a typo
    [row] = lookups()
    assert row.data == {"matched": False}
    assert not any("092190009999" in str(log.data) or APPLICANT_ID in str(log.data) for log in AuditLog.objects.all())


def test_empty_id_is_asked_for_and_is_not_an_attempt(client, dossier):
    body = text(check_id(client, dossier, "   "))
    assert "Vui lòng nhập số định danh" in body and lookups() == []


def test_dossier_without_an_id_number_never_matches(client, procedure, center, reception_officer):
    from motcua.dossiers.services import Applicant, dossier_accept

    intake = make_intake(procedure, applicant=Applicant(name="Công ty TNHH Sông Hậu", kind="organisation"))
    dossier = dossier_accept(officer=reception_officer, intake=intake, center=center, now=TUESDAY_8AM)
    assert "Công ty TNHH Sông Hậu" not in text(check_id(client, dossier, ""))
    assert "Công ty TNHH Sông Hậu" not in text(check_id(client, dossier, "0"))


def test_too_many_wrong_numbers_stop_the_checks(client, dossier, settings):
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_LOOKUP_PER_HOUR": 3}
    for n in range(3):
        assert check_id(client, dossier, f"00000000000{n}").status_code == 200
    response = check_id(client, dossier, APPLICANT_ID)  # even the right number: no check is made
    body = text(response)
    assert response.status_code == 429 and "nhập sai quá nhiều lần" in body and "Nguyễn Thị Ánh" not in body
    assert [row.data for row in lookups()][-1] == {"matched": False, "throttled": True}
    # Another address is not affected, and the window ends after an hour.
    assert "Nguyễn Thị Ánh" in text(check_id(client, dossier, APPLICANT_ID, REMOTE_ADDR="10.0.0.8"))


def test_right_numbers_do_not_use_up_the_allowance(client, dossier, settings):
    """A kiosk serves the whole hall from one address."""
    settings.MOTCUA = {**settings.MOTCUA, "DOSSIER_LOOKUP_PER_HOUR": 2}
    for _n in range(5):
        assert "Nguyễn Thị Ánh" in text(check_id(client, dossier, APPLICANT_ID))


# ---- the session proof and the result download ---------------------------------------------------


def test_proof_keeps_the_details_open_for_15_minutes(client, dossier, clock):
    check_id(client, dossier, APPLICANT_ID)
    clock.move_to(WEDNESDAY_9AM + timedelta(minutes=14))
    body = text(client.get(url(dossier)))
    assert "Nguyễn Thị Ánh" in body and "11/03/2026 09:15" in body  # "shown until"
    read = AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed").get()
    assert read.data == {"via": "public_lookup"}
    clock.move_to(WEDNESDAY_9AM + timedelta(minutes=16))
    assert "Nguyễn Thị Ánh" not in text(client.get(url(dossier)))


def test_result_download_requires_the_session_proof(client, dossier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = make_ready(dossier)
    download = f"/tra-cuu/{dossier.code}/ket-qua/"
    refused = client.get(download)
    assert refused.status_code == 403 and "Vui lòng nhập số định danh" in text(refused)
    assert "Content-Disposition" not in refused
    body = text(check_id(client, dossier, APPLICANT_ID))
    assert download in body and "15/QĐ-SKHCN" in body
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ket-qua-{dossier.code}.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert AuditLog.objects.filter(action="dossiers.dossier.personal_data_viewed",
                                   data__via="public_result_download").count() == 1  # fmt: skip


def test_other_dossiers_code_with_my_proof_is_refused(client, dossier, other_dossier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other_dossier = make_ready(other_dossier)
    check_id(client, dossier, APPLICANT_ID)
    assert "Nguyễn Thị Ánh" in text(client.get(url(dossier)))
    body = text(client.get(url(other_dossier)))
    assert "Trần Văn Bình" not in body and "Trần Văn Bình" not in text(client.get(url(dossier)))
    response = client.get(f"/tra-cuu/{other_dossier.code}/ket-qua/")
    assert response.status_code == 403 and "Content-Disposition" not in response


def test_wrong_number_gives_no_proof(client, dossier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = make_ready(dossier)
    check_id(client, dossier, "079085004321")
    assert client.get(f"/tra-cuu/{dossier.code}/ket-qua/").status_code == 403


def test_paper_result_has_nothing_to_download(client, dossier):
    dossier = make_ready(dossier, kind="paper")
    body = text(check_id(client, dossier, APPLICANT_ID))
    assert "Bản giấy" in body and "/ket-qua/" not in body
    response = client.get(f"/tra-cuu/{dossier.code}/ket-qua/")
    assert response.status_code == 200 and "Content-Disposition" not in response


def test_result_is_not_downloadable_before_it_is_released(client, dossier, settings, tmp_path):
    from motcua.dossiers.models import DossierResult

    settings.MEDIA_ROOT = tmp_path
    dossier = forward(dossier)
    DossierResult.objects.create(dossier=dossier, kind="electronic", approved_at=TUESDAY_8AM,
                                 file=SimpleUploadedFile("draft.pdf", PDF))  # fmt: skip
    check_id(client, dossier, APPLICANT_ID)
    assert "Content-Disposition" not in client.get(f"/tra-cuu/{dossier.code}/ket-qua/")
