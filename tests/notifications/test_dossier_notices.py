"""Notices to the citizen (ADR 0008 §7): queued in the transition's transaction, one per channel
the applicant gave, carrying the code and tracking link but nothing personal; delivered after
commit by e-mail (with the paper as PDF) and SMS."""

# The dossier fixtures are imported by name, so tests taking them "redefine" them.
# ruff: noqa: F811
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from motcua.dossiers.models import ApologyLetter, Dossier, DossierReturn
from motcua.dossiers.notify import dossier_notice
from motcua.dossiers.services import (
    Applicant,
    dossier_accept,
    dossier_forward,
    dossier_refuse,
    dossier_request_reception_supplement,
    dossier_request_supplement,
    dossier_stop,
    dossier_withdraw,
)
from motcua.notifications import senders
from motcua.notifications.models import OutboxMessage
from tests.dossiers.conftest import TUESDAY_8AM, local, make_intake

pytestmark = pytest.mark.django_db
CODE = "000.00.00.H13-260310-0001"
PERSONAL = ("Nguyễn Thị Ánh", "092190001234", "0912345678", "12 Hòa Bình", "anh@example.com")


@pytest.fixture(autouse=True)
def _tuesday_morning():
    """Delivery after commit reads the clock: freeze it on the acceptance's morning."""
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield


@pytest.fixture
def delivered(settings, tmp_path):
    """Inline delivery after commit, e-mail into Django's locmem outbox, SMS into VAR_DIR/sms."""
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "motcua@cantho.gov.vn"
    settings.MOTCUA = {**settings.MOTCUA, "OUTBOX_DELIVERY": "inline", "SMS_BACKEND": "file"}
    return tmp_path / "sms"


def messages(dossier, channel):
    return list(OutboxMessage.objects.filter(dossier=dossier, channel=channel).order_by("id"))


def sms_text(message) -> str:
    return bytes(message.payload).decode()


def email_content(message) -> dict:
    return json.loads(bytes(message.payload).decode())


def assert_nothing_personal(*texts: str) -> None:
    for text in texts:
        for value in PERSONAL:
            assert value not in text, (value, text)


def test_acceptance_queues_an_email_and_an_sms_with_code_procedure_appointment_and_link(accepted):
    [email], [sms] = messages(accepted, "email"), messages(accepted, "sms")
    assert email.recipient == "anh@example.com" and sms.recipient == "84912345678"
    assert email.subject == sms.subject == f"Hồ sơ {CODE} đã được tiếp nhận"
    assert sms_text(sms) == (
        f"Hồ sơ {CODE} (thủ tục 1.014390) đã được tiếp nhận. Hẹn trả kết quả: 08:00 ngày 24/03/2026. "
        f"Tra cứu: http://127.0.0.1:8000/tra-cuu/{CODE}/"
    )
    content = email_content(email)
    assert content["slip"] == "receipt"
    assert f"đã tiếp nhận hồ sơ {CODE} lúc 08:00 ngày 10/03/2026" in content["body"]
    assert "Thủ tục: 1.014390 – " in content["body"] and "Hẹn trả kết quả: 08:00 ngày 24/03/2026" in content["body"]
    assert f"/tra-cuu/{CODE}/" in content["body"] and "vui lòng không trả lời" in content["body"]
    assert_nothing_personal(sms_text(sms), content["body"], content["subject"])


def test_no_contact_no_notice_and_a_bad_phone_only_skips_the_sms(procedure, center, reception_officer):
    silent = make_intake(procedure, applicant=Applicant(name="Trần Văn Bình"))
    dossier = dossier_accept(officer=reception_officer, intake=silent, center=center, now=TUESDAY_8AM)
    assert not OutboxMessage.objects.filter(dossier=dossier).exists()
    typo = make_intake(procedure, applicant=Applicant(name="Lê Thị Cúc", phone="09123", email="cuc@example.com"))
    dossier = dossier_accept(officer=reception_officer, intake=typo, center=center, now=TUESDAY_8AM)
    assert [m.channel for m in OutboxMessage.objects.filter(dossier=dossier)] == ["email"]


