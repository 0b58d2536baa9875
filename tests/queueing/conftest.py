"""Queue fixtures: a queue and counters at the Can Tho center, and fixed moments in its week."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.core.calendar import LOCAL_TZ


def local(*args: int) -> datetime:
    """An aware moment in Asia/Ho_Chi_Minh (services take `now`, so tests never read the clock)."""
    return datetime(*args, tzinfo=LOCAL_TZ)


# Tuesday 10 March 2026, an ordinary working day; reception 07:00–10:30 and 13:00–16:30.
TUESDAY_8AM = local(2026, 3, 10, 8, 0)
WEDNESDAY_8AM = local(2026, 3, 11, 8, 0)


def make_queue(center, code: str = "b", **fields):
    from motcua.queueing.models import Queue

    defaults = {"name": f"Hàng đợi {code}", "prefix": code.upper(), "number_start": 1, "number_end": 999}
    return Queue.objects.create(center=center, code=code, **{**defaults, **fields})


def make_counter(center, number: int, queues, officer=None):
    from motcua.queueing.models import Counter, CounterQueue

    state = Counter.State.OPEN if officer else Counter.State.CLOSED
    counter = Counter.objects.create(center=center, number=number, name=f"Quầy {number}", officer=officer, state=state)
    for queue in queues:
        CounterQueue.objects.create(counter=counter, queue=queue)
    return counter


@pytest.fixture
def queue(center):
    return make_queue(center)


@pytest.fixture
def counter(center, queue, reception_officer):
    return make_counter(center, 1, [queue], officer=reception_officer)


@pytest.fixture
def elderly():
    from motcua.queueing.models import PriorityClass

    return PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1)
