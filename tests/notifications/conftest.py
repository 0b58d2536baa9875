"""A real printer stand-in: a TCP server on loopback that records every connection's bytes."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.queueing.conftest import make_queue


class LoopbackPrinter:
    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self.sock.accept()
            except TimeoutError:
                continue
            with connection:
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
            self.received.append(b"".join(chunks))

    def wait_for(self, count: int) -> list[bytes]:
        """The payloads once `count` connections have ended (the sender closes before we read)."""
        deadline = time.monotonic() + 5
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def printer_server():
    server = LoopbackPrinter()
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inline_delivery(settings):
    settings.MOTCUA = {**settings.MOTCUA, "OUTBOX_DELIVERY": "inline"}


@pytest.fixture
def slip_queue(center):
    return make_queue(center, "tu-phap", name="Sở Tư pháp", prefix="B")
