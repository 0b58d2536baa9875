"""/api/v1/citizen/…: the portal for a mobile app — register and sign in for a token, submit a
dossier online, follow it to an electronic result and download it, sign out. Tokens are kept
hashed, expire, are revoked; logins are throttled like the web's; staff accounts are refused."""

# The online and dossier fixtures are imported by name, so tests taking them "redefine" them.
# ruff: noqa: F811
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from motcua.core.models import AuditLog
from motcua.dossiers.models import Dossier
from motcua.identity.models import CitizenProfile, CitizenToken
from motcua.online.models import Attachment, Draft
from tests.api.citizen_helpers import (
    PASSWORD,
    error_of,
    get,
    send,
    token_for,
    upload,
    work_to_an_electronic_result,
)
from tests.dossiers.conftest import TUESDAY_8AM
from tests.online.conftest import make_citizen, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # login-failure counters outlive the test's transaction
    with time_machine.travel(TUESDAY_8AM, tick=False):
        yield
    cache.clear()


def registration(**changes) -> dict:
    values = {
        "full_name": "Trần Thị Mai", "national_id": "092185001234", "birth_date": "1985-09-05",
        "phone": "0901 234 567", "email": "Mai.Tran@Example.vn", "password": PASSWORD, "accept_terms": True,
        "label": "Android – Samsung A15",
    }  # fmt: skip
    return values | changes


def login(client, typed="0901234567", password=PASSWORD, **extra):
    return client.post("/api/v1/citizen/tokens", {"login": typed, "password": password, "label": "iPhone"},
                       content_type="application/json", **extra)  # fmt: skip


# --- the whole journey -------------------------------------------------------------------------------


