"""A real ASGI server for screens that need WebSockets (the boards).

pytest-django's `live_server` speaks WSGI only. `asgi_server` runs uvicorn with the project's
ASGI application in a thread of the test process, so the in-memory channel layer is shared
with the test: a service called through `asgi_server.call(...)` pushes to the boards that the
browser has open. Calls run on the server's event loop (in a worker thread), the way a request
would, so the push after commit is scheduled on that loop and not from a foreign thread.

On the in-memory SQLite test database every server thread uses the test's own connection
(as Django's live server does); on PostgreSQL or a SQLite file each thread has its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest


class AsgiServer:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        host, port = self.sock.getsockname()
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(app, lifespan="off", log_level="warning", ws="websockets-sansio")
        self.server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="asgi-test-server", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.serving = self.loop.create_task(self.server.serve(sockets=[self.sock]))
        with contextlib.suppress(asyncio.CancelledError):
            self.loop.run_until_complete(self.serving)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = self.server.force_exit = True
        self.thread.join(1)
        if self.thread.is_alive():
            # The server's loop sleeps between checks of `should_exit`; under a frozen clock
            # (time-machine) that sleep never ends, so the serving task is cancelled instead.
            self.loop.call_soon_threadsafe(self.serving.cancel)
            self.thread.join(10)
        self.sock.close()

    def call(self, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
        """Run `fn(**kwargs)` in a worker thread of the server's loop and return its result."""
        from asgiref.sync import sync_to_async
        from django.db import connections

        def work() -> Any:
            try:
                return fn(**kwargs)
            finally:
                for conn in connections.all(initialized_only=True):
                    conn.close()  # a no-op on the shared in-memory SQLite connection

        future = asyncio.run_coroutine_threadsafe(sync_to_async(work, thread_sensitive=False)(), self.loop)
        return future.result(timeout=30)


@pytest.fixture
def _shared_memory_database(transactional_db, monkeypatch) -> Iterator[None]:
    """Give server threads the test's in-memory SQLite connection (a new one would see no tables)."""
    from django.db import connections

    shared = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    create = connections.create_connection
    monkeypatch.setattr(connections, "create_connection", lambda alias: shared.get(alias) or create(alias))
    for conn in shared.values():
        conn.inc_thread_sharing()
    yield
    for conn in shared.values():
        conn.dec_thread_sharing()


@pytest.fixture
def asgi_server(_shared_memory_database) -> Iterator[AsgiServer]:
    """uvicorn on 127.0.0.1 serving the project's ASGI app (HTTP, static files, WebSockets)."""
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config import asgi

    static = ASGIStaticFilesHandler(asgi.django_asgi_app)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        handler = static if scope["type"] == "http" else asgi.application
        await handler(scope, receive, send)

    server = AsgiServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def asgi_page(chromium, asgi_server):
    """A browser tab (1920×1080, Vietnamese) on the ASGI server."""
    context = chromium.new_context(
        viewport={"width": 1920, "height": 1080}, locale="vi-VN", base_url=asgi_server.url
    )
    tab = context.new_page()
    yield tab
    context.close()
