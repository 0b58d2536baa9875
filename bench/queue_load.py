"""Benchmark: kiosks issuing and counters calling through the API, served as in production.

    .venv/bin/python bench/queue_load.py [--seconds 6] [--counters 4] [--boards 100] [--calls 30]
                                         [--workers 4] [--http auto] [--loop auto] [--settings config.settings]

For each database — a fresh SQLite file in a temporary MOTCUA_VAR_DIR, then PostgreSQL
(`bench_queue` on postgres://postgres@127.0.0.1:5432, created and dropped here) — it migrates,
seeds a center open all day (reception 00:00–23:59, today a working day), four queues, the
counters with a seated officer each and a kiosk device token, then starts
`uvicorn config.asgi:application --workers 4` on 127.0.0.1 with the Redis channel layer
(REDIS_URL=redis://127.0.0.1:6379/<db>, `--redis-db`) so a call on one worker reaches boards
on the others.

Load: N = 1, 4, 16 kiosk clients POST /api/v1/queue/tickets (device token) while M counter
clients POST …/counters/{id}/call-next (officer session + CSRF), each as fast as it can for
`--seconds`, over keep-alive HTTP/1.1 connections (stdlib asyncio, no extra package). Printed:
tickets/s, call-next/s, p50/p99 latency of each, and the checks: numbers shown twice to kiosks,
tickets handed to two counters, and — in the database afterwards — duplicate (queue, day,
number) rows, duplicate shown codes, tickets with two `called` events.

Boards: `--boards` WebSocket clients on /ws/board/<center>/; one counter calls `--calls`
tickets; latency from just before each call request to each board receiving its "called"
event (p50/p95/p99, and how many deliveries were missed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "bench_queue"
CENTER = "bench"
QUEUES = ["a", "b", "c", "d"]
CSRF = "benchcsrfsecretbenchcsrfsecret00"  # 32 characters: a CSRF secret as the cookie holds it
WORKERS = 4


# --- seeding (runs in a child process with the server's environment) ---------------------------


def seed(counters: int) -> dict[str, Any]:
    """A center open all day, queues, counters with seated officers, a kiosk token, sessions."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from motcua.accounts.models import Role, RoleAssignment, User
    from motcua.core.calendar import to_local
    from motcua.core.models import CalendarDay, Center
    from motcua.devices.services import device_create
    from motcua.queueing.models import Counter, CounterQueue, Queue
    from motcua.queueing.services import counter_sign_in

    center = Center.objects.create(
        code=CENTER, name="Trung tâm đo tải", address="127.0.0.1", reception_sessions=[["00:00", "23:59"]]
    )
    CalendarDay.objects.create(date=to_local(timezone.now()).date(), center=center, kind="workday", name="Đo tải")
    queues = [
        Queue.objects.create(center=center, code=code, name=f"Hàng {code}", prefix=code.upper(), number_end=999999,
                             issue_cutoff_minutes=0)
        for code in QUEUES
    ]  # fmt: skip
    sessions = []
    for number in range(1, counters + 2):  # one more than the load's: the boards' caller
        counter = Counter.objects.create(center=center, number=number, name=f"Quầy {number}")
        for queue in (queues[(number - 1) % len(queues)], queues[number % len(queues)]):
            CounterQueue.objects.create(counter=counter, queue=queue)
        officer = User.objects.create_user(f"bench{number}", is_staff=True)
        RoleAssignment.objects.create(user=officer, role=Role.RECEPTION_OFFICER, center=center)
        counter_sign_in(counter=counter, officer=officer)
        client = Client()
        client.force_login(officer)
        sessions.append({"counter": counter.pk, "session": client.cookies["sessionid"].value})
    _device, token = device_create(center=center, kind="kiosk", name="Kiosk đo tải")
    return {"token": token, "counters": sessions}


# --- a small keep-alive HTTP/1.1 client ---------------------------------------------------------


