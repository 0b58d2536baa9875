"""The board's WebSocket: a call made through the services reaches the connected boards."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from config.asgi import application
from motcua.queueing.broadcast import board_group

from .communicator import WebsocketCommunicator
from .helpers import call, issue, run_async

pytestmark = pytest.mark.django_db(transaction=True)  # the consumer reads from its own thread


def test_a_call_reaches_the_board_with_ticket_counter_and_waiting_counts(hall, channel_layer):
    async def scenario():
        board = WebsocketCommunicator(application, "/ws/board/cantho/")
        connected, _ = await board.connect()
        assert connected
        await database_sync_to_async(issue)(hall, hall.a, 2)
        issued = [await board.receive_json_from(timeout=2) for _ in range(2)]
        ticket = await database_sync_to_async(call)(hall, 1)
        called = await board.receive_json_from(timeout=2)
        await board.disconnect()
        return issued, ticket, called

    issued, ticket, called = run_async(scenario)
    assert [e["kind"] for e in issued] == ["changed", "changed"] and issued[-1]["waiting"] == {"a": 2}
    assert called["kind"] == "called" and called["event_id"] > 0
    assert called["ticket"]["code"] == ticket.code
    assert (called["counter"]["number"], called["counter"]["floor"]) == (1, "tret")
    assert called["waiting"] == {"a": 1}


def test_a_floor_board_hears_only_calls_on_its_floor(hall, channel_layer):
    run_async(database_sync_to_async(lambda: issue(hall, hall.a)))

    async def scenario():
        upstairs = WebsocketCommunicator(application, "/ws/board/cantho/lau-1/")
        downstairs = WebsocketCommunicator(application, "/ws/board/cantho/tret/")
        assert (await upstairs.connect())[0] and (await downstairs.connect())[0]
        await database_sync_to_async(call)(hall, 1)
        heard = await downstairs.receive_json_from(timeout=2)
        assert await upstairs.receive_nothing(timeout=0.3)
        await upstairs.disconnect()
        await downstairs.disconnect()
        return heard

    assert run_async(scenario)["counter"]["number"] == 1


@pytest.mark.parametrize("path", ["/ws/board/khong-co/", "/ws/board/cantho/tang-9/"])
def test_unknown_center_or_floor_is_refused(organisation, channel_layer, path):
    async def scenario():
        board = WebsocketCommunicator(application, path)
        connected, code = await board.connect()
        await board.disconnect()
        return connected, code

    assert run_async(scenario) == (False, 4404)


def test_heartbeat_and_events_published_to_the_group(hall, channel_layer):
    async def scenario():
        board = WebsocketCommunicator(application, "/ws/board/cantho/")
        await board.connect()
        await board.send_json_to({"type": "ping"})
        pong = await board.receive_json_from(timeout=2)
        event = {"kind": "changed", "event_id": 7, "ticket": None, "counter": None, "waiting": {"a": 3}}
        await channel_layer.group_send(board_group(hall.center.pk), {"type": "board.event", "event": event})
        pushed = await board.receive_json_from(timeout=2)
        await board.send_to(text_data="not json at all")  # a broken page must not kill the socket
        await board.send_json_to({"type": "ping"})
        still = await board.receive_json_from(timeout=2)
        await board.disconnect()
        return pong, pushed, still

    pong, pushed, still = run_async(scenario)
    assert pong == {"kind": "pong"} and pushed["waiting"] == {"a": 3} and still == {"kind": "pong"}