def test_a_notice_is_queued_in_the_transaction_and_rolled_back_with_it(procedure, center, reception_officer):
    from motcua.dossiers.errors import DossierError

    with pytest.raises(DossierError):
        dossier_accept(officer=reception_officer, intake=make_intake(procedure, applicant=Applicant(name=" ",
                       phone="0912345678")), center=center, now=TUESDAY_8AM)  # fmt: skip
    assert not OutboxMessage.objects.exists()


def test_email_with_the_receipt_pdf_and_sms_file_are_delivered_after_commit(
    procedure, center, reception_officer, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_accept(
            officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM
        )
    assert set(OutboxMessage.objects.filter(dossier=dossier).values_list("status", flat=True)) == {"sent"}
    [email] = mail.outbox
    assert email.to == ["anh@example.com"] and email.from_email == "motcua@cantho.gov.vn"
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận" and dossier.code in email.body
    [(name, pdf, mimetype)] = email.attachments
    assert name == f"receipt-{dossier.code}.pdf" and mimetype == "application/pdf" and pdf.startswith(b"%PDF")
    [line] = (delivered / "sms-2026-03-10.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == "84912345678" and dossier.code in json.loads(line)["text"]


def test_a_paper_that_cannot_be_drawn_does_not_hold_the_email_back(
    procedure, center, reception_officer, delivered, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(slip):
        raise RuntimeError("font missing")

    monkeypatch.setattr(senders, "slip_renderer", lambda: broken)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    [email] = mail.outbox
    assert email.attachments == [] and CODE in email.body


def test_a_refused_dossier_has_no_code_the_sms_names_the_procedure_and_the_email_the_reason(
    procedure, center, reception_officer
):
    dossier = dossier_refuse(officer=reception_officer, reason="Thiếu bản vẽ thiết kế", intake=make_intake(procedure),
                             center=center, now=TUESDAY_8AM)  # fmt: skip
    [email], [sms] = messages(dossier, "email"), messages(dossier, "sms")
    assert sms_text(sms).startswith("Hồ sơ thủ tục 1.014390 nộp tại ") and "không được tiếp nhận" in sms_text(sms)
    assert "Thiếu bản vẽ thiết kế" not in sms_text(sms)
    assert "Lý do: Thiếu bản vẽ thiết kế" in email_content(email)["body"] and email_content(email)["slip"] == "refusal"
    assert_nothing_personal(sms_text(sms), email_content(email)["body"])


def test_a_reception_supplement_lists_the_missing_papers_in_the_email(procedure, center, reception_officer):
    items = [{"document": "Bản sao Giấy chứng nhận đăng ký doanh nghiệp", "note": "chứng thực"}]
    dossier = dossier_request_reception_supplement(officer=reception_officer, items=items, reason="Thiếu bản sao",
                                                   intake=make_intake(procedure), center=center, now=TUESDAY_8AM)  # fmt: skip
    [email], [sms] = messages(dossier, "email"), messages(dossier, "sms")
    assert "cần bổ sung, hoàn thiện trước khi tiếp nhận" in sms_text(sms)
    body = email_content(email)["body"]
    assert "- Bản sao Giấy chứng nhận đăng ký doanh nghiệp" in body and "Lý do: Thiếu bản sao" in body


def test_a_supplement_during_processing_gives_its_deadline(accepted, reception_officer):
    moved = dossier_forward(officer=reception_officer, dossier=accepted, expected_version=accepted.version,
                            now=TUESDAY_8AM + timedelta(hours=1))  # fmt: skip
    dossier_request_supplement(officer=reception_officer, dossier=moved, items=[{"document": "Bản vẽ"}],
                               reason="Bản vẽ mờ", expected_version=moved.version, now=TUESDAY_8AM + timedelta(hours=2))  # fmt: skip
    [sms] = [m for m in messages(accepted, "sms") if "bổ sung" in m.subject]
    assert sms.subject == f"Hồ sơ {CODE} cần bổ sung, hoàn thiện"
    assert "cần bổ sung giấy tờ, hạn bổ sung: " in sms_text(sms) and "tạm dừng" in sms_text(sms)


def test_stop_and_withdrawal_each_send_their_notice(accepted, procedure, center, reception_officer):
    dossier_stop(officer=reception_officer, dossier=accepted, reason="Công dân đề nghị dừng",
                 expected_version=accepted.version, now=TUESDAY_8AM + timedelta(hours=1))  # fmt: skip
    stop = email_content(messages(accepted, "email")[-1])
    assert stop["subject"] == f"Hồ sơ {CODE} đã dừng giải quyết" and stop["slip"] == "stop"
    assert "Lý do: Công dân đề nghị dừng" in stop["body"]
    other = dossier_accept(officer=reception_officer, intake=make_intake(procedure), center=center, now=TUESDAY_8AM)
    dossier_withdraw(officer=reception_officer, dossier=other, reason="Rút để bổ sung sau",
                     expected_version=other.version, now=TUESDAY_8AM + timedelta(hours=1))  # fmt: skip
    assert sms_text(messages(other, "sms")[-1]).startswith(f"Hồ sơ {other.code} đã được rút theo đề nghị")


@pytest.mark.parametrize(
    ("method", "words"),
    [("counter", "Mời ông/bà đến nhận tại "), ("post", "qua bưu chính"), ("online", "nhận kết quả trực tuyến")],
)
def test_result_ready_says_where_to_get_the_result(accepted, method, words):
    accepted.return_method = method
    notice = dossier_notice(accepted, "result_ready")
    assert notice is not None and notice.subject == f"Hồ sơ {CODE} đã có kết quả"
    assert words in notice.sms and f"/tra-cuu/{CODE}/" in notice.sms


def test_the_apology_names_the_agency_and_the_new_appointment(accepted):
    ApologyLetter.objects.create(dossier=accepted, agency=accepted.competent_agency, reason="Chờ ý kiến liên ngành",
                                 previous_due_at=accepted.due_at, new_due_at=local(2026, 3, 27, 16, 0),
                                 issued_at=TUESDAY_8AM, issued_by=None)  # fmt: skip
    notice = dossier_notice(accepted, "apology")
    assert notice is not None and notice.slip == "apology"
    assert notice.sms.startswith(f"{accepted.competent_agency.name} xin lỗi vì hồ sơ {CODE} chưa có kết quả đúng hẹn")
    assert "Hẹn trả kết quả mới: 16:00 ngày 27/03/2026" in notice.sms and "Chờ ý kiến liên ngành" in notice.body


def test_a_result_sent_by_post_is_announced_with_its_tracking_number(accepted):
    assert dossier_notice(accepted, "returned") is None
    DossierReturn.objects.create(dossier=accepted, method=Dossier.ReturnMethod.COUNTER, returned_at=TUESDAY_8AM)
    assert dossier_notice(accepted, "returned") is None  # collected in person: nothing to say
    DossierReturn.objects.filter(dossier=accepted).update(method="post", tracking_number="EL123456789VN")
    notice = dossier_notice(accepted, "returned")
    assert notice is not None and "số hiệu bưu gửi EL123456789VN" in notice.sms


def test_texts_are_vietnamese_whatever_the_screen_language_and_can_drop_diacritics(accepted, settings):
    from django.utils import translation

    from motcua.dossiers.notify import dossier_notify

    with translation.override("en"):
        assert dossier_notice(accepted, "accepted").subject.endswith("đã được tiếp nhận")  # type: ignore[union-attr]
    settings.MOTCUA = {**settings.MOTCUA, "SMS_STRIP_DIACRITICS": True}
    [_email, sms] = dossier_notify(accepted, "accepted")
    assert sms_text(sms).startswith(f"Ho so {CODE} (thu tuc 1.014390) da duoc tiep nhan. Hen tra ket qua: 08:00 ngay")