class Http:
    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\n{self.extra}\r\n")  # fmt: skip
        self.writer.write(head.encode() + data)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        headers = await self._headers()
        raw = await self._body(headers)
        if headers.get("connection") == "close":
            self.close()
        return status, json.loads(raw) if raw else None

    async def _headers(self) -> dict[str, str]:
        assert self.reader is not None
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _sep, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return headers

    async def _body(self, headers: dict[str, str]) -> bytes:
        assert self.reader is not None
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        chunks = []
        while size := int((await self.reader.readline()).strip() or b"0", 16):
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readline()
        await self.reader.readline()
        return b"".join(chunks)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: Tally[int] = field(default_factory=Tally)
    items: list[Any] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _loop(client: Http, stats: Stats, deadline: float, method: str, path: str, body: Any, key: str) -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, answer = await client.request(method, path, body)
        stats.latencies.append(time.perf_counter() - started)
        if status >= 300:
            stats.errors[status] += 1
        elif item := (answer or {}).get(key) if key else answer:
            stats.items.append(item)
    client.close()


def kiosk(port: int, token: str) -> Http:
    return Http(port, {"Authorization": f"Device {token}"})


def officer(port: int, session: str) -> Http:
    return Http(port, {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF})


async def run_load(port: int, seeded: dict[str, Any], kiosks: int, counters: int, seconds: float) -> tuple[Stats, Stats]:
    issued, called = Stats(), Stats()
    deadline = time.perf_counter() + seconds
    tasks = [
        _loop(kiosk(port, seeded["token"]), issued, deadline, "POST", "/api/v1/queue/tickets",
              {"center": CENTER, "queue": QUEUES[i % len(QUEUES)]}, "")
        for i in range(kiosks)
    ] + [
        _loop(officer(port, c["session"]), called, deadline, "POST", f"/api/v1/queue/counters/{c['counter']}/call-next",
              None, "ticket")
        for c in seeded["counters"][:counters]
    ]  # fmt: skip
    await asyncio.gather(*tasks)
    return issued, called


# --- boards ------------------------------------------------------------------------------------


async def _board(port: int, received: list[tuple[int, float]], ready: asyncio.Event, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}/ws/board/{CENTER}/", open_timeout=30) as ws:
        ready.set()
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(ws.recv(), timeout=0.2)
            except TimeoutError:
                continue
            event = json.loads(message)
            if event.get("kind") == "called" and event.get("ticket"):
                received.append((event["ticket"]["id"], time.perf_counter()))


async def run_boards(port: int, seeded: dict[str, Any], boards: int, calls: int) -> dict[str, Any]:
    received: list[tuple[int, float]] = []
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(boards)]
    tasks = [asyncio.create_task(_board(port, received, ready, stop)) for ready in readies]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
    await asyncio.sleep(0.5)  # every consumer has joined its group
    caller = seeded["counters"][-1]
    desk = officer(port, caller["session"])
    kiosk_client = kiosk(port, seeded["token"])
    sent: dict[int, float] = {}
    for _i in range(calls):
        await kiosk_client.request("POST", "/api/v1/queue/tickets", {"center": CENTER, "queue": QUEUES[(caller["counter"] - 1) % 4]})
        started = time.perf_counter()
        status, answer = await desk.request("POST", f"/api/v1/queue/counters/{caller['counter']}/call-next")
        if status == 200 and answer["ticket"]:
            sent[answer["ticket"]["id"]] = started
        await asyncio.sleep(0.15)
    await asyncio.sleep(1.5)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    desk.close()
    kiosk_client.close()
    latencies = [(at - sent[tid]) * 1000 for tid, at in received if tid in sent]
    return {"boards": boards, "calls": len(sent), "latencies": latencies, "missed": boards * len(sent) - len(latencies)}


# --- checks in the database afterwards ---------------------------------------------------------

