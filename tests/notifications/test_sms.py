"""The SMS adapter: phone numbers in 84… form, the console, file and HTTP-gateway backends, and
the outbox retrying a gateway that answered 500."""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from motcua.notifications.models import OutboxMessage
from motcua.notifications.senders import DeliveryError
from motcua.notifications.services import outbox_deliver, outbox_drain, outbox_enqueue
from motcua.notifications.sms import ConsoleBackend, FileBackend, HttpBackend, normalise_phone, sms_backend
from tests.dossiers.conftest import TUESDAY_8AM

Status = OutboxMessage.Status


class Gateway:
    """A stand-in SMS gateway on loopback: records each POST, answers the next queued status."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def http_sms(settings, gateway):
    settings.MOTCUA = {**settings.MOTCUA, "SMS_BACKEND": "http", "SMS_HTTP_URL": gateway.url,
                       "SMS_HTTP_TOKEN": "bi-mat", "SMS_HTTP_TIMEOUT_SECONDS": 2, "OUTBOX_DELIVERY": "worker"}  # fmt: skip
    return gateway


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "84912345678"), ("0912 345 678", "84912345678"), ("091.234.5678", "84912345678"),
        ("+84 912 345 678", "84912345678"), ("84912345678", "84912345678"), ("0292-3812-345", "842923812345"),
        ("912345678", None), ("12345", None), ("", None), ("0912abc678", None), ("+1 650 555 0100", None),
    ],
)  # fmt: skip
def test_phone_numbers_are_written_the_international_way(raw, expected):
    assert normalise_phone(raw) == expected


def test_the_file_backend_appends_one_json_line_per_message(tmp_path):
    backend = FileBackend(tmp_path / "sms")
    backend.send("84912345678", "Hồ sơ 000.00.00.H13-260310-0001 đã được tiếp nhận.", now=TUESDAY_8AM)
    backend.send("84987654321", "Thứ hai", now=TUESDAY_8AM)
    lines = (tmp_path / "sms" / "sms-2026-03-10.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["84912345678", "84987654321"]
    assert json.loads(lines[0])["text"] == "Hồ sơ 000.00.00.H13-260310-0001 đã được tiếp nhận."
    assert json.loads(lines[0])["at"].startswith("2026-03-10T08:00:00+07:00")


def test_a_file_backend_that_cannot_write_raises_a_delivery_error(tmp_path):
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(DeliveryError):
        FileBackend(tmp_path / "blocked").send("84912345678", "x", now=TUESDAY_8AM)


def test_the_console_backend_logs(caplog):
    with caplog.at_level(logging.INFO, logger="motcua.notifications.sms"):
        ConsoleBackend().send("84912345678", "Xin chào")
    assert "84912345678" in caplog.text and "Xin chào" in caplog.text


def test_the_backend_is_chosen_by_the_setting(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    for name, kind in [("console", ConsoleBackend), ("http", HttpBackend), ("file", FileBackend)]:
        settings.MOTCUA = {**settings.MOTCUA, "SMS_BACKEND": name}
        backend = sms_backend()
        assert isinstance(backend, kind)
    assert backend.directory == tmp_path / "sms"  # the file backend writes under VAR_DIR
    settings.MOTCUA = {**settings.MOTCUA, "SMS_BACKEND": "pigeon"}
    with pytest.raises(DeliveryError):
        sms_backend()


def test_the_http_backend_posts_json_with_the_bearer_token(gateway):
    HttpBackend(gateway.url, "bi-mat", 2).send("84912345678", "Hồ sơ đã có kết quả")
    request = gateway.requests[0]
    assert request["path"] == "/sms/send"
    assert request["json"] == {"to": "84912345678", "text": "Hồ sơ đã có kết quả"}
    assert request["headers"]["Authorization"] == "Bearer bi-mat"
    assert request["headers"]["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("status", [500, 503, 401, 404])
def test_a_gateway_answer_other_than_2xx_is_a_failed_delivery(gateway, status):
    gateway.statuses.append(status)
    with pytest.raises(DeliveryError, match=str(status)):
        HttpBackend(gateway.url, "bi-mat", 2).send("84912345678", "x")


def test_an_unreachable_or_unconfigured_gateway_is_a_failed_delivery(closed_port):
    with pytest.raises(DeliveryError):
        HttpBackend(f"http://127.0.0.1:{closed_port}/", "t", 1).send("84912345678", "x")
    with pytest.raises(DeliveryError):
        HttpBackend("", "t", 1).send("84912345678", "x")
    with pytest.raises(DeliveryError):
        HttpBackend("file:///etc/passwd", "t", 1).send("84912345678", "x")


@pytest.mark.django_db
def test_the_outbox_retries_an_sms_the_gateway_refused_with_500(http_sms):
    http_sms.statuses.append(500)
    message = outbox_enqueue(channel="sms", payload="Hồ sơ cần bổ sung".encode(), recipient="84912345678",
                             subject="Bổ sung", now=TUESDAY_8AM)  # fmt: skip
    assert outbox_deliver(message, now=TUESDAY_8AM) is False
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 1
    assert "HTTP 500" in message.last_error and "84912345678" in message.last_error
    assert message.next_attempt_at == TUESDAY_8AM + timedelta(seconds=15)

    assert outbox_drain(now=TUESDAY_8AM + timedelta(seconds=5)).sent == 0  # not due yet
    result = outbox_drain(now=TUESDAY_8AM + timedelta(seconds=15))
    message.refresh_from_db()
    assert result.sent == 1 and message.status == Status.SENT and message.attempts == 2
    assert [r["json"]["text"] for r in http_sms.requests] == ["Hồ sơ cần bổ sung"] * 2
