"""Login throttling: too many failures for one username from one address lock that pair.

Counts live in the default cache (local memory in tests and the demo, Redis in production, so
that every worker sees the same count). The key is a hash of the folded username and the
client address: `TiepNhan`, `tiepnhan` and `tiếpnhan` share one counter, and no username is
written to Redis in clear.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from motcua.core.services import audit_log_write
from motcua.core.text import fold

from .models import User


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address (behind nginx, uvicorn's --proxy-headers puts the real client here)."""
    raw = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _key(username: str, request: HttpRequest | None) -> str:
    pair = f"{fold(username or '').strip()}\x00{client_ip(request) or '-'}"
    return "motcua:login-failures:" + hashlib.sha256(pair.encode()).hexdigest()


def _max_failures() -> int:
    return int(settings.MOTCUA["LOGIN_MAX_FAILURES"])


def _lockout_seconds() -> int:
    return int(settings.MOTCUA["LOGIN_LOCKOUT_SECONDS"])


def lockout_message() -> str:
    minutes = max(1, math.ceil(_lockout_seconds() / 60))
    return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes}


def login_is_locked(username: str, request: HttpRequest | None) -> bool:
    return cache.get(_key(username, request), 0) >= _max_failures()


def login_failed(username: str, request: HttpRequest | None) -> int:
    """Count one failure and return the count so far in this window."""
    key, timeout = _key(username, request), _lockout_seconds()
    if cache.add(key, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
            count = 1
    if count == _max_failures():
        # The window started at the first failure; the lock itself lasts the full period.
        cache.touch(key, timeout)
    return count


def login_succeeded(username: str, request: HttpRequest | None) -> None:
    cache.delete(_key(username, request))


def _canonical_username(username: str) -> str:
    """The stored spelling of a username typed in another case (usernames are unique ignoring case)."""
    matches = list(User.objects.filter(username__iexact=username.strip()).values_list("username", flat=True)[:2])
    return matches[0] if len(matches) == 1 else username


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses to even check a password while the pair is locked out.

    Raising PermissionDenied stops Django from trying other backends. The backend marks the
    request (`request.login_locked`) so the login form can say why instead of the generic
    "wrong username or password".
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        if login_is_locked(username, request):
            _mark_locked(request)
            raise PermissionDenied
        user = super().authenticate(request, username=_canonical_username(username), password=password, **kwargs)
        if user is None:
            _record_failure(username, request)
        else:
            login_succeeded(username, request)
        return user


def _mark_locked(request: HttpRequest | None) -> None:
    if request is not None:
        request.login_locked = True  # type: ignore[attr-defined]


def _record_failure(username: str, request: HttpRequest | None) -> None:
    count = login_failed(username, request)
    ip = client_ip(request)
    data = {"username": username.strip()[:150], "failures": count}
    audit_log_write(actor=None, action="accounts.login.failed", ip=ip, data=data)
    # Logged once per lock (when it engages), not per refused attempt: refused attempts are
    # cheap for an attacker and must not become cheap writes into the audit table.
    if count == _max_failures():
        audit_log_write(actor=None, action="accounts.login.locked", ip=ip, data=data | {"seconds": _lockout_seconds()})
        _mark_locked(request)
