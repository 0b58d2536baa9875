"""The board's WebSocket: joins its center's group and forwards the queue events it shows.

Messages to the page are the events of `motcua.queueing.broadcast` as they are, plus
`{"kind": "pong"}` in answer to the page's `{"type": "ping"}` heartbeat (a page that hears
nothing for a while reconnects: proxies drop idle sockets without telling anyone).
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from motcua.core.selectors import center_get
from motcua.queueing.board_selectors import board_floor_get, event_matches_floor
from motcua.queueing.broadcast import board_group

# Close code for an unknown center or floor (4000–4999 are the application's own).
CLOSE_NOT_FOUND = 4404


@database_sync_to_async
def _center_id(center_code: str, floor_code: str) -> int | None:
    center = center_get(code=center_code)
    if center is None or (floor_code and board_floor_get(center=center, code=floor_code) is None):
        return None
    return center.pk


class BoardConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    floor: str = ""

    async def connect(self) -> None:
        route = self.scope["url_route"]["kwargs"]
        self.floor = route.get("floor_code", "")
        center_id = await _center_id(route["center_code"], self.floor)
        if center_id is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = board_group(center_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        """A page sends only pings; anything unreadable is ignored instead of closing the socket."""
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"kind": "pong"})

    async def board_event(self, message: dict[str, Any]) -> None:
        event = message.get("event") or {}
        if event_matches_floor(event, self.floor):
            await self.send_json(event)
