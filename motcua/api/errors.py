"""One error shape for the whole API: `{"error": {"code": "...", "message": "..."}}`.

`code` is a stable English snake_case word for programs; `message` is Vietnamese (or the
request's language) for people. Nothing else — no HTML page, no traceback — ever leaves the API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """Raised by endpoints for an answer that is an error (unknown code, calendar refusal…)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def error_response(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    body = {"error": {"code": code, "message": message, **extra}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _field(error: dict[str, Any]) -> dict[str, Any]:
    """Where a validation problem is (`query`, `limit`) and what kind it is (pydantic's type)."""
    location = [str(part) for part in error.get("loc", ())]
    return {"in": location[0] if location else "", "name": ".".join(location[1:]), "type": error.get("type", "")}


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [_field(error) for error in exc.errors]
    names = ", ".join(dict.fromkeys(field["name"] for field in fields if field["name"]))
    message = _("Tham số không hợp lệ: %(names)s.") % {"names": names} if names else _("Tham số không hợp lệ.")
    return error_response(422, "invalid_parameter", message, fields=fields)


def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "too_many_requests"}
    return error_response(exc.status_code, codes.get(exc.status_code, "error"), _("Yêu cầu không hợp lệ."))


def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _("Không tìm thấy."))


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", _("Hệ thống gặp lỗi, vui lòng thử lại sau."))


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's defaults (which answer `{"detail": …}` or re-raise to Django's HTML page)."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ValidationError, _validation_error), (ApiError, _api_error), (HttpError, _http_error),
        (Http404, _http404), (Exception, _unexpected),
    ]  # fmt: skip
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/v1/ that names no endpoint."""
    return error_response(404, "not_found", _("Không có địa chỉ API này."))


def json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a ninja view so that a wrong HTTP method also answers in the API's error shape."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            response = error_response(405, "method_not_allowed", _("Phương thức không được hỗ trợ."))
            response["Allow"] = allowed
        return response

    for attribute in ("csrf_exempt",):
        if hasattr(view, attribute):
            setattr(wrapper, attribute, getattr(view, attribute))
    return wrapper
