"""The board page, its polling feed and its voice, through the URLs a screen uses."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from motcua.queueing.models import TicketEvent

from .helpers import call, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_eight(hall):
    with time_machine.travel(hall.now + timedelta(minutes=10), tick=False):
        yield hall


@pytest.fixture
def voice_cache(settings, tmp_path):
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_CACHE_DIR": tmp_path / "voice", "VOICE_CLIPS_DIR": ""}


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="board-config" type="application/json">') + len(
        '<script id="board-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_board_shows_the_latest_call_counters_and_waiting_counts(client, at_eight):
    hall = at_eight
    issue(hall, hall.a, 3)
    ticket = call(hall, 1)
    response = client.get("/board/cantho/")
    assert response.status_code == 200
    page = response.content.decode()
    assert hall.center.name in page
    assert f'data-testid="now-code">{ticket.code}<' in page
    assert 'data-testid="now-counter">1<' in page
    assert 'data-testid="counter-9"' in page and "Đóng" in page
    assert "Số người đang chờ" in page
    config = _config(response)
    assert config["wsPath"] == "/ws/board/cantho/"
    assert config["feedUrl"] == "/board/cantho/feed/"
    assert config["audioUrl"] == "/board/cantho/loa/0.wav"
    assert config["lastEventId"] == TicketEvent.objects.get(action="queueing.ticket.called").pk
    assert config["autoplay"] is False and config["floor"] == ""


def test_floor_board_and_kiosk_autoplay(client, at_eight):
    response = client.get("/board/cantho/lau-1/?autoplay=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="counter-5"' in page and 'data-testid="counter-1"' not in page
    assert "Lầu 1" in page
    config = _config(response)
    assert config["wsPath"] == "/ws/board/cantho/lau-1/" and config["floor"] == "lau-1" and config["autoplay"] is True


@pytest.mark.parametrize("url", ["/board/khong-co/", "/board/cantho/tang-9/"])
def test_unknown_center_or_floor_is_a_vietnamese_404(client, organisation, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy bảng điện tử" in response.content.decode()


def test_feed_since_an_event(client, at_eight):
    hall = at_eight
    issue(hall, hall.a, 2)
    first = call(hall, 1, minutes=1)
    second = call(hall, 1, minutes=2)
    since = TicketEvent.objects.get(ticket=first, action="queueing.ticket.called").pk
    data = client.get(f"/board/cantho/feed/?since={since}").json()
    assert [e["ticket"]["code"] for e in data["events"]] == [second.code]
    assert data["waiting"] == {} and data["last_event_id"] > since
    assert client.get("/board/cantho/feed/").json()["events"][0]["ticket"]["code"] == first.code
    floor = client.get("/board/cantho/feed/?since=0&floor=lau-1").json()
    assert floor["events"] == [] and [c["number"] for c in floor["counters"]] == [5]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/board/cantho/feed/?since=abc", 400, "board.bad_since"),
        ("/board/cantho/feed/?since=-1", 400, "board.bad_since"),
        ("/board/cantho/feed/?since=" + "9" * 40, 400, "board.bad_since"),
        ("/board/khong-co/feed/?since=0", 404, "board.not_found"),
        ("/board/cantho/feed/?since=0&floor=tang-9", 404, "board.not_found"),
    ],
)
def test_feed_refuses_bad_input_with_a_json_error(client, organisation, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_the_voice_of_a_call_is_a_wav(client, at_eight, voice_cache):
    hall = at_eight
    issue(hall, hall.a)
    call(hall, 1)
    event = TicketEvent.objects.get(action="queueing.ticket.called")
    response = client.get(f"/board/cantho/loa/{event.pk}.wav")
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    body = response.content
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE" and len(body) > 100_000
    assert "max-age" in response["Cache-Control"]


def test_nothing_but_a_call_of_this_center_can_be_spoken(client, at_eight, voice_cache):
    hall = at_eight
    issue(hall, hall.a)
    call(hall, 1)
    issued = TicketEvent.objects.get(action="queueing.ticket.issued")
    called = TicketEvent.objects.get(action="queueing.ticket.called")
    assert client.get(f"/board/cantho/loa/{issued.pk}.wav").status_code == 404
    assert client.get(f"/board/ninhkieu/loa/{called.pk}.wav").status_code == 404
    assert client.get("/board/cantho/loa/999999.wav").status_code == 404
    assert client.get("/board/cantho/loa/?text=xin+chao").status_code == 404


def test_without_a_voice_the_call_has_no_audio_but_the_chime_rings(client, at_eight, voice_cache, settings):
    settings.MOTCUA = {**settings.MOTCUA, "VOICE_ESPEAK": "/nonexistent/espeak-ng"}
    hall = at_eight
    issue(hall, hall.a)
    call(hall, 1)
    event = TicketEvent.objects.get(action="queueing.ticket.called")
    response = client.get(f"/board/cantho/loa/{event.pk}.wav")
    assert response.status_code == 404 and response.json()["error"]["code"] == "board.no_voice"
    assert _config(client.get("/board/cantho/"))["voice"] is False
    chime = client.get("/board/loa/chuong.wav")
    assert chime.status_code == 200 and chime.content[:4] == b"RIFF"


def test_board_urls_only_answer_reads(client, at_eight):
    assert client.post("/board/cantho/").status_code == 405
    assert client.post("/board/cantho/feed/").status_code == 405


@pytest.mark.parametrize(("counters", "columns"), [(1, 1), (4, 2), (6, 3), (8, 3), (10, 4), (12, 4), (20, 5), (30, 6)])
def test_the_counters_grid_keeps_tiles_wide_and_few_cells_empty(counters, columns):
    from motcua.board.views import grid_columns

    assert grid_columns(counters) == columns
