"""Shared fixtures: the demo organisation, personas, and a real Chromium for screen tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import baseline

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this is intended (it is: the test thread is not async code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Dossier fixtures (procedure, accepted…) are shared by the dossier, console, portal and API tests.
pytest_plugins = ["tests.dossiers.fixtures"]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 takes ~0.6 s a hash on purpose; tests create many users, so they use MD5."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _outbox_delivers_inline():
    """Notices and slips are delivered in the committing thread, not on a background thread
    that would outlive the test (and, outside transactional tests, never runs at all)."""
    from django.conf import settings
    from django.test import override_settings

    with override_settings(MOTCUA={**settings.MOTCUA, "OUTBOX_DELIVERY": "inline"}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: today's shared live report facts (a minute long)
    and throttle counters of an earlier test, on the same day, must not leak into it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """A request in English leaves English active in this thread; start every test in Vietnamese."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo organisation and catalog, loaded once into the test database (tests/baseline.py)."""
    with django_db_blocker.unblock():
        baseline.load()


@pytest.fixture(autouse=True)
def _baseline_as_asked(request):
    """A test that uses the database starts with what it asks for and nothing more."""
    names = request.fixturenames
    # pytest-django's `db`, `transactional_db`, `live_server` and the django_db mark all go
    # through `_django_db_helper` (pinned version), which opens the test's transaction or not.
    if not (request.node.get_closest_marker("django_db") or "_django_db_helper" in names):
        return
    request.getfixturevalue("_django_db_helper")
    baseline.trim(organisation="organisation" in names, catalog="demo_catalog" in names)


@pytest.fixture
def organisation(db):
    """The Can Tho demo centers, agencies, officers and the 2024–2028 holiday calendar."""
    if not baseline.organisation_loaded():
        baseline.load_organisation()


@pytest.fixture
def demo_catalog(organisation):
    """The 54 seed procedures, imported through the real importer."""
    if not baseline.catalog_loaded():
        baseline.load_catalog()


@pytest.fixture
def center(organisation):
    from motcua.core.models import Center

    return Center.objects.get(code="cantho")


def _persona(username: str):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def admin_user(organisation):
    return _persona("admin")


@pytest.fixture
def leader(organisation):
    return _persona("lanhdao")


@pytest.fixture
def reception_officer(organisation):
    return _persona("tiepnhan")


@pytest.fixture
def agency_officer(organisation):
    return _persona("chuyenvien.tuphap")


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab (1280×800, Vietnamese) pointed at the live test server."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", base_url=live_server.url)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """Save a screenshot under screenshots/ (ignored by git) for a human to look at."""

    def take(page, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
