"""How the citizen API recognises a citizen: `Authorization: Bearer mc_…` (never a session cookie)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path
from ninja.security import HttpBearer

from motcua.identity.services.tokens import citizen_token_find

from .errors import ApiError


class CitizenBearer(HttpBearer):
    """`Authorization: Bearer mc_…`: a citizen's app token (never a session cookie)."""

    openapi_description = ("Công dân: `Authorization: Bearer <token>`; token nhận khi đăng ký "
                           "(`POST /citizen/accounts`) hoặc đăng nhập (`POST /citizen/tokens`).")  # fmt: skip

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = citizen_token_find(token.strip())
        if found is None:
            raise ApiError(401, "invalid_token", _(
                "Phiên đăng nhập không hợp lệ, đã hết hạn hoặc đã đăng xuất. Vui lòng đăng nhập lại."
            ))  # fmt: skip
        request.citizen_token = found  # type: ignore[attr-defined]
        return found.user


def _nobody(request: HttpRequest) -> None:
    raise ApiError(401, "unauthorized", _("Cần đăng nhập: gửi header `Authorization: Bearer <token>` của ứng dụng."))


CITIZEN: list[Callable[..., Any]] = [CitizenBearer(), _nobody]
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def citizen_of(request: HttpRequest) -> Any:
    """The signed-in citizen (`request.user` is not used here: it would be a session's user)."""
    return request.auth  # type: ignore[attr-defined]
