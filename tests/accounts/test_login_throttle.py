import pytest
from django.core.cache import cache

from motcua.accounts.backends import login_is_locked
from motcua.core.models import AuditLog
from motcua.demo.organisation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
LOCKED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
WRONG = "Bạn hãy nhập đúng"  # start of Django's Vietnamese "wrong username or password"


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def _fail(client, times, username="tiepnhan", ip="10.0.0.1"):
    return [_login(client, username, "sai-mat-khau", ip) for _ in range(times)][-1]


def test_right_password_logs_in(client, reception_officer):
    assert _login(client, "tiepnhan", DEMO_PASSWORD).status_code == 302


def test_username_is_matched_ignoring_case(client, reception_officer):
    assert _login(client, "TiepNhan", DEMO_PASSWORD).status_code == 302


def test_a_few_failures_show_the_generic_message(client, reception_officer):
    page = _fail(client, 4).content.decode()
    assert LOCKED not in page
    assert WRONG in page


def test_fifth_failure_locks_and_says_so_in_vietnamese(client, reception_officer):
    page = _fail(client, 5).content.decode()
    assert LOCKED in page
    assert WRONG not in page


def test_locked_pair_is_refused_even_with_the_right_password(client, reception_officer):
    _fail(client, 5)
    response = _login(client, "tiepnhan", DEMO_PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username_and_address(client, reception_officer, leader):
    _fail(client, 5)
    assert _login(client, "tiepnhan", DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert _login(client, "lanhdao", DEMO_PASSWORD).status_code == 302


def test_case_and_diacritics_variants_share_one_counter(client, reception_officer):
    for username in ["tiepnhan", "TIEPNHAN", "TiepNhan", "tiếpnhan", " tiepnhan "]:
        _login(client, username, "sai-mat-khau")
    assert login_is_locked("tiepnhan", _request("10.0.0.1"))
    assert LOCKED in _login(client, "tiepnhan", DEMO_PASSWORD).content.decode()


def test_success_resets_the_counter(client, reception_officer):
    _fail(client, 4)
    assert _login(client, "tiepnhan", DEMO_PASSWORD).status_code == 302
    client.logout()
    assert LOCKED not in _fail(client, 4).content.decode()


def test_lock_expires_with_the_cache_entry(client, reception_officer):
    _fail(client, 5)
    cache.clear()  # what the lockout timeout does after 15 minutes
    assert _login(client, "tiepnhan", DEMO_PASSWORD).status_code == 302


def test_limits_come_from_settings(client, reception_officer, settings):
    settings.MOTCUA = settings.MOTCUA | {"LOGIN_MAX_FAILURES": 2, "LOGIN_LOCKOUT_SECONDS": 300}
    page = _fail(client, 2).content.decode()
    assert "Vui lòng thử lại sau 5 phút." in page


def test_failures_and_the_lock_are_audited(client, reception_officer):
    _fail(client, 6)
    failed = AuditLog.objects.filter(action="accounts.login.failed")
    assert failed.count() == 5  # the sixth attempt was refused before any password check
    locked = AuditLog.objects.get(action="accounts.login.locked")
    assert (locked.ip, locked.actor, locked.data["username"]) == ("10.0.0.1", None, "tiepnhan")
    assert locked.data["seconds"] == 900


def test_unknown_usernames_are_throttled_too(client, organisation):
    assert LOCKED in _fail(client, 5, username="khong-ton-tai").content.decode()


def _request(ip):
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=ip)