def test_register_submit_accept_follow_download_and_sign_out(client, demo_catalog, reception_officer):
    # Register: signed in at once, the token shown once and kept only as its hash.
    response = send(client, "post", "/accounts", data=registration())
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert token.startswith("mc_") and len(token) > 40
    row = CitizenToken.objects.get()
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest() and row.label == "Android – Samsung A15"
    assert not CitizenToken.objects.filter(key_hash=token).exists()
    assert all(token not in str(log.data) for log in AuditLog.objects.all())
    profile = CitizenProfile.objects.get()
    assert profile.terms_version and profile.phone == "0901234567"
    assert AuditLog.objects.filter(action="identity.citizen_token.issued", actor=profile.user).exists()

    me = get(client, "/me", token).json()
    assert me["national_id_masked"] == "092••••••234" and me["full_name"] == "Trần Thị Mai"

    online = get(client, "/procedures/1.014390/online").json()
    assert online["online"] and "cantho" in [c["code"] for c in online["centers"]]

    # A draft, its applicant page, three documents (a wrong file first), submit.
    draft = send(client, "post", "/drafts", token, {"procedure": "1.014390", "center": "cantho"})
    assert draft.status_code == 201, draft.content
    draft_id = draft.json()["id"]
    pages = draft.json()["documents"]
    assert [p["number"] for p in pages] == [1, 2, 3] and "not_applicable" in pages[1]["allowed_answers"]
    assert draft.json()["applicant"]["national_id"] == "092185001234"

    applicant = dict(draft.json()["applicant"], return_method="online")
    assert send(client, "put", f"/drafts/{draft_id}/applicant", token, applicant).status_code == 200
    wrong = upload(client, f"/drafts/{draft_id}/documents/1", token, "đây không phải PDF".encode(), "don.pdf")
    assert "Tệp này không phải PDF, JPEG hoặc PNG" in error_of(wrong, 422, "invalid_file")["message"]
    first = upload(client, f"/drafts/{draft_id}/documents/1", token, pdf_bytes(), "Đơn đề nghị.pdf")
    assert first.status_code == 200 and first.json()["documents"][0]["file"]["original_name"] == "Đơn đề nghị.pdf"
    second = send(client, "post", f"/drafts/{draft_id}/documents/2", token, {"answer": "not_applicable"})
    assert second.status_code == 200 and second.json()["documents"][1]["answer"] == "not_applicable"
    third = upload(client, f"/drafts/{draft_id}/documents/3", token, png_bytes(), "anh.png")
    assert third.json()["ready"] is True and third.json()["missing_numbers"] == []

    sent = send(client, "post", f"/drafts/{draft_id}/submit", token)
    assert sent.status_code == 201, sent.content
    assert (sent.json()["status"], sent.json()["code"]) == (1, None)
    assert sent.json()["reference"].endswith(str(sent.json()["id"]))
    dossier = Dossier.objects.get(pk=sent.json()["id"])
    assert dossier.channel == "online" and Draft.objects.get(pk=draft_id).status == "submitted"
    assert get(client, "/drafts", token).json() == []

    # The reception officer accepts it; no result yet, so nothing to download.
    from motcua.dossiers.services import dossier_accept

    dossier_accept(officer=reception_officer, dossier=dossier, expected_version=dossier.version)
    dossier.refresh_from_db()
    assert dossier.code
    error_of(get(client, f"/dossiers/{dossier.pk}/result", token), 404, "not_found")

    # The agency works it to an electronic result; the list and the detail say so.
    work_to_an_electronic_result(dossier)
    listed = get(client, "/dossiers", token).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["code"], item["status"], item["result_downloadable"]) == (dossier.code, 9, True)
    assert item["status_label"] and item["due_at"] and item["received_at"]

    detail = get(client, f"/dossiers/{dossier.pk}", token).json()
    labels = [entry["label"] for entry in detail["timeline"]]
    assert "Đã nộp hồ sơ" in labels and "Đã tiếp nhận hồ sơ" in labels and "Đã có kết quả giải quyết" in labels
    assert detail["result"]["download_url"] == f"/api/v1/citizen/dossiers/{dossier.pk}/result"
    assert any(line["file_url"] for line in detail["documents"])
    read = AuditLog.objects.get(action="dossiers.dossier.personal_data_viewed", data__via="citizen_app")
    assert read.actor == profile.user and read.object_id == str(dossier.pk)

    result = get(client, f"/dossiers/{dossier.pk}/result", token)
    assert result.status_code == 200 and b"".join(result.streaming_content).startswith(b"%PDF")
    assert f"ket-qua-{dossier.code}.pdf" in result["Content-Disposition"]
    assert AuditLog.objects.filter(data__via="citizen_app_result_download", actor=profile.user).count() == 1

    scan_url = next(line["file_url"] for line in detail["documents"] if line["file_url"])
    scan = client.get(scan_url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert scan.status_code == 200 and b"".join(scan.streaming_content).startswith(b"%PDF")

    # Sign out: the token is revoked, and says so.
    assert send(client, "delete", "/tokens/current", token).status_code == 204
    assert CitizenToken.objects.get().revoked_at is not None
    error_of(get(client, "/me", token), 401, "invalid_token")


# --- registration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"national_id": "092185001234", "birth_date": "1990-01-01"}, "national_id", ""),
    ({"phone": "", "email": ""}, "phone", "ít nhất một"),
    ({"password": "12345678"}, "password", ""),
    ({"accept_terms": False}, "accept_terms", "Điều khoản sử dụng"),
    ({"full_name": "  "}, "full_name", "họ và tên"),
    ({"birth_date": "31/02/1985"}, "birth_date", "ngày/tháng/năm"),
])  # fmt: skip
def test_registration_mistakes_answer_422_with_the_field_and_the_web_message(client, db, changes, field, words):
    response = send(client, "post", "/accounts", data=registration(**changes))
    error = error_of(response, 422, "invalid_registration")
    names = [item["name"] for item in error["fields"]]
    assert field in names, error
    assert words in next(item["message"] for item in error["fields"] if item["name"] == field)
    assert not CitizenProfile.objects.exists() and not CitizenToken.objects.exists()


def test_registration_reports_every_problem_at_once_and_a_taken_phone(client, db):
    assert send(client, "post", "/accounts", data=registration()).status_code == 201
    again = send(client, "post", "/accounts", data=registration(email="khac@example.vn", accept_terms=False))
    fields = {item["name"]: item["code"] for item in error_of(again, 422)["fields"]}
    assert fields == {"national_id": "identity.account.national_id_taken", "phone": "identity.account.phone_taken",
                      "accept_terms": "identity.account.terms_missing"}  # fmt: skip


