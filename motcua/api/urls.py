"""/api/v1/: the ninja API, then a catch-all so unknown API paths also answer in JSON."""

from django.urls import URLPattern, URLResolver, path, re_path

from .api import api, api_index
from .errors import json_method_not_allowed, unknown_path

_patterns, _app_name, _namespace = api.urls


def _adapted(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    """JSON for a wrong method everywhere; our JSON index instead of ninja's HTML root page."""
    if isinstance(pattern, URLPattern):
        pattern.callback = api_index if pattern.name == "api-root" else json_method_not_allowed(pattern.callback)
    return pattern


urlpatterns = [
    path("", ([_adapted(p) for p in _patterns], _app_name, _namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
