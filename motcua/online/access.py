"""Who may use the citizen pages: a logged-in citizen account (never a staff account)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from motcua.accounts.backends import client_ip

from .errors import OnlineError
from .services import citizen_profile

LOGIN_URL = "/tai-khoan/dang-nhap/"


def citizen_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Log in first (back here afterwards); a staff or officer account gets a plain refusal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        try:
            citizen_profile(request.user)
        except OnlineError as error:
            return render(request, "online/not_citizen.html", {"message": error.message}, status=403)
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def ip_of(request: HttpRequest) -> str | None:
    return client_ip(request)


def not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    """The same answer for 'absent' and 'someone else's', so ids cannot be probed."""
    return render(request, "online/not_found.html", {"message": message}, status=404)
