"""The site's URLs plus the citizen assessment router under a test-only API, until the citizen
API mounts it at /api/v1/citizen (the router is mountable in more than one API)."""

from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as site
from motcua.api.citizen_feedback import router
from motcua.api.errors import install_error_handlers

api = NinjaAPI(urls_namespace="feedback-test-api", docs_url=None)
install_error_handlers(api)
api.add_router("/citizen", router)

urlpatterns = [path("test-api/v1/", api.urls), *site]
