"""Benchmark: a province's worth of dossiers — public tracking, agency work lists, acceptances under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_dossier_bench .venv/bin/python bench/dossier_load.py
    … bench/dossier_load.py --count 200000 [--fresh] [--seconds 10] [--samples 2000]

Needs a dedicated database in DATABASE_URL whose name contains "bench" (created on PostgreSQL
when missing); it refuses any other, and any database holding dossiers it did not make, so it
never touches the demo. It migrates, loads the demo organisation and catalog, then writes
`--count` dossiers (default 1,000,000) spread over the past years across the demo centers and
procedures — returned, refused, withdrawn, and a recent open tail in every status — each with
its history rows, by COPY on PostgreSQL (executemany on SQLite). A second run reuses them
(`--fresh` starts over).

Printed, in milliseconds over random codes and repeated calls:
* public tracking by code: `portal.dossier_views.dossier_by_code` + `public_status` (the code
  look-up and the timeline the page shows), the page itself (`GET /tra-cuu/<code>/`) and the
  API (`GET /api/v1/public/dossiers/<code>`), all in-process through Django's test Client;
* an agency officer's work lists (`selectors.dossier_work_list`, first page of 20);
* acceptances/s on PostgreSQL with 1 and 16 concurrent clients, each a thread with its own
  connection calling `dossier_accept` for `--seconds`, then the day's codes checked: no
  duplicate, no gap (1…n).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 20_000
PER_DAY = 600  # dossiers accepted per day across the demo centers
MARK = "bench"  # every row this script writes carries this note
OFFICER, AGENCY_OFFICER, PROCEDURE = "tiepnhan", "chuyenvien.khcn", "1.014390"
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Võ Minh Em", "Huỳnh Thị Giang"]

# (status, weight): finished long ago, and the recent open tail (last 20 days).
OLD = [(10, 90), (3, 4), (7, 2), (8, 2), (9, 2)]
RECENT = [(1, 4), (2, 8), (4, 50), (5, 10), (6, 5), (9, 15), (10, 8)]


# --- safety and setup ------------------------------------------------------------------------


def _refuse(message: str) -> None:
    sys.exit(f"dossier_load: {message}")


def _check_target(url: str) -> None:
    """Only a database named for benches: never the demo's (default SQLite) or a real one."""
    if not url:
        _refuse("set DATABASE_URL to a dedicated database whose name contains 'bench'.")
    name = urlparse(url).path.rsplit("/", 1)[-1]
    if "bench" not in name.lower():
        _refuse(f"refusing database {name!r}: its name must contain 'bench' (this bench writes a million rows).")
    if url.startswith("postgres"):
        _create_pg_database(url, name)


