"""Pushes queue events to the boards and consoles of a center, after the transaction commits.

Every board of a center joins the channel-layer group `board_group(center_id)`. A message is
`{"type": "board.event", "event": {...}}` where the event is:

    {"kind": "called" | "recalled" | "changed" | "counter",
     "event_id": <TicketEvent.pk>,           # boards poll `since` this id when the socket is down
     "at": "<ISO time>",
     "ticket": {"id", "code", "display_number", "queue", "queue_name", "priority"} | None,
     "counter": {"id", "number", "name", "floor"} | None,   # floor = Floor.code or ""
     "waiting": {"<queue code>": <count>, ...}}            # today's waiting tickets per queue

"changed" carries no ticket: a number was issued, cancelled, transferred, recycled…, so boards
refresh their waiting counts. "counter" carries no ticket and no event id: a counter opened,
paused, closed or let its citizen go, and its `counter` has `state` and the `ticket` code it
shows now ("" when none). A failure to publish never breaks the write that caused it: the
boards' polling fallback catches up from the history rows.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction
from django.db.models import Count

from motcua.core.calendar import to_local

from .models import Counter, Ticket, TicketEvent

log = logging.getLogger(__name__)


def board_group(center_id: int) -> str:
    return f"board-{center_id}"


def waiting_counts(center_id: int, business_date: Any) -> dict[str, int]:
    rows = (
        Ticket.objects.filter(center_id=center_id, business_date=business_date, status=Ticket.Status.WAITING)
        .values("queue__code")
        .annotate(n=Count("pk"))
        .order_by()  # the Meta ordering would join and group by the center too
    )
    return {row["queue__code"]: row["n"] for row in rows}


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "display_number": ticket.display_number,
        "queue": ticket.queue.code,
        "queue_name": ticket.queue.name,
        "priority": ticket.priority.name if ticket.priority_id and ticket.priority else "",
    }


def counter_payload(counter: Counter) -> dict[str, Any]:
    return {
        "id": counter.pk,
        "number": counter.number,
        "name": counter.name,
        "floor": counter.floor.code if counter.floor_id and counter.floor else "",
    }


def event_payload(event: TicketEvent, kind: str) -> dict[str, Any]:
    """The board event for one history row (also used by the polling feed)."""
    ticket = event.ticket
    counter = event.counter if kind != "changed" else None
    return {
        "kind": kind,
        "event_id": event.pk,
        "at": event.at.isoformat(),
        "ticket": ticket_payload(ticket) if kind != "changed" else None,
        "counter": counter_payload(counter) if counter else None,
    }


def publish(event: TicketEvent, kind: str) -> None:
    """Send `event` to the boards of its center once the surrounding transaction commits."""
    center_id, day = event.ticket.center_id, event.ticket.business_date
    payload = event_payload(event, kind)
    transaction.on_commit(lambda: _send(center_id, day, payload))


def publish_counter(counter: Counter, *, now: datetime) -> None:
    """Tell the boards a counter's state or desk changed, once the transaction commits."""
    current = (
        Ticket.objects.filter(counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])
        .order_by("-called_at")
        .values_list("code", flat=True)
        .first()
    )
    payload = {
        "kind": "counter",
        "event_id": None,
        "at": now.isoformat(),
        "ticket": None,
        "counter": counter_payload(counter) | {"state": counter.state, "ticket": current or ""},
    }
    center_id, day = counter.center_id, to_local(now).date()
    transaction.on_commit(lambda: _send(center_id, day, payload))


def _send(center_id: int, day: Any, payload: dict[str, Any]) -> None:
    try:
        payload["waiting"] = waiting_counts(center_id, day)
        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "board.event", "event": payload}
        if not isinstance(layer, InMemoryChannelLayer):
            # Redis: hand the push to this process's push loop, so the request answers at once.
            _push_loop().submit(layer.group_send(board_group(center_id), message))
            return
        # The in-memory layer's queues belong to the server's loop: send from it, inline.
        send = async_to_sync(layer.group_send)
        if _loop_running_here():  # e.g. a script driving a browser: async_to_sync refuses this thread
            threading.Thread(target=send, args=(board_group(center_id), message), daemon=True).start()
        else:
            send(board_group(center_id), message)
    except Exception:  # the write already committed; boards fall back to polling the history
        log.exception("could not push a queue event to the boards of center %s", center_id)


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _PushLoop:
    """One event loop on a daemon thread per process; pushes run there in the order submitted."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="board-push", daemon=True).start()

    def submit(self, coroutine: Any) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        future.add_done_callback(_log_failure)


def _log_failure(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("could not push a queue event to the boards: %s", future.exception())


_push_loop_lock = threading.Lock()
_push_loop_instance: _PushLoop | None = None


def _push_loop() -> _PushLoop:
    global _push_loop_instance
    with _push_loop_lock:
        if _push_loop_instance is None:
            _push_loop_instance = _PushLoop()
        return _push_loop_instance
