import pytest

from tests.portal.samples import load_samples


@pytest.fixture
def sample_catalog(organisation):
    load_samples()
