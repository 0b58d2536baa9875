"""Shapes of the queue API (/api/v1/queue/…) and the functions that fill them.

Nothing here names a person: tickets carry no identity, counters no officer. The public
answers (status by QR token, board) are what a citizen's phone or the hall may see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from motcua.core.calendar import to_local
from motcua.queueing.board_selectors import BoardCall, BoardSnapshot
from motcua.queueing.eta import Estimate
from motcua.queueing.models import Counter, Queue, Ticket

Channel = Literal["kiosk", "counter", "web"]
SLUG = r"^[-A-Za-z0-9_]+$"


# --- requests -------------------------------------------------------------------------------


class IssueIn(Schema):
    center: str = Field(max_length=40, pattern=SLUG, description="Mã trung tâm, ví dụ cantho")
    queue: str = Field(max_length=40, pattern=SLUG, description="Mã hàng đợi của trung tâm")
    priority: str | None = Field(
        None, max_length=40, pattern=SLUG, description="Mã nhóm ưu tiên (người cao tuổi…), nếu có"
    )
    channel: Channel | None = Field(
        None, description="Kênh cấp số; thiết bị kiosk chỉ cấp `kiosk`, cán bộ mặc định `counter`"
    )
    identity_ref: str = Field(
        "", max_length=40, pattern=r"^[-A-Za-z0-9_]*$",
        description="Chỉ kiosk: `identity_ref` của lượt xác thực khuôn mặt vừa khớp; số thứ tự mang danh tính đó",
    )  # fmt: skip


class NoShowIn(Schema):
    recycle: bool = Field(False, description="Xếp lại cuối hàng một lần thay vì ghi nhận vắng mặt")


class TransferIn(Schema):
    queue: str = Field(max_length=40, pattern=SLUG, description="Mã hàng đợi nhận (cùng trung tâm)")


class CallNumberIn(Schema):
    code: str = Field(min_length=1, max_length=16, pattern=r"^\s*[A-Za-z]{0,4}\d{1,6}\s*$",
                      description="Số cần gọi: mã hiển thị (B012) hoặc chỉ số (12)")  # fmt: skip


# --- answers ---------------------------------------------------------------------------------


class QueueRef(Schema):
    code: str
    name: str


class CounterRef(Schema):
    id: int
    number: int
    name: str
    floor: str = Field(description="Mã tầng, rỗng nếu không gán tầng")


class TicketStatus(Schema):
    """What anyone holding the slip may see."""

    code: str = Field(description="Số hiển thị trên phiếu, ví dụ B012")
    display_number: int
    center: str
    queue: QueueRef
    priority: str | None = Field(description="Mã nhóm ưu tiên, nếu có")
    status: str = Field(description="waiting, called, serving, done, no_show, transferred, cancelled")
    status_text: str
    business_date: date
    issued_at: datetime
    called_at: datetime | None
    people_ahead: int | None = Field(description="Số người được gọi trước (chỉ khi đang chờ)")
    position: int | None = Field(description="Thứ tự trong hàng: người đầu hàng là 1 (chỉ khi đang chờ)")
    estimated_wait_minutes: int | None = Field(description="Số phút chờ dự kiến; null khi chưa có quầy mở")
    estimate_basis: str | None = Field(description="observed: theo thời gian phục vụ gần đây; default: theo cấu hình")
    counter: CounterRef | None = Field(description="Quầy đã gọi số (khi đã gọi hoặc đang phục vụ)")
    transferred_from: str | None = Field(None, description="Số cũ, khi phiếu được chuyển từ hàng đợi khác")


class TicketOut(TicketStatus):
    """What the kiosk that issued the ticket and the officers of the center see."""

    id: int
    token: str = Field(description="Mã bí mật in trong mã QR của phiếu")
    channel: str
    tracking_url: str | None = Field(description="Trang theo dõi số trên điện thoại (mã QR)")


class CounterOut(Schema):
    id: int
    number: int
    name: str
    floor: str
    state: str = Field(description="open, paused, closed")


class CounterAction(Schema):
    counter: CounterOut
    ticket: TicketOut | None = Field(description="Số vừa được xử lý; null khi không còn ai chờ")


class QueueWaiting(Schema):
    code: str
    name: str
    prefix: str
    waiting: int = Field(description="Số người đang chờ")
    estimated_wait_minutes: int | None = Field(description="Số phút chờ dự kiến của người lấy số lúc này")


class BoardCallOut(Schema):
    event_id: int
    kind: str = Field(description="called hoặc recalled")
    at: datetime
    code: str
    queue_name: str
    counter: CounterRef


class BoardCounterOut(CounterOut):
    ticket: str = Field(description="Số đang được gọi hoặc phục vụ tại quầy, rỗng nếu không có")


class BoardQueueOut(Schema):
    code: str
    name: str
    prefix: str
    waiting: int


class BoardOut(Schema):
    center: QueueRef
    floor: str
    business_date: date
    last_event_id: int = Field(description="Truyền vào `since` của /board/events để nhận các lượt gọi sau đó")
    latest: BoardCallOut | None
    recent: list[BoardCallOut]
    counters: list[BoardCounterOut]
    queues: list[BoardQueueOut]


class BoardEventsOut(Schema):
    events: list[dict[str, Any]] = Field(description="Sự kiện cùng dạng với sự kiện đẩy qua WebSocket")
    last_event_id: int
    waiting: dict[str, int]
    counters: list[dict[str, Any]]


# --- fillers ---------------------------------------------------------------------------------


def counter_ref(counter: Counter) -> dict[str, Any]:
    floor = counter.floor.code if counter.floor_id and counter.floor else ""
    return {"id": counter.pk, "number": counter.number, "name": counter.name, "floor": floor}


def counter_out(counter: Counter) -> dict[str, Any]:
    return counter_ref(counter) | {"state": counter.state}


def tracking_url(ticket: Ticket) -> str | None:
    """The phone page of the slip's QR code, on the address citizens' phones reach."""
    try:
        path = reverse("portal:ticket", args=[ticket.token])
    except NoReverseMatch:  # the portal page is not installed: no QR to print
        return None
    return str(settings.MOTCUA["PUBLIC_URL"]).rstrip("/") + path


def ticket_status(ticket: Ticket, estimate: Estimate | None) -> dict[str, Any]:
    waiting = ticket.status == Ticket.Status.WAITING and estimate is not None
    return {
        "code": ticket.code, "display_number": ticket.display_number, "center": ticket.center.code,
        "queue": {"code": ticket.queue.code, "name": ticket.queue.name},
        "priority": ticket.priority.code if ticket.priority else None,
        "status": ticket.status, "status_text": str(Ticket.Status(ticket.status).label),
        "business_date": ticket.business_date,
        "issued_at": to_local(ticket.issued_at), "called_at": to_local(ticket.called_at) if ticket.called_at else None,
        "people_ahead": estimate.people_ahead if waiting and estimate else None,
        "position": estimate.people_ahead + 1 if waiting and estimate else None,
        "estimated_wait_minutes": estimate.minutes if waiting and estimate else None,
        "estimate_basis": estimate.basis if waiting and estimate else None,
        "counter": counter_ref(ticket.counter) if ticket.counter and ticket.status != Ticket.Status.WAITING else None,
        "transferred_from": ticket.transferred_from.code if ticket.transferred_from else None,
    }  # fmt: skip


def ticket_out(ticket: Ticket, estimate: Estimate | None) -> dict[str, Any]:
    return ticket_status(ticket, estimate) | {
        "id": ticket.pk, "token": ticket.token, "channel": ticket.channel, "tracking_url": tracking_url(ticket),
    }  # fmt: skip


def queue_waiting(queue: Queue, estimate: Estimate) -> dict[str, Any]:
    return {
        "code": queue.code, "name": queue.name, "prefix": queue.prefix, "waiting": estimate.people_ahead,
        "estimated_wait_minutes": estimate.minutes,
    }  # fmt: skip


def _board_call(call: BoardCall, floors: dict[int, str]) -> dict[str, Any]:
    return {
        "event_id": call.event_id, "kind": call.kind, "at": to_local(call.at), "code": call.code,
        "queue_name": call.queue_name,
        "counter": {"id": call.counter_id, "number": call.counter_number, "name": call.counter_name,
                    "floor": floors.get(call.counter_id, "")},
    }  # fmt: skip


def board_out(snapshot: BoardSnapshot) -> dict[str, Any]:
    floors = {counter.id: counter.floor for counter in snapshot.counters}
    recent = [_board_call(call, floors) for call in snapshot.recent]
    return {
        "center": {"code": snapshot.center.code, "name": snapshot.center.name},
        "floor": snapshot.floor.code if snapshot.floor else "",
        "business_date": snapshot.day,
        "last_event_id": snapshot.last_event_id,
        "latest": recent[0] if recent else None,
        "recent": recent,
        "counters": [counter.as_json() for counter in snapshot.counters],
        "queues": [{"code": q.code, "name": q.name, "prefix": q.prefix, "waiting": q.waiting} for q in snapshot.queues],
    }
