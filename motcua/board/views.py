"""Display boards (Bảng điện tử): the full-screen page, its polling feed and its voice.

Boards are public screens in the hall: no login, nothing personal. The page is rendered from
`board_snapshot`, then `static/js/board.js` keeps it current over the WebSocket
(`motcua.board.consumers`) and falls back to `feed` while the socket is down. The voice is only
ever generated for a call that happened (a TicketEvent of the center): nobody can make a board
say arbitrary words through these URLs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.models import Center, Floor
from motcua.core.selectors import center_get
from motcua.queueing.board_selectors import board_call_event, board_feed, board_floor_get, board_snapshot
from motcua.queueing.voice import announcement_wav, chime_wav, voice_available

# The counters grid's area on a 1920×1080 board, in rem (see board.css), to choose its columns.
GRID_WIDTH, GRID_HEIGHT = 58, 34
AUDIO_MAX_AGE = 24 * 3600  # the words of a call never change; a re-recorded clip gets a new file name


def _place(center_code: str, floor_code: str | None) -> tuple[Center, Floor | None] | None:
    """The center (and floor) a board URL names, or None when either is unknown."""
    center = center_get(code=center_code)
    if center is None:
        return None
    if floor_code is None:
        return center, None
    floor = board_floor_get(center=center, code=floor_code)
    return (center, floor) if floor is not None else None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "board/not_found.html", status=404)


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def grid_columns(count: int) -> int:
    """Columns of the counters grid: tiles close to 1.6 : 1 on a 1080p board, few empty cells."""

    def misfit(columns: int) -> float:
        rows = math.ceil(count / columns)
        aspect = (GRID_WIDTH / columns) / (GRID_HEIGHT / rows)
        return abs(math.log(aspect / 1.6)) + 0.25 * (rows * columns - count)

    return min(range(1, 9), key=misfit) if count > 1 else 1


def _config(request: HttpRequest, center: Center, floor: Floor | None, snapshot: Any) -> dict[str, Any]:
    floor_code = floor.code if floor else ""
    ws_path = f"/ws/board/{center.code}/" + (f"{floor_code}/" if floor_code else "")
    return {
        "wsPath": ws_path,
        "feedUrl": reverse("board:feed", args=[center.code]),
        "floor": floor_code,
        "audioUrl": reverse("board:audio", args=[center.code, 0]),
        "chimeUrl": reverse("board:chime"),
        "voice": voice_available(),
        "autoplay": request.GET.get("autoplay") == "1",
        "lastEventId": snapshot.last_event_id,
        "day": snapshot.day.isoformat(),
        "recentLimit": settings.MOTCUA.get("BOARD_RECENT_CALLS", 8),
        "text": {
            "recalled": _("Mời lại"),
            "counter": _("Quầy %(n)s"),
            "paused": _("Tạm dừng"),
            "closed": _("Đóng"),
            "free": _("Đang chờ gọi"),
        },
    }


@require_safe
def board(request: HttpRequest, center_code: str, floor_code: str | None = None) -> HttpResponse:
    place = _place(center_code, floor_code)
    if place is None:
        return _not_found(request)
    center, floor = place
    snapshot = board_snapshot(center=center, floor=floor, now=timezone.now())
    return render(request, "board/board.html", {
        "center": center, "floor": floor, "snapshot": snapshot,
        "columns": grid_columns(len(snapshot.counters)),
        "config": _config(request, center, floor, snapshot),
    })  # fmt: skip


@require_safe
@never_cache
def feed(request: HttpRequest, center_code: str) -> JsonResponse:
    """Calls after `since` (an event id), counters and waiting counts: the board's polling path."""
    since = request.GET.get("since", "0")
    if not since.isdigit() or len(since) > 18:
        return _json_error("board.bad_since", _("Tham số since phải là số nguyên không âm."), 400)
    place = _place(center_code, request.GET.get("floor") or None)
    if place is None:
        return _json_error("board.not_found", _("Không tìm thấy trung tâm hoặc tầng này."), 404)
    center, floor = place
    return JsonResponse(board_feed(center=center, floor=floor, since=int(since), now=timezone.now()))


@require_safe
def audio(request: HttpRequest, center_code: str, event_id: int) -> HttpResponse:
    """The chime and voice of one call made at this center (404 for anything else)."""
    center = center_get(code=center_code)
    event = board_call_event(center=center, event_id=event_id) if center else None
    if event is None or event.counter is None:
        return _json_error("board.call_not_found", _("Không có lượt gọi số này."), 404)
    path = announcement_wav((event.ticket.code, event.counter.number))
    if path is None:  # no voice on this machine: the board shows the call and rings the chime
        return _json_error("board.no_voice", _("Máy chủ chưa có giọng đọc tiếng Việt."), 404)
    return _wav(path)


@require_safe
def chime(request: HttpRequest) -> HttpResponse:
    return _wav(chime_wav())


def _wav(path: Path) -> HttpResponse:
    # A few hundred kilobytes, read at once: simpler than streaming and fine under ASGI.
    response = HttpResponse(path.read_bytes(), content_type="audio/wav")
    response["Cache-Control"] = f"public, max-age={AUDIO_MAX_AGE}"
    return response