def _create_pg_database(url: str, name: str) -> None:
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's host passes ALLOWED_HOSTS
    # Notices stay queued (no delivery threads); nothing leaves the machine.
    settings.MOTCUA = {**settings.MOTCUA, "OUTBOX_DELIVERY": "worker", "SMS_BACKEND": "console"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def _load_demo() -> None:
    from motcua.catalog.models import Procedure
    from motcua.core.services import calendar_seed
    from motcua.demo.catalog import load_demo_catalog
    from motcua.demo.loading import load_organisation

    load_organisation()
    calendar_seed(years=range(2018, 2031))
    if not Procedure.objects.exists():
        load_demo_catalog()


def _ensure_only_bench_rows() -> int:
    from motcua.dossiers.models import Dossier

    foreign = Dossier.objects.exclude(note=MARK).count()
    if foreign:
        _refuse(f"the database holds {foreign} dossiers this bench did not write: not a bench database.")
    return Dossier.objects.count()


def _wipe() -> None:
    from django.db import connection

    from motcua.dossiers.models import DailySequence, Dossier

    tables = [m._meta.db_table for m in [*_dossier_tables(), Dossier, DailySequence]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        for table in tables if connection.vendor != "postgresql" else []:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - model table names


def _dossier_tables() -> list[Any]:
    from motcua.dossiers import models
    from motcua.notifications.models import OutboxMessage

    return [OutboxMessage, models.DossierEvent, models.DossierDocument, models.DossierFee, models.DossierStep,
            models.DossierSlip, models.SupplementRequest, models.ApologyLetter, models.DossierResult,
            models.DossierReturn]  # fmt: skip


# --- generation ------------------------------------------------------------------------------


class Writer:
    """Bulk rows into one model's table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, model: Any) -> None:
        from django.db import connections

        self.model, self.connection = model, connections["default"]
        self.pg = self.connection.vendor == "postgresql"
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = ", ".join(f'"{f.column}"' for f in self.fields)
        self.defaults = [(f.attname, f.get_default()) for f in self.fields]
        # PostgreSQL takes Python values as they are, but JSON; SQLite needs Django's conversions.
        self.prep = [(i, f) for i, f in enumerate(self.fields) if not self.pg or f.get_internal_type() == "JSONField"]

    def _values(self, row: dict[str, Any]) -> list[Any]:
        values = [row.get(name, default) for name, default in self.defaults]
        for i, field in self.prep:
            values[i] = field.get_db_prep_save(values[i], self.connection)
        return values

    def write(self, rows: list[dict[str, Any]]) -> None:
        table = self.model._meta.db_table
        values = [self._values(row) for row in rows]
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f'COPY "{table}" ({self.columns}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f'INSERT INTO "{table}" ({self.columns}) VALUES ({marks})', values)  # noqa: S608

    def reset_sequence(self) -> None:
        if self.connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with self.connection.cursor() as cursor:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))')  # fmt: skip


def _catalog() -> tuple[list[Any], list[Any], dict[str, Any], Any]:
    from motcua.accounts.models import User
    from motcua.catalog.models import Agency
    from motcua.core.models import Center

    centers = list(Center.objects.exclude(unit_id=""))
    versions = _latest_versions()
    agencies = {a.code: a for a in Agency.objects.all()}
    return (
        centers,
        [v for v in versions if v.snapshot.get("agency") in agencies],
        agencies,
        User.objects.get(username=AGENCY_OFFICER),
    )


def _latest_versions() -> list[Any]:
    from motcua.catalog.models import ProcedureVersion

    latest: dict[int, Any] = {}
    for version in ProcedureVersion.objects.select_related("procedure").order_by("number"):
        latest[version.procedure_id] = version
    return list(latest.values())


def _pick(rng: random.Random, weights: list[tuple[int, int]]) -> int:
    return rng.choices([s for s, _w in weights], [w for _s, w in weights])[0]


def _events(pk: int, d: dict[str, Any], first_event: int) -> list[dict[str, Any]]:
    """The history a dossier in that status has: submitted, accepted or refused, then onwards."""
    at, status, agency = d["submitted_at"], d["status"], d["competent_agency_id"]
    rows = [("dossier.submitted", None, 1, at)]
    if status == 3:
        rows.append(("dossier.refused", 1, 3, at))
    elif status != 1:
        rows.append(("dossier.accepted", 1, 2, d["accepted_at"]))
        if status not in (2, 7, 8):
            rows.append(("dossier.forwarded", 2, 4, d["accepted_at"] + timedelta(hours=2)))
        if status in (5, 6):
            rows.append(("dossier.supplement_requested" if status == 5 else "dossier.payment_requested", 4, status,
                         d["accepted_at"] + timedelta(days=1)))  # fmt: skip
        if status in (9, 10):
            rows.append(("dossier.result_ready", 4, 9, d["result_ready_at"]))
        if status == 10:
            rows.append(("dossier.returned", 9, 10, d["returned_at"]))
        if status in (7, 8):
            rows.append(("dossier.withdrawn" if status == 7 else "dossier.stopped", 2, status, d["closed_at"]))
    return [
        {"id": first_event + i, "dossier_id": pk, "action": a, "from_status": f, "to_status": t, "at": when,
         "actor_kind": "system", "agency_id": agency, "reason": "", "data": {}}
        for i, (a, f, t, when) in enumerate(rows)
    ]  # fmt: skip


def _dossier(rng: random.Random, pk: int, day_start: datetime, age: int, center: Any, version: Any,
             agency: Any, seq: int, officer: Any) -> dict[str, Any]:  # fmt: skip
    status = _pick(rng, OLD if age > 20 else RECENT)
    accepted = day_start + timedelta(minutes=rng.randrange(0, 540))
    due = accepted + timedelta(days=14)
    done = accepted + timedelta(days=rng.randrange(3, 16))
    code = None if status in (1, 3) else f"{center.unit_id}-{accepted:%y%m%d}-{seq:04d}"
    return {
        "id": pk, "code": code, "procedure_id": version.procedure_id, "procedure_version_id": version.pk,
        "applicant_name": rng.choice(NAMES), "applicant_national_id": f"0921{rng.randrange(10**8):08d}",
        "applicant_phone": f"09{rng.randrange(10**8):08d}", "receiving_center_id": center.pk,
        "competent_agency_id": agency.pk, "current_agency_id": agency.pk if status >= 4 else None,
        "channel": "online" if status == 1 else "counter", "status": status, "note": MARK,
        "assigned_to_id": officer.pk if status in (4, 5, 6) and rng.random() < 0.3 else None,
        "submitted_at": accepted, "accepted_at": None if status in (1, 3) else accepted,
        "due_at": due if code else None, "original_due_at": due if code else None,
        "paused_since": accepted + timedelta(days=1) if status == 5 else None,
        "forwarded_at": accepted + timedelta(hours=2) if status in (4, 5, 6, 9, 10) else None,
        "result_ready_at": done if status in (9, 10) else None, "returned_at": done if status == 10 else None,
        "closed_at": done if status in (3, 7, 8, 10) else None,
        "overdue_at": due if status in (4, 6) and age > 14 else None, "version": 3,
    }  # fmt: skip


def generate(count: int, seed: int = 1) -> float:
    """`count` dossiers, PER_DAY a day going back from yesterday, with their history rows."""
    from django.db import transaction
    from django.utils import timezone

    from motcua.core.calendar import to_local
    from motcua.dossiers.models import Dossier, DossierEvent

    started, rng = time.perf_counter(), random.Random(seed)
    centers, versions, agencies, officer = _catalog()
    khcn = [v for v in versions if v.snapshot["agency"] == "so-khcn"]
    dossiers, events = Writer(Dossier), Writer(DossierEvent)
    today = to_local(timezone.now()).replace(hour=7, minute=0, second=0, microsecond=0)
    next_event, done, numbers = 1, 0, Counter[tuple[int, int]]()
    while done < count:
        batch, history = [], []
        for i in range(done, min(count, done + CHUNK)):
            age = 1 + i // PER_DAY
            center = centers[i % len(centers)]
            version = rng.choice(khcn) if rng.random() < 0.25 else rng.choice(versions)
            numbers[center.pk, age] += 1
            row = _dossier(rng, i + 1, today - timedelta(days=age), age, center, version,
                           agencies[version.snapshot["agency"]], numbers[center.pk, age], officer)  # fmt: skip
            batch.append(row)
            rows = _events(i + 1, row, next_event)
            history += rows
            next_event += len(rows)
        with transaction.atomic():
            dossiers.write(batch)
            events.write(history)
        done += len(batch)
        print(f"\r  {done:,} dossiers written ({time.perf_counter() - started:.0f} s)", end="", flush=True)
    print()
    dossiers.reset_sequence()
    events.reset_sequence()
    _analyze()
    return time.perf_counter() - started


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring -------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(samples: int, call: Callable[[int], Any]) -> list[float]:
    call(0)  # warm-up: imports, templates, first query plans
    latencies = []
    for i in range(samples):
        before = time.perf_counter()
        call(i)
        latencies.append((time.perf_counter() - before) * 1000)
    return latencies


def _codes(samples: int) -> list[str]:
    from motcua.dossiers.models import Dossier

    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(2)
    ids = [rng.randrange(1, top + 1) for _ in range(samples * 3)]
    codes = list(Dossier.objects.filter(id__in=ids, code__isnull=False).values_list("code", flat=True))
    rng.shuffle(codes)
    return (codes * (1 + samples // max(1, len(codes))))[:samples]


def tracking_rows(samples: int) -> Iterator[tuple[str, list[float]]]:
    from django.test import Client
    from django.utils import timezone

    from motcua.portal import dossier_views as page

    codes, client, now = _codes(samples), Client(), timezone.now()

    def function(i: int) -> None:
        dossier = page.dossier_by_code(codes[i])
        assert dossier is not None
        page.public_status(dossier, now=now)

    def get(url: str) -> Callable[[int], None]:
        def call(i: int) -> None:
            response = client.get(url.format(code=codes[i]))
            assert response.status_code == 200, (response.status_code, codes[i])

        return call

    yield "tracking: look-up + timeline", _timed(samples, function)
    yield "tracking: page /tra-cuu/<code>/", _timed(samples, get("/tra-cuu/{code}/"))
    yield "tracking: API public/dossiers", _timed(samples, get("/api/v1/public/dossiers/{code}"))


def work_list_rows(samples: int) -> Iterator[tuple[str, list[float]]]:
    from motcua.accounts.models import User
    from motcua.dossiers.selectors import WORK_LISTS, dossier_work_list

    officer = User.objects.get(username=AGENCY_OFFICER)
    for name in WORK_LISTS:
        yield (
            f"work list {name} (20)",
            _timed(samples, lambda i, n=name: list(dossier_work_list(user=officer, name=n)[:20])),
        )


def print_latencies(rows: Iterator[tuple[str, list[float]]]) -> None:
    print(f"{'what':<34} {'samples':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'max ms':>8}")
    print("-" * 88)
    for label, values in rows:
        print(f"{label:<34} {len(values):>8} {_percentile(values, 0.5):>8.2f} {_percentile(values, 0.95):>8.2f} "
              f"{_percentile(values, 0.99):>8.2f} {statistics.fmean(values):>8.2f} {max(values):>8.2f}")  # fmt: skip


# --- concurrent acceptances ------------------------------------------------------------------


def _intake() -> Any:
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import Applicant, FeeLine, Intake, ProvidedDocument

    procedure = Procedure.objects.get(code=PROCEDURE)
    count = len(procedure.versions.order_by("-number").first().snapshot["documents"])  # type: ignore[union-attr]
    return Intake(
        procedure=procedure, note=MARK,
        applicant=Applicant(name="Nguyễn Thị Ánh", national_id="092190001234", phone="0912345678"),
        documents=tuple(ProvidedDocument(index=i, originals=1) for i in range(count)),
        fees=(FeeLine(name="Lệ phí", amount=Decimal(50000), paid=True, method="cash", receipt_number="BL-1"),),
    )  # fmt: skip


def _client(stop: threading.Event, start: threading.Barrier, out: list[float], errors: list[str]) -> None:
    from django.db import connections

    from motcua.accounts.models import User
    from motcua.core.models import Center
    from motcua.dossiers.services import dossier_accept

    try:
        officer, center, intake = User.objects.get(username=OFFICER), Center.objects.get(code="cantho"), _intake()
        start.wait()
        while not stop.is_set():
            before = time.perf_counter()
            dossier_accept(officer=officer, intake=intake, center=center)
            out.append((time.perf_counter() - before) * 1000)
    except Exception as error:  # noqa: BLE001 - reported in the table
        errors.append(repr(error))
    finally:
        connections.close_all()


def accept_under_load(clients: int, seconds: float) -> tuple[int, float, list[float], list[str]]:
    stop, start = threading.Event(), threading.Barrier(clients + 1)
    outs: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    threads = [threading.Thread(target=_client, args=(stop, start, outs[i], errors)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    latencies = [value for out in outs for value in out]
    return len(latencies), time.perf_counter() - began, latencies, errors


def todays_codes_check() -> tuple[int, int, int]:
    """(codes today, duplicates, gaps) for the Can Tho center's series of today."""
    from django.utils import timezone

    from motcua.core.calendar import to_local
    from motcua.core.models import Center
    from motcua.dossiers.models import Dossier

    prefix = f"{Center.objects.get(code='cantho').unit_id}-{to_local(timezone.now()):%y%m%d}-"
    codes = list(Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    numbers = [int(code[len(prefix) :]) for code in codes]
    duplicates = len(numbers) - len(set(numbers))
    gaps = (max(numbers) - len(set(numbers))) if numbers else 0
    return len(numbers), duplicates, gaps


def print_acceptances(seconds: float) -> None:
    print(f"{'clients':>7} {'accepted':>9} {'seconds':>8} {'accept/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7} {'codes':>7} {'dup':>5} {'gaps':>5}")  # fmt: skip
    print("-" * 84)
    for clients in (1, 16):
        done, elapsed, latencies, errors = accept_under_load(clients, seconds)
        codes, duplicates, gaps = todays_codes_check()
        print(f"{clients:>7} {done:>9} {elapsed:>8.1f} {done / elapsed:>9.1f} {_percentile(latencies or [0], 0.5):>8.1f} "
              f"{_percentile(latencies or [0], 0.99):>8.1f} {len(errors):>7} {codes:>7} {duplicates:>5} {gaps:>5}")  # fmt: skip
        for error in errors[:3]:
            print(f"    error: {error}")


# --- main ------------------------------------------------------------------------------------


def main(count: int, fresh: bool, seconds: float, samples: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    _check_target(url)
    _setup_django()
    _load_demo()
    existing = _ensure_only_bench_rows()
    if fresh and existing:
        _wipe()
        existing = 0
    made = f"reused {existing:,}" if existing else f"generated in {generate(count):.0f} s"
    from django.db import connection

    from motcua.dossiers.models import Dossier, DossierEvent

    total, events = Dossier.objects.count(), DossierEvent.objects.count()
    print(f"\n== {connection.vendor}: {total:,} dossiers, {events:,} events ({made})")
    print_latencies(iter([*tracking_rows(samples), *work_list_rows(max(50, samples // 10))]))
    if connection.vendor != "postgresql":
        print("\nacceptances under load: PostgreSQL only (SQLite serialises every write anyway)")
        return
    print(f"\nacceptances, {seconds:g} s per row, codes of today's Can Tho series checked after each row:")
    print_acceptances(seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="dossiers to generate (default 1,000,000)")
    parser.add_argument("--fresh", action="store_true", help="delete the bench's dossiers and generate again")
    parser.add_argument("--seconds", type=float, default=10, help="seconds per concurrency row (default 10)")
    parser.add_argument("--samples", type=int, default=2000, help="tracking look-ups measured (default 2000)")
    arguments = parser.parse_args()
    main(arguments.count, arguments.fresh, arguments.seconds, arguments.samples)
