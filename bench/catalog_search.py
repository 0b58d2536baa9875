"""Benchmark: procedure search through the API with 5,000 procedures, on SQLite and PostgreSQL.

    .venv/bin/python bench/catalog_search.py [--rounds 10]

Creates its own databases (a temporary SQLite file; `motcua_bench` on
postgres://postgres@127.0.0.1:5432 when reachable — created and dropped here), loads the demo
organisation and catalog, expands the catalog to 5,000 procedures with realistic name variants,
then sends 40 varied queries through Django's test Client and prints latency per database:
*cold* passes run right after the index forgot everything it memoises (each query ranked and
its cards made as after a rebuild), *warm* passes repeat them (memoised rankings).
Each database runs in its own child process, so settings are read fresh for each.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "motcua_bench"
TOTAL = 5000
BUDGET_SECONDS = 15  # per database, for the measured rounds

QUERIES: list[dict[str, str]] = [
    # with diacritics
    {"q": "cấp bản sao"}, {"q": "chứng thực bản sao"}, {"q": "đăng ký khai sinh"}, {"q": "đăng ký kết hôn"},
    {"q": "giấy phép lao động"}, {"q": "giấy phép xây dựng"}, {"q": "lý lịch tư pháp"},
    {"q": "thành lập doanh nghiệp"}, {"q": "hộ kinh doanh"}, {"q": "an toàn thực phẩm"}, {"q": "thẻ bảo hiểm y tế"},
    {"q": "trợ cấp xã hội"}, {"q": "căn cước"}, {"q": "khám bệnh, chữa bệnh"}, {"q": "khoa học và công nghệ"},
    # without diacritics
    {"q": "cap ban sao"}, {"q": "chung thuc"}, {"q": "dang ky khai sinh"}, {"q": "ket hon"},
    {"q": "giay phep lao dong nguoi nuoc ngoai"}, {"q": "xay dung nha o rieng le"}, {"q": "tro giup phap ly"},
    {"q": "ruou"}, {"q": "cap"},
    # typos, no-IME spellings, words still being typed
    {"q": "chung thuc ban sau"}, {"q": "khai sinhh"}, {"q": "giay fep lao dong"}, {"q": "doanh nghep"},
    {"q": "dang ky khai s"}, {"q": "giay phep x"},
    # codes
    {"q": "2.000815"}, {"q": "1.001193"}, {"q": "2.0008"},
    # filters, paging, empty query
    {"q": "cap", "agency": "so-noi-vu"}, {"q": "chung thuc", "center": "cantho"}, {"q": "", "sector": "viec-lam"},
    {"q": ""}, {"q": "", "offset": "4000"}, {"q": "giay", "limit": "100"}, {"q": "dang ky", "offset": "20"},
]  # fmt: skip

PREFIXES = ["", "Điều chỉnh nội dung ", "Đính chính ", "Hủy bỏ "]
SUFFIXES = [
    " (cấp lần đầu)", " (cấp lại do bị mất, hư hỏng)", " (cấp đổi)", " đối với cá nhân", " đối với tổ chức",
    " đối với người nước ngoài", " có yếu tố nước ngoài", " tại cấp xã", " tại cấp tỉnh", " (thực hiện trực tuyến)",
    " (liên thông)", " cho người Việt Nam định cư ở nước ngoài", " trong khu công nghiệp, khu chế xuất",
    " (trường hợp rút gọn)", " đối với hộ gia đình", " trong trường hợp đặc biệt", "",
]  # fmt: skip


# --- parent: one child process per database ------------------------------------------------


def _pg_admin(sql: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)
        return True
    except Exception as error:  # noqa: BLE001 -- any failure means "no PostgreSQL here"
        print(f"PostgreSQL not used: {error}".splitlines()[0])
        return False


def _run_child(label: str, env: dict[str, str], rounds: int) -> None:
    command = [sys.executable, __file__, "--child", label, "--rounds", str(rounds)]
    subprocess.run(command, env=os.environ | env, cwd=ROOT, check=True, timeout=300)


def main(rounds: int) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        _run_child("SQLite", {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "MOTCUA_VAR_DIR": tmp}, rounds)
        if _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)") and _pg_admin(f"CREATE DATABASE {PG_NAME}"):
            try:
                _run_child("PostgreSQL", {"DATABASE_URL": f"{PG_SERVER}/{PG_NAME}", "MOTCUA_VAR_DIR": tmp}, rounds)
            finally:
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    print(f"\ntotal bench time {time.perf_counter() - started:.1f} s")


# --- child: load data, measure ---------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client's host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)


def _load_seed() -> str:
    """The demo catalog through its real loader; the seed CSV by hand if the loader fails."""
    from motcua.catalog.models import Procedure
    from motcua.demo.loading import load_organisation

    load_organisation()
    try:
        from motcua.demo.catalog import load_demo_catalog

        load_demo_catalog()
    except Exception as error:  # noqa: BLE001 -- the bench must run while the importer evolves
        print(f"  demo catalog loader failed ({type(error).__name__}); reading the seed CSV directly")
    if not Procedure.objects.exists():
        _load_csv()
    return f"{Procedure.objects.count()} seed procedures"


def _load_csv() -> None:
    from motcua.catalog.models import Agency
    from motcua.catalog.services import procedure_upsert
    from motcua.core.text import tokens

    path = ROOT / "motcua" / "demo" / "data" / "procedures.csv"
    agencies = list(Agency.objects.values_list("code", flat=True))
    with path.open(encoding="utf-8-sig") as file:
        for i, row in enumerate(csv.DictReader(file)):
            documents = [{"name": d.split("(")[0].strip()} for d in row.get("documents", "").split(";") if d.strip()]
            sector = {"code": "-".join(tokens(row["sector"]))[:60] or "khac", "name": row["sector"]}
            procedure_upsert(spec={"code": row["code"], "name": row["name"], "sector": sector,
                                   "agency": agencies[i % len(agencies)], "time_unit": "working_days",
                                   "centers": ["cantho"], "documents": documents})  # fmt: skip


def _expand(total: int) -> None:
    """Copy the seed procedures into `total` with name variants, in bulk (the import path is slow)."""
    from motcua.catalog.models import Procedure, RequiredDocument
    from motcua.core.text import fold

    seeds = list(Procedure.objects.select_related("sector", "agency").prefetch_related("documents", "centers"))
    procedures, documents, centers = [], [], []
    for i in range(total - len(seeds)):
        seed = seeds[i % len(seeds)]
        variant = PREFIXES[(i // len(seeds)) % len(PREFIXES)] + _lower_first(seed.name, bool(i // len(seeds) % len(PREFIXES)))
        name = variant + SUFFIXES[(i // len(seeds)) % len(SUFFIXES)]
        code = f"{1 + i % 3}.{900000 + i:06d}"
        extra = [seed.sector.name, seed.agency.name, seed.agency.short_name] + [d.name for d in seed.documents.all()]
        procedures.append(Procedure(
            code=code, name=name, sector=seed.sector, agency=seed.agency, time_value=seed.time_value,
            time_unit=seed.time_unit, online_level=seed.online_level, location_independent=seed.location_independent,
            version=1, search_name=fold(f"{code} {name}"), search_extra=fold(" | ".join(filter(None, extra))),
        ))  # fmt: skip
    Procedure.objects.bulk_create(procedures, batch_size=500)
    by_code = dict(Procedure.objects.values_list("code", "pk"))
    for i, procedure in enumerate(procedures):
        seed, pk = seeds[i % len(seeds)], by_code[procedure.code]
        documents += [RequiredDocument(procedure_id=pk, ordering=d.ordering, name=d.name, originals=d.originals)
                      for d in seed.documents.all()]  # fmt: skip
        centers += [Procedure.centers.through(procedure_id=pk, center_id=c.pk) for c in seed.centers.all()]
    RequiredDocument.objects.bulk_create(documents, batch_size=1000)
    Procedure.centers.through.objects.bulk_create(centers, batch_size=1000)


def _lower_first(text: str, lower: bool) -> str:
    return text[:1].lower() + text[1:] if lower else text


def _measure(rounds: int) -> dict[str, tuple[list[float], float]]:
    """Latencies of cold passes (the index forgets its memoised rankings, cards and word
    expansions first, as after a rebuild) and of warm passes (the same queries again)."""
    from django.test import Client

    from motcua.catalog.search import search_index

    client = Client()
    for params in QUERIES:  # warm-up: imports, first queries, Django's caches
        assert client.get("/api/v1/procedures", params).status_code == 200
    found: dict[str, tuple[list[float], float]] = {"cold": ([], 0.0), "warm": ([], 0.0)}
    wall = time.perf_counter()
    for _ in range(rounds):
        if time.perf_counter() - wall > BUDGET_SECONDS:
            break  # keep the whole bench under two minutes on a busy machine
        search_index().forget()
        for kind in ("cold", "warm"):
            latencies, seconds = found[kind]
            found[kind] = (latencies, seconds + _pass(client, latencies))
    return found


def _pass(client: Any, latencies: list[float]) -> float:
    """One request per query; returns the seconds spent."""
    started = time.perf_counter()
    for params in QUERIES:
        before = time.perf_counter()
        response = client.get("/api/v1/procedures", params)
        latencies.append((time.perf_counter() - before) * 1000)
        assert response.status_code == 200, response.content
    return time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def child(label: str, rounds: int) -> None:
    started = time.perf_counter()
    _setup_django()
    seed = _load_seed()
    _expand(TOTAL)
    loaded = time.perf_counter() - started

    from motcua.catalog.search import search_index, search_index_clear

    search_index_clear()
    build_started = time.perf_counter()
    index = search_index()
    build_ms = (time.perf_counter() - build_started) * 1000
    measured = _measure(rounds)
    print(f"\n== {label}: {len(index.entries)} procedures ({seed}), vocabulary {len(index.vocabulary)} words; "
          f"setup {loaded:.1f} s, index build {build_ms:.0f} ms")  # fmt: skip
    print(f"{'':>5} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'max ms':>8} {'req/s':>8}")
    for kind, (latencies, seconds) in measured.items():
        print(f"{kind:>5} {len(latencies):>9} {_percentile(latencies, 0.5):>8.2f} {_percentile(latencies, 0.95):>8.2f} "
              f"{_percentile(latencies, 0.99):>8.2f} {statistics.fmean(latencies):>8.2f} {max(latencies):>8.2f} "
              f"{len(latencies) / seconds:>8.0f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the 40 queries (default 10)")
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.rounds)
    else:
        main(arguments.rounds)