def test_a_malformed_body_is_a_json_422(client, db):
    response = client.post("/api/v1/citizen/accounts", "{not json", content_type="application/json")
    assert response.status_code in (400, 422) and "error" in response.json()


# --- sign in ---------------------------------------------------------------------------------------


@pytest.fixture
def mai(db):
    from motcua.identity.services.accounts import citizen_register

    return citizen_register(full_name="Trần Thị Mai", national_id="092185001234", phone="0901234567",
                            email="mai.tran@example.vn", password=PASSWORD, terms_version="2026-11")  # fmt: skip


@pytest.mark.parametrize("typed", ["0901234567", "0901 234 567", "+84 901 234 567", "MAI.Tran@Example.VN"])
def test_login_by_phone_or_email_gives_a_token(client, mai, typed):
    response = login(client, typed)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"].startswith("mc_") and body["token_type"] == "Bearer" and body["label"] == "iPhone"
    assert body["expires_at"].startswith("2026-06-08")  # 90 days after 10/03/2026
    assert get(client, "/me", body["token"]).json()["phone"] == "0901234567"


def test_token_lifetime_follows_the_setting(client, mai, settings):
    settings.MOTCUA = {**settings.MOTCUA, "CITIZEN_TOKEN_DAYS": 7}
    assert login(client).json()["expires_at"].startswith("2026-03-17")


def test_wrong_password_and_unknown_phone_are_one_plain_401(client, mai):
    for typed, password in (("0901234567", "sai-mat-khau"), ("0999999999", PASSWORD), ("khong@co.vn", PASSWORD)):
        error = error_of(login(client, typed, password), 401, "invalid_credentials")
        assert "chưa đúng" in error["message"]
    assert not CitizenToken.objects.exists()


def test_a_username_is_not_a_login_here(client, mai, reception_officer):
    from motcua.demo.organisation import DEMO_PASSWORD

    error = error_of(login(client, "tiepnhan", DEMO_PASSWORD), 422, "invalid_identifier")
    assert "Cán bộ đăng nhập tại trang dành cho cán bộ" in error["message"]


def test_login_is_throttled_like_the_web_even_with_the_right_password(client, mai):
    for typed in ["0901234567", "0901 234 567", "+84901234567", "0901.234.567"]:
        error_of(login(client, typed, "sai"), 401, "invalid_credentials")
    locked = error_of(login(client, "0901234567", "sai"), 429, "too_many_attempts")
    assert "Đăng nhập sai quá nhiều lần" in locked["message"]
    error_of(login(client), 429, "too_many_attempts")  # the right password is not even checked now
    assert not CitizenToken.objects.exists()
    assert AuditLog.objects.filter(action="accounts.login.locked").count() == 1
    # The web's login form and the API share the count.
    page = client.post("/tai-khoan/dang-nhap/", {"username": "0901234567", "password": PASSWORD})
    assert "Đăng nhập sai quá nhiều lần" in page.content.decode()
    assert login(client, REMOTE_ADDR="10.9.9.9").status_code == 201  # another address is not locked


def test_the_web_failures_count_against_the_api_too(client, mai):
    for _ in range(5):
        client.post("/tai-khoan/dang-nhap/", {"username": "0901234567", "password": "sai"})
    error_of(login(client), 429, "too_many_attempts")


def test_staff_accounts_are_refused(client, mai, reception_officer):
    """An officer who also holds a citizen profile still may not use the citizen app."""
    CitizenProfile.objects.create(user=reception_officer, national_id="092190009999", full_name="Cán bộ",
                                  phone="0911111111", terms_version="2026-11", terms_accepted_at=TUESDAY_8AM,
                                  created_at=TUESDAY_8AM)  # fmt: skip
    from motcua.demo.organisation import DEMO_PASSWORD

    error = error_of(login(client, "0911111111", DEMO_PASSWORD), 403, "staff_account")
    assert "tài khoản cán bộ" in error["message"]
    assert not CitizenToken.objects.exists()
    # A token issued before the account became staff stops working.
    token = token_for(mai)
    assert get(client, "/me", token).status_code == 200
    mai.is_staff = True
    mai.save()
    error_of(get(client, "/me", token), 401, "invalid_token")


