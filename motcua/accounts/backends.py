"""Login throttling: too many failures for one username from one address locks it for a while."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from motcua.core.text import fold


def _client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


def _key(username: str, request: HttpRequest | None) -> str:
    return f"login-failures:{fold(username or '').strip()}:{_client_ip(request)}"


def login_is_locked(username: str, request: HttpRequest | None) -> bool:
    return cache.get(_key(username, request), 0) >= settings.MOTCUA["LOGIN_MAX_FAILURES"]


def login_failed(username: str, request: HttpRequest | None) -> None:
    key = _key(username, request)
    timeout = int(settings.MOTCUA["LOGIN_LOCKOUT_SECONDS"])
    if cache.add(key, 1, timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)


def login_succeeded(username: str, request: HttpRequest | None) -> None:
    cache.delete(_key(username, request))


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses to even check a password while the pair is locked out.

    Raising PermissionDenied stops Django from trying other backends and makes the login
    form show its generic error, so an attacker learns nothing about the password.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        username = username or kwargs.get("username") or ""
        if login_is_locked(username, request):
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(username, request)
        else:
            login_succeeded(username, request)
        return user
