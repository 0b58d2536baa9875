"""Console fixtures: queue B and C at Can Tho, counter 1 serving B with the reception officer seated."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.queueing.models import Ticket
from motcua.queueing.services import ticket_issue
from tests.queueing.conftest import TUESDAY_8AM, make_counter, make_queue

__all__ = ["DEMO_PASSWORD", "TUESDAY_8AM", "issue", "make_counter", "make_queue"]


def issue(queue, minute: int = 0, priority=None) -> Ticket:
    return ticket_issue(
        queue=queue, channel=Ticket.Channel.KIOSK, priority=priority, now=TUESDAY_8AM + timedelta(minutes=minute)
    )


@pytest.fixture
def clock():
    """Views read the clock: stand still at 09:00 on the test Tuesday."""
    with time_machine.travel(TUESDAY_8AM + timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def queue_b(center):
    return make_queue(center, "b", name="Tư pháp")


@pytest.fixture
def queue_c(center):
    return make_queue(center, "c", name="Xây dựng")


@pytest.fixture
def desk(center, queue_b, queue_c, reception_officer):
    """Counter 1 (queue B) with the reception officer seated; counter 2 (queue C) free."""
    one = make_counter(center, 1, [queue_b], officer=reception_officer)
    make_counter(center, 2, [queue_c])
    return one


@pytest.fixture
def elderly():
    from motcua.queueing.models import PriorityClass

    return PriorityClass.objects.create(code="cao-tuoi", name="Người cao tuổi", rank=1)


@pytest.fixture
def officer_client(client, reception_officer):
    client.force_login(reception_officer)
    return client