# --- the token --------------------------------------------------------------------------------------


def test_missing_garbage_revoked_and_expired_tokens_are_401(client, mai):
    error_of(get(client, "/me"), 401, "unauthorized")
    for garbage in ["x", "mc_" + "a" * 43, "mc_" + "é" * 200, "Device abc"]:
        error_of(get(client, "/me", garbage), 401, "invalid_token")
    error_of(client.get("/api/v1/citizen/me", HTTP_AUTHORIZATION="Token abc"), 401, "unauthorized")

    token = token_for(mai)
    assert get(client, "/me", token).status_code == 200
    with time_machine.travel(TUESDAY_8AM + timedelta(days=91), tick=False):
        error_of(get(client, "/me", token), 401, "invalid_token")
    assert send(client, "delete", "/tokens/current", token).status_code == 204
    error_of(get(client, "/me", token), 401, "invalid_token")
    error_of(send(client, "delete", "/tokens/current", token), 401, "invalid_token")
    assert AuditLog.objects.filter(action="identity.citizen_token.revoked").count() == 1


def test_an_inactive_account_is_refused(client, mai):
    token = token_for(mai)
    mai.is_active = False
    mai.save()
    error_of(get(client, "/me", token), 401, "invalid_token")


def test_a_login_session_is_not_accepted(client, mai):
    client.force_login(mai)
    error_of(get(client, "/me"), 401, "unauthorized")
    error_of(send(client, "post", "/drafts", data={"procedure": "1.014390", "center": "cantho"}), 401, "unauthorized")


def test_signing_out_revokes_only_this_device(client, mai):
    phone, tablet = token_for(mai), token_for(mai)
    assert send(client, "delete", "/tokens/current", phone).status_code == 204
    error_of(get(client, "/me", phone), 401, "invalid_token")
    assert get(client, "/me", tablet).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(client, mai):
    token = token_for(mai)
    get(client, "/me", token)
    first = CitizenToken.objects.get().last_used_at
    assert first is not None
    with time_machine.travel(TUESDAY_8AM + timedelta(seconds=30), tick=False):
        get(client, "/me", token)
    assert CitizenToken.objects.get().last_used_at == first
    with time_machine.travel(TUESDAY_8AM + timedelta(minutes=2), tick=False):
        get(client, "/me", token)
    assert CitizenToken.objects.get().last_used_at > first