CHECKS = {
    "dup numbers": "SELECT COUNT(*) FROM (SELECT 1 FROM queueing_ticket GROUP BY queue_id, business_date, number HAVING COUNT(*) > 1) d",
    "dup codes": "SELECT COUNT(*) FROM (SELECT 1 FROM queueing_ticket GROUP BY queue_id, business_date, code HAVING COUNT(*) > 1) d",
    "called twice": "SELECT COUNT(*) FROM (SELECT 1 FROM queueing_ticketevent WHERE action = 'queueing.ticket.called' "
                    "GROUP BY ticket_id HAVING COUNT(*) > 1) d",
}  # fmt: skip


def db_checks(database_url: str) -> dict[str, int]:
    if database_url.startswith("sqlite"):
        connection: Any = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    else:
        import psycopg

        connection = psycopg.connect(database_url)
    try:
        return {name: connection.execute(sql).fetchone()[0] for name, sql in CHECKS.items()}
    finally:
        connection.close()


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_options(args: argparse.Namespace) -> list[str]:
    """uvicorn's tuning flags for this run (`--http`/`--loop` "auto" picks httptools/uvloop if installed)."""
    return ["--workers", str(args.workers), "--http", args.http, "--loop", args.loop]


def start_server(env: dict[str, str], port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    command = [str(Path(PYTHON).parent / "uvicorn"), "config.asgi:application", *server_options(args),
               "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _attempt in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                time.sleep(1.0)  # every worker has imported the project
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("the server did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the uvicorn we started (its own process group: the supervisor and its workers)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def pg_admin(sql: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)
        return True
    except Exception as error:  # noqa: BLE001 -- any failure means "no PostgreSQL here"
        print(f"PostgreSQL not used: {error}".splitlines()[0])
        return False


# --- one database ------------------------------------------------------------------------------


def environment(var_dir: str, database_url: str, redis_db: int, settings: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url, "MOTCUA_VAR_DIR": var_dir, "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "MOTCUA_SECRET_KEY": "bench-only-secret-key", "MOTCUA_LOG_LEVEL": "WARNING", "MOTCUA_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": settings,
    }  # fmt: skip


def prepare(env: dict[str, str], counters: int) -> dict[str, Any]:
    subprocess.run([PYTHON, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    child = subprocess.run([PYTHON, __file__, "--seed", str(counters)], cwd=ROOT, env=env, check=True, timeout=120,
                           capture_output=True, text=True)  # fmt: skip
    return json.loads(child.stdout.strip().splitlines()[-1])


def load_rows(label: str, port: int, seeded: dict[str, Any], args: argparse.Namespace, url: str) -> list[str]:
    rows = []
    for kiosks in (1, 4, 16):
        issued, called = asyncio.run(run_load(port, seeded, kiosks, args.counters, args.seconds))
        codes = Tally(t["code"] + t["business_date"] for t in issued.items)
        calls = Tally(t["id"] for t in called.items)
        checks = db_checks(url)
        rows.append(
            f"{label:<11}{kiosks:>8}{args.counters:>9}{len(issued.latencies) / args.seconds:>10.0f}"
            f"{percentile(issued.latencies, .5) * 1000:>8.1f}{percentile(issued.latencies, .99) * 1000:>8.1f}"
            f"{len(called.latencies) / args.seconds:>10.0f}{len(called.items):>7}"
            f"{percentile(called.latencies, .5) * 1000:>8.1f}{percentile(called.latencies, .99) * 1000:>8.1f}"
            f"{sum(issued.errors.values()) + sum(called.errors.values()):>7}"
            f"{sum(n > 1 for n in codes.values()):>7}{sum(n > 1 for n in calls.values()):>7}"
            f"{checks['dup numbers']:>7}{checks['dup codes']:>7}{checks['called twice']:>7}"
        )  # fmt: skip
        if issued.errors or called.errors:
            rows.append(f"{'':<11}errors by status: issue {dict(issued.errors)}, call-next {dict(called.errors)}")
    return rows


def board_row(label: str, port: int, seeded: dict[str, Any], args: argparse.Namespace) -> str:
    result = asyncio.run(run_boards(port, seeded, args.boards, args.calls))
    latencies = result["latencies"]
    return (f"{label:<11}{result['boards']:>7}{result['calls']:>7}{len(latencies):>11}{result['missed']:>8}"
            f"{percentile(latencies, .5):>8.1f}{percentile(latencies, .95):>8.1f}{percentile(latencies, .99):>8.1f}"
            f"{max(latencies, default=float('nan')):>8.1f}")  # fmt: skip


def bench_database(label: str, url: str, var_dir: str, args: argparse.Namespace, redis_db: int) -> tuple[list[str], str]:
    env = environment(var_dir, url, redis_db, args.settings)
    seeded = prepare(env, args.counters)
    port = free_port()
    server = start_server(env, port, args)
    try:
        return load_rows(label, port, seeded, args, url), board_row(label, port, seeded, args)
    finally:
        stop_server(server)


LOAD_HEADER = (f"{'database':<11}{'kiosks':>8}{'counters':>9}{'ticket/s':>10}{'p50 ms':>8}{'p99 ms':>8}"
               f"{'call/s':>10}{'calls':>7}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
               f"{'dupK':>7}{'twoC':>7}{'dupN':>7}{'dupS':>7}{'dblC':>7}")  # fmt: skip
BOARD_HEADER = (f"{'database':<11}{'boards':>7}{'calls':>7}{'delivered':>11}{'missed':>8}"
                f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}")  # fmt: skip
LEGEND = """\
ticket/s, p50/p99: POST /queue/tickets; call/s: POST …/call-next requests (calls: those that got a ticket);
errors: answers ≥ 300; dupK: codes shown twice to kiosks; twoC: tickets handed to two counters (both as
the clients saw them); in the database afterwards (all runs so far): dupN duplicate (queue, day, number),
dupS duplicate shown codes, dblC tickets with two `called` events."""


def main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    load_lines, board_lines = [], []
    with tempfile.TemporaryDirectory(prefix="motcua-queue-bench-") as tmp:
        rows, board = bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", tmp, args, args.redis_db)
        load_lines += rows
        board_lines.append(board)
        if pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)") and pg_admin(f"CREATE DATABASE {PG_NAME}"):
            try:
                rows, board = bench_database("PostgreSQL", f"{PG_SERVER}/{PG_NAME}", tmp, args, args.redis_db + 1)
                load_lines += rows
                board_lines.append(board)
            finally:
                pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    print(f"\nQueue load: uvicorn {' '.join(server_options(args))}, {args.seconds:g} s per row, {os.cpu_count()} CPUs shared by server, database and clients")
    print(LOAD_HEADER, "-" * len(LOAD_HEADER), *load_lines, sep="\n")
    print(LEGEND)
    print(f"\nCall → board: {args.boards} WebSocket boards, one counter calling every 150 ms (time from just before the call request)")
    print(BOARD_HEADER, "-" * len(BOARD_HEADER), *board_lines, sep="\n")
    print(f"\ntotal bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of each load row")
    parser.add_argument("--counters", type=int, default=4, help="counters calling next during the load")
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--calls", type=int, default=30, help="calls watched by the boards")
    parser.add_argument("--workers", type=int, default=WORKERS, help="uvicorn worker processes")
    parser.add_argument("--http", default="auto", help="uvicorn --http: auto, h11 or httptools")
    parser.add_argument("--loop", default="auto", help="uvicorn --loop: auto, asyncio or uvloop")
    parser.add_argument("--settings", default="config.settings",
                        help="settings module of the server (e.g. one that turns on the PostgreSQL pool; on PYTHONPATH)")
    parser.add_argument("--redis-db", type=int, default=9, help="Redis database number (the next one for PostgreSQL)")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)  # internal: seed this many counters, print JSON
    arguments = parser.parse_args()
    if arguments.seed is not None:
        print(json.dumps(seed(arguments.seed)))
    else:
        main(arguments)
