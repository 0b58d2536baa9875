import pytest

from tests.portal.samples import load_samples
from tests.queueing.conftest import make_counter, make_queue


@pytest.fixture
def sample_catalog(organisation):
    load_samples()


@pytest.fixture
def justice_queue(center):
    """The Department of Justice's queue (prefix B), with one open counter."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Agency

    queue = make_queue(center, "tu-phap", name="Sở Tư pháp", prefix="B")
    queue.agencies.add(Agency.objects.get(code="so-tu-phap"))
    make_counter(center, 5, [queue], officer=User.objects.get(username="tiepnhan"))
    return queue


@pytest.fixture
def finance_queue(center):
    """A second queue, served by a counter nobody has opened yet."""
    from motcua.catalog.models import Agency

    queue = make_queue(center, "tai-chinh", name="Tài chính – Đầu tư", prefix="C")
    queue.agencies.add(Agency.objects.get(code="so-tai-chinh"))
    make_counter(center, 6, [queue])
    return queue


@pytest.fixture
def priority_classes(db):
    from motcua.queueing.models import PriorityClass

    return [
        PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1),
        PriorityClass.objects.create(code="khuyet-tat", name="Người khuyết tật", rank=1),
        PriorityClass.objects.create(code="ngung", name="Nhóm đã bỏ", rank=2, is_active=False),
    ]
