"""/api/v1/: the ninja API, then a catch-all so unknown API paths also answer in JSON."""

from django.urls import URLPattern, URLResolver, path, re_path

from .api import api
from .errors import json_method_not_allowed, unknown_path

_patterns, _app_name, _namespace = api.urls


def _with_json_405(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLPattern):
        pattern.callback = json_method_not_allowed(pattern.callback)
    return pattern


urlpatterns = [
    path("", ([_with_json_405(p) for p in _patterns], _app_name, _namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