def test_the_admin_lists_tokens_without_the_hash_and_revokes_them(client, mai, admin_user):
    token = token_for(mai)
    row = CitizenToken.objects.get()
    client.force_login(admin_user)
    page = client.get("/admin/identity/citizentoken/")
    assert page.status_code == 200 and row.key_hash not in page.content.decode()
    assert row.key_hash not in client.get(f"/admin/identity/citizentoken/{row.pk}/change/").content.decode()
    client.post("/admin/identity/citizentoken/", {"action": "revoke", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.revoked_at is not None
    log = AuditLog.objects.get(action="identity.citizen_token.revoked")
    assert log.actor == admin_user and log.data["by_owner"] is False
    client.logout()
    error_of(get(client, "/me", token), 401, "invalid_token")


# --- drafts: files, reuse, refusals -------------------------------------------------------------------


@pytest.fixture
def binh(demo_catalog):
    return make_citizen("binh", "092090001234")


def _draft(client, token, procedure="1.014390"):
    response = send(client, "post", "/drafts", token, {"procedure": procedure, "center": "cantho"})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_procedure_not_online_and_a_wrong_center_are_refused(client, binh):
    token = token_for(binh)
    assert get(client, "/procedures/2.000884/online").json()["online"] is False
    error_of(send(client, "post", "/drafts", token, {"procedure": "2.000884", "center": "cantho"}), 422, "draft.not_online")
    error_of(send(client, "post", "/drafts", token, {"procedure": "1.014390", "center": "khong-co"}), 404, "not_found")
    error_of(send(client, "post", "/drafts", token, {"procedure": "9.999999", "center": "cantho"}), 404, "not_found")
    error_of(get(client, "/procedures/9.999999/online"), 404, "not_found")


def test_an_earlier_file_is_reused_in_a_new_draft(client, binh):
    token = token_for(binh)
    first = _draft(client, token)
    uploaded = upload(client, f"/drafts/{first['id']}/documents/1", token, pdf_bytes())
    attachment_id = uploaded.json()["documents"][0]["file"]["id"]
    second = _draft(client, token)
    detail = get(client, f"/drafts/{second['id']}", token).json()
    assert [a["id"] for a in detail["reusable"]] == [attachment_id]
    reused = send(client, "post", f"/drafts/{second['id']}/documents/1", token, {"reuse": attachment_id})
    assert reused.status_code == 200, reused.content
    line = reused.json()["documents"][0]
    assert line["answer"] == "upload" and line["file"]["sha256"] == uploaded.json()["documents"][0]["file"]["sha256"]
    store = get(client, "/attachments", token).json()
    assert store["count"] == 2
    download = client.get(store["items"][0]["file_url"], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert get(client, "/drafts", token).json()[0]["missing"] >= 1


def test_answers_a_line_does_not_allow_and_an_incomplete_submit_are_refused(client, binh):
    token = token_for(binh)
    draft = _draft(client, token)
    error_of(send(client, "post", f"/drafts/{draft['id']}/documents/1", token, {"answer": "not_applicable"}), 422,
             "draft.file_required")  # fmt: skip
    error_of(send(client, "post", f"/drafts/{draft['id']}/documents/1", token, {}), 422, "invalid_file")
    error_of(send(client, "post", f"/drafts/{draft['id']}/documents/1", token, {"answer": "maybe"}), 422)
    error_of(send(client, "post", f"/drafts/{draft['id']}/documents/9", token, {"answer": "not_applicable"}), 404)
    error_of(send(client, "post", f"/drafts/{draft['id']}/submit", token), 422, "draft.applicant_missing")
    applicant = dict(draft["applicant"], return_method="counter")
    send(client, "put", f"/drafts/{draft['id']}/applicant", token, applicant)
    error_of(send(client, "post", f"/drafts/{draft['id']}/submit", token), 422, "draft.incomplete")


def test_applicant_mistakes_come_back_per_field(client, binh):
    token = token_for(binh)
    draft = _draft(client, token)
    bad = dict(draft["applicant"], national_id="123", return_method="post", address="")
    error = error_of(send(client, "put", f"/drafts/{draft['id']}/applicant", token, bad), 422, "invalid_applicant")
    assert {item["name"] for item in error["fields"]} == {"national_id", "address"}


def test_empty_damaged_and_too_big_files(client, binh, settings):
    token = token_for(binh)
    draft = _draft(client, token)
    url = f"/drafts/{draft['id']}/documents/1"
    assert "0 byte" in error_of(upload(client, url, token, b""), 422, "invalid_file")["message"]
    assert "hỏng" in error_of(upload(client, url, token, b"%PDF-1.4 cut"), 422, "invalid_file")["message"]
    error_of(client.post("/api/v1/citizen" + url, {}, HTTP_AUTHORIZATION=f"Bearer {token}"), 422, "invalid_file")
    settings.MOTCUA = {**settings.MOTCUA, "UPLOAD_MAX_MB": 1}
    just_over = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF"
    assert "tối đa là 1 MB" in error_of(upload(client, url, token, just_over), 413, "file_too_large")["message"]
    far_over = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    error_of(upload(client, url, token, far_over), 413, "file_too_large")
    assert not Attachment.objects.exists()


# --- the documentation ----------------------------------------------------------------------------


def test_every_citizen_endpoint_is_documented_in_vietnamese(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [(path, op) for path, ops in schema["paths"].items() if "/citizen/" in path for op in ops.values()]
    assert len(operations) >= 19
    for path, operation in operations:
        assert operation.get("summary") and operation.get("description"), path
    assert schema["components"]["securitySchemes"]["CitizenBearer"]["scheme"] == "bearer"
