"""A small hall at the Can Tho center: two queues, counters on both floors, two officers seated."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from channels.layers import get_channel_layer

from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

from .helpers import run_async


@pytest.fixture
def hall(center, reception_officer, leader):
    """Counter 1 (ground floor, queue A) and 9 (ground floor, closed), counter 5 upstairs (queue B)."""
    floors = {floor.code: floor for floor in center.floors.all()}
    queue_a = make_queue(center, "a", name="Tư pháp – Chứng thực, hộ tịch")
    queue_b = make_queue(center, "b", name="Công an – Cư trú, căn cước")
    counters = {
        1: make_counter(center, 1, [queue_a], officer=reception_officer),
        5: make_counter(center, 5, [queue_b], officer=leader),
        9: make_counter(center, 9, [queue_a, queue_b]),
    }
    for number, floor in ((1, "tret"), (5, "lau-1"), (9, "tret")):
        counters[number].floor = floors[floor]
        counters[number].save(update_fields=["floor"])
    return SimpleNamespace(
        center=center, a=queue_a, b=queue_b, counters=counters, floors=floors,
        officers={1: reception_officer, 5: leader}, now=TUESDAY_8AM,
    )  # fmt: skip


@pytest.fixture
def channel_layer():
    """The in-memory layer, emptied so that no group or message leaks from another test."""
    layer = get_channel_layer()
    run_async(layer.flush)
    yield layer
    run_async(layer.flush)
