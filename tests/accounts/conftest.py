import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_hasher(settings):
    # Login-failure counters live in the cache, which outlives a test's database transaction.
    cache.clear()
    # Argon2 is deliberately slow; these tests hash passwords dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()


@pytest.fixture
def ninhkieu_officer(organisation):
    from motcua.accounts.models import User

    return User.objects.get(username="tiepnhan.ninhkieu")


@pytest.fixture
def ninhkieu(organisation):
    from motcua.core.models import Center

    return Center.objects.get(code="ninhkieu")


@pytest.fixture
def tuphap(organisation):
    from motcua.catalog.models import Agency

    return Agency.objects.get(code="so-tu-phap")
