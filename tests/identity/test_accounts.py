"""Citizen accounts: registration (self and assisted), login by phone or e-mail, throttling,
logout, password reset by e-mail, and the wall between citizen and staff accounts."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.cache import cache

from motcua.accounts.models import User
from motcua.core.models import AuditLog
from motcua.demo.organisation import DEMO_PASSWORD
from motcua.identity.models import CitizenProfile, ConsentRecord
from motcua.identity.selectors import citizen_username_for_login, is_citizen, may_assist_registration
from motcua.identity.services.accounts import CitizenAccountError, citizen_register

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 2, 15, tzinfo=UTC)
PASSWORD = "Song-Hau-2026!"
REGISTER, LOGIN, LOGOUT, HOME = "/tai-khoan/dang-ky/", "/tai-khoan/dang-nhap/", "/tai-khoan/dang-xuat/", "/tai-khoan/"
ASSISTED, RESET = "/tai-khoan/ho-tro-dang-ky/", "/tai-khoan/quen-mat-khau/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # login-failure counters outlive the test's transaction
    yield
    cache.clear()


def _register(**changes):
    fields = {
        "full_name": "Trần Thị Mai", "national_id": "092185001234", "birth_date": date(1985, 9, 5),
        "phone": "0901 234 567", "email": "Mai.Tran@Example.vn", "password": PASSWORD,
        "terms_version": "2026-11", "now": NOW,
    }  # fmt: skip
    return citizen_register(**(fields | changes))


def _form(**changes):
    data = {
        "full_name": "Trần Thị Mai", "national_id": "092 185 001 234", "birth_date": "05/09/1985",
        "phone": "0901 234 567", "email": "mai.tran@example.vn", "password1": PASSWORD, "password2": PASSWORD,
        "accept_terms": "on",
    }  # fmt: skip
    return {key: value for key, value in (data | changes).items() if value is not None}


def _refused(code, **changes):
    with pytest.raises(CitizenAccountError) as caught:
        _register(**changes)
    assert caught.value.code == code
    return caught.value


# --- the service -------------------------------------------------------------------------------


def test_register_creates_a_citizen_user_profile_consent_and_audit(db):
    user = _register()
    assert user.username.startswith("cd-") and len(user.username) == 13
    assert (user.is_staff, user.is_superuser, user.roles.count()) == (False, False, 0)
    assert user.check_password(PASSWORD)
    profile = user.citizen
    assert (profile.national_id, profile.phone, profile.email) == ("092185001234", "0901234567", "mai.tran@example.vn")
    assert (profile.terms_version, profile.terms_accepted_at, profile.created_at) == ("2026-11", NOW, NOW)
    assert profile.registered_by is None
    consent = ConsentRecord.objects.get(user=user)
    assert (consent.kind, consent.text_version, consent.given_at) == ("terms", "2026-11", NOW)
    audit = AuditLog.objects.get(action="identity.citizen.registered")
    assert (audit.actor, audit.data, audit.at) == (user, {"assisted": False}, NOW)
    assert "092185001234" not in str(audit.data)  # the ID number is not copied into the audit


def test_register_with_phone_only_or_email_only(db):
    assert _register(email="").citizen.email == ""
    assert (
        _register(national_id="092285001234", birth_date=date(2085, 1, 1), phone="", email="b@x.vn").citizen.phone == ""
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"national_id": ""}, "identity.national_id.empty", "national_id"),
        ({"national_id": "09218500123X"}, "identity.national_id.not_digits", "national_id"),
        ({"national_id": "362012345"}, "identity.national_id.length", "national_id"),
        ({"national_id": "990185001234"}, "identity.national_id.province", "national_id"),
        ({"national_id": "092285001234"}, "identity.national_id.century_mismatch", "national_id"),
        ({"national_id": "092186001234"}, "identity.national_id.century_mismatch", "national_id"),
        ({"phone": "", "email": ""}, "identity.account.contact_missing", "phone"),
        ({"phone": "12345"}, "identity.account.phone_invalid", "phone"),
        ({"email": "mai.tran@"}, "identity.account.email_invalid", "email"),
        ({"password": "12345678"}, "identity.account.password_weak", "password"),
        ({"password": "abc"}, "identity.account.password_weak", "password"),
        ({"password": "mai.tran@example.vn"}, "identity.account.password_weak", "password"),
        ({"terms_version": ""}, "identity.account.terms_missing", "accept_terms"),
        ({"full_name": "   "}, "identity.account.name_missing", "full_name"),
    ],
)
def test_register_refuses_bad_input_with_a_code_a_field_and_a_message(db, changes, code, field):
    error = _refused(code, **changes)
    assert error.field == field and error.message
    assert not CitizenProfile.objects.exists() and not User.objects.filter(username__startswith="cd-").exists()


def test_one_account_per_id_number_phone_and_email(db):
    _register()
    error = _refused("identity.account.national_id_taken", phone="0912000000", email="other@x.vn")
    assert "đã có tài khoản" in error.message
    second = {"national_id": "092185009999"}
    assert (
        "đã được dùng" in _refused("identity.account.phone_taken", email="", phone="+84 901.234.567", **second).message
    )
    _refused("identity.account.email_taken", phone="", email="MAI.TRAN@example.vn", **second)
    assert CitizenProfile.objects.count() == 1


def test_assisted_registration_records_the_officer(reception_officer):
    user = _register(registered_by=reception_officer)
    assert user.citizen.registered_by == reception_officer
    audit = AuditLog.objects.get(action="identity.citizen.registered")
    assert (audit.actor, audit.data) == (reception_officer, {"assisted": True})


def test_only_reception_staff_may_register_others(agency_officer, reception_officer, leader, admin_user):
    assert may_assist_registration(reception_officer) and may_assist_registration(leader)
    assert may_assist_registration(admin_user)
    assert not may_assist_registration(agency_officer)
    _refused("identity.account.registrar_forbidden", registered_by=agency_officer)
    citizen = _register()
    assert not may_assist_registration(citizen)


def test_login_lookup_finds_citizens_only(reception_officer):
    user = _register()
    for typed in ["0901234567", "0901 234 567", "+84901234567", "MAI.TRAN@example.vn "]:
        assert citizen_username_for_login(typed) == user.username
    assert citizen_username_for_login("tiepnhan") is None
    assert citizen_username_for_login("0999999999") is None


# --- the screens ------------------------------------------------------------------------------


def test_register_page_creates_the_account_and_signs_in(client):
    response = client.post(REGISTER, _form())
    assert response.status_code == 302 and response["Location"] == HOME
    profile = CitizenProfile.objects.get()
    assert profile.birth_date == date(1985, 9, 5) and profile.national_id == "092185001234"
    page = client.get(HOME).content.decode()
    assert "Trần Thị Mai" in page and "Đăng ký thành công" in page
    assert "092185001234" not in page and "092••••••234" in page  # masked on screen


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"national_id": "092.185.001.234"}, "national_id", "chỉ gồm chữ số"),
        ({"national_id": "362012345"}, "national_id", "chứng minh nhân dân cũ"),
        ({"national_id": "092285001234"}, "national_id", "2000–2099"),
        ({"birth_date": "1985-09-05"}, "birth_date", "ngày/tháng/năm"),
        ({"birth_date": "31/02/1985"}, "birth_date", "ngày/tháng/năm"),
        ({"birth_date": "05/09/2999"}, "birth_date", "từ 1900 đến nay"),
        ({"phone": "", "email": ""}, "phone", "ít nhất một"),
        ({"phone": "090"}, "phone", "10 chữ số"),
        ({"email": "mai@"}, "email", "thư điện tử chưa đúng"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "Mật khẩu"),
        ({"password2": "Khac-hẳn-2026"}, "password2", "không giống nhau"),
        ({"accept_terms": None}, "accept_terms", "đồng ý với Điều khoản"),
        ({"full_name": ""}, "full_name", "họ và tên"),
    ],
)
def test_register_page_shows_each_mistake_next_to_its_field_and_keeps_the_rest(client, changes, field, words):
    response = client.post(REGISTER, _form(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and 'aria-invalid="true"' in page
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert 'value="Trần Thị Mai"' in page or field == "full_name"
    assert PASSWORD not in page  # passwords are never sent back
    assert not CitizenProfile.objects.exists()


def test_register_page_says_which_identifier_is_taken(client):
    _register()
    response = client.post(REGISTER, _form(national_id="092185009999"))
    assert set(response.context["form"].errors) == {"phone", "email"}
    response = client.post(REGISTER, _form(phone="0912000000", email="khac@x.vn"))
    assert "đã có tài khoản" in response.context["form"].errors["national_id"][0]


def _login(client, typed, password=PASSWORD, ip="10.1.1.1", **extra):
    return client.post(LOGIN, {"username": typed, "password": password, **extra}, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    "typed", ["0901234567", "0901 234 567", "+84 901 234 567", "mai.tran@example.vn", "MAI.Tran@Example.VN"]
)
def test_login_by_phone_or_email(client, typed):
    user = _register()
    before = client.session.session_key
    response = _login(client, typed)
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != before  # the session key is rotated on login


def test_login_honours_a_safe_next_and_ignores_a_foreign_one(client):
    _register()
    assert _login(client, "0901234567", next="/tra-cuu/")["Location"] == "/tra-cuu/"
    client.post(LOGOUT)
    assert _login(client, "0901234567", next="https://evil.example/")["Location"] == HOME


def test_wrong_password_gives_one_plain_message(client):
    _register()
    for typed in ["0901234567", "0999999999", "khong-co@x.vn"]:
        response = _login(client, typed, "sai-mat-khau")
        assert response.status_code == 200
        assert "Số điện thoại, thư điện tử hoặc mật khẩu chưa đúng" in response.content.decode()
        assert 'value="' + typed + '"' in response.content.decode()  # what was typed is kept


def test_login_is_throttled_after_five_failures_even_with_the_right_password(client):
    _register()
    for typed in ["0901234567", "0901 234 567", "+84901234567", "0901.234.567", "0901234567"]:
        _login(client, typed, "sai-mat-khau")
    response = _login(client, "mai.tran@example.vn")
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="accounts.login.locked").count() == 1
    assert _login(client, "0901234567", ip="10.9.9.9").status_code == 302  # another address is not locked


def test_unknown_phone_is_throttled_too(client):
    for _ in range(5):
        _login(client, "0999999999", "sai")
    assert "Đăng nhập sai quá nhiều lần" in _login(client, "0999 999 999", "sai").content.decode()


def test_staff_cannot_sign_in_on_the_citizen_page(client, reception_officer):
    reception_officer.email = "tiepnhan@example.vn"
    reception_officer.save()
    for typed in ["tiepnhan", "tiepnhan@example.vn"]:
        response = _login(client, typed, DEMO_PASSWORD)
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Cán bộ đăng nhập tại trang dành cho cán bộ" in _login(client, "tiepnhan", DEMO_PASSWORD).content.decode()


def test_a_staff_username_that_looks_like_a_phone_does_not_sign_in_here(client, reception_officer):
    reception_officer.username = "0901234567"
    reception_officer.save()
    response = _login(client, "0901234567", DEMO_PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client):
    user = _register()
    client.force_login(user)
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT, follow=True)
    assert "_auth_user_id" not in client.session
    assert "Bạn đã đăng xuất" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(LOGIN + "?next=")


def test_account_page_links_to_my_dossiers_when_it_exists(client):
    client.force_login(_register())
    page = client.get(HOME).content.decode()
    assert "Tra cứu thủ tục" in page and 'action="/tai-khoan/dang-xuat/"' in page


# --- password reset -----------------------------------------------------------------------------


def test_reset_sends_an_email_with_a_working_link(client):
    user = _register()
    response = client.post(RESET, {"email": "MAI.TRAN@example.vn"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mai.tran@example.vn"]
    assert "Trần Thị Mai" in mail.outbox[0].body
    link = re.search(r"https?://[^/]+(/tai-khoan/dat-lai-mat-khau/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Moi-Cai-Rang-9", "new_password2": "Moi-Cai-Rang-9"}
    )
    assert done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    user.refresh_from_db()
    assert user.check_password("Moi-Cai-Rang-9")


def test_reset_for_an_unknown_or_staff_email_sends_nothing_but_looks_the_same(client, reception_officer):
    reception_officer.email = "tiepnhan@example.vn"
    reception_officer.save()
    for email in ["khong-co@example.vn", "tiepnhan@example.vn"]:
        assert client.post(RESET, {"email": email})["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mail.outbox == []


def test_reset_with_a_phone_number_says_to_come_to_the_center(client):
    _register(email="")
    response = client.post(RESET, {"email": "0901234567"})
    assert response.status_code == 200
    assert "đến Trung tâm" in response.context["form"].errors["email"][0]
    assert mail.outbox == []


# --- assisted registration ----------------------------------------------------------------------


def test_assisted_registration_page_registers_and_records_the_officer(client, reception_officer):
    client.force_login(reception_officer)
    assert client.get(ASSISTED).status_code == 200
    response = client.post(ASSISTED, _form(email=""))
    assert response["Location"] == "/tai-khoan/ho-tro-dang-ky/xong/"
    profile = CitizenProfile.objects.get()
    assert profile.registered_by == reception_officer
    assert AuditLog.objects.get(action="identity.citizen.registered").data == {"assisted": True}
    assert client.session["_auth_user_id"] == str(reception_officer.pk)  # the officer stays signed in
    done = client.get("/tai-khoan/ho-tro-dang-ky/xong/").content.decode()
    assert "Trần Thị Mai" in done and "0901 234 567" in done


def test_assisted_registration_refuses_others(client, agency_officer):
    assert client.get(ASSISTED)["Location"].startswith("/console/dang-nhap/")
    client.force_login(agency_officer)
    assert client.get(ASSISTED).status_code == 403
    assert client.post(ASSISTED, _form()).status_code == 403
    client.force_login(_register())
    assert client.get(ASSISTED).status_code == 403
    assert not CitizenProfile.objects.filter(registered_by__isnull=False).exists()


def test_assisted_done_shows_only_what_this_officer_registered(client, reception_officer, leader):
    _register(registered_by=reception_officer)
    client.force_login(leader)
    assert client.get("/tai-khoan/ho-tro-dang-ky/xong/")["Location"] == ASSISTED


# --- citizens and staff kept apart ---------------------------------------------------------------


def test_staff_are_refused_on_citizen_pages(client, reception_officer):
    client.force_login(reception_officer)
    for url in [HOME, REGISTER]:
        response = client.get(url)
        assert response.status_code == 403
        assert "tài khoản cán bộ" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/console/", "/console/chon-quay/", "/console/hom-nay/", "/admin/", "/admin/accounts/user/"]
)
def test_citizens_can_never_open_the_console_or_the_admin(client, organisation, url):
    user = _register()
    assert is_citizen(user)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"] or "dang-nhap" in response["Location"]


def test_citizens_cannot_open_the_dossier_work_lists(client, organisation):
    client.force_login(_register())
    for name in ["console:dossier_work"]:
        from django.urls import reverse

        assert client.get(reverse(name)).status_code in (302, 403)


def test_terms_page_is_public(client):
    page = client.get("/tai-khoan/dieu-khoan/").content.decode()
    assert "Điều khoản sử dụng" in page and "2026-11" in page


# --- the admin ----------------------------------------------------------------------------------


def test_province_admin_sees_citizen_profiles_and_each_opening_is_audited(client, admin_user):
    profile = _register().citizen
    client.force_login(admin_user)
    assert "Trần Thị Mai" in client.get("/admin/identity/citizenprofile/").content.decode()
    assert client.get(f"/admin/identity/citizenprofile/{profile.pk}/change/").status_code == 200
    audit = AuditLog.objects.get(action="identity.citizen.viewed")
    assert (audit.actor, audit.data["profile"]) == (admin_user, str(profile.pk))
    assert client.post(f"/admin/identity/citizenprofile/{profile.pk}/delete/").status_code == 403


def test_center_staff_do_not_see_citizen_profiles_in_the_admin(client, leader):
    _register()
    client.force_login(leader)
    assert client.get("/admin/identity/citizenprofile/").status_code in (302, 403)
