"""The process-wide index: read from the database, rebuilt when the catalog changes.

Before each search a cheap fingerprint query is compared with the one the index was built
under; the index is also rebuilt after `SEARCH_INDEX_MAX_AGE` seconds at the latest, for changes
the fingerprint cannot see (an agency renamed in another process).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from motcua.core.text import tokens

from ..models import Agency, Fee, FeeTier, Procedure, RequiredDocument, Sector
from .cards import Card, fees_read
from .index import Entry, Fingerprint, SearchIndex, positions_of

_lock = threading.Lock()
_current: SearchIndex | None = None
_generation = 0


class _Uncommitted:
    """Marks an index read inside a transaction, which may see rows that are later rolled back.

    It is queued as an on-commit hook: it flips to committed if the transaction commits, and
    Django drops it from the connection's queue if the transaction (or savepoint) rolls back —
    which is how tests that create and roll back rows never see another test's catalog, even
    when the fingerprint happens to repeat (same row count, frozen `now`).
    """

    def __init__(self) -> None:
        self.committed = False

    def __call__(self) -> None:
        self.committed = True

    def visible(self) -> bool:
        # Entries are (savepoint ids, hook, robust); the hook is what we look for.
        return self.committed or any(entry[1] is self for entry in connection.run_on_commit)


def _fingerprint() -> Fingerprint:
    """Changes when a procedure is saved, added or touched by `procedure_record_version`.

    Both maxima are index lookups (about 0.3 ms), unlike a count or a sum, which scan the
    table on every search. What they cannot see (a deletion; a write with a frozen `now`, as in
    tests; an agency renamed) bumps `_generation` through the signals below when it happens in
    this process, and reaches other processes through the maximum age.
    """
    # Raw SQL: on a slow CPU the ORM's query compilation costs several times the query itself.
    # One subquery per maximum: SQLite answers a lone MAX() from the index, but scans the whole
    # table for `SELECT MAX(a), MAX(b)` (1.6 ms instead of microseconds at 5,000 rows).
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Procedure._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX({quote('updated_at')}) FROM {table}), (SELECT MAX({quote('id')}) FROM {table})")  # noqa: S608 -- identifiers only
        last, top = cursor.fetchone()
    return (connection.alias, connection.settings_dict["NAME"], _generation, last, top)


def _catalog_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


# Cache invalidation only (no business logic): saves and deletes of what the index reads.
for _model in (Procedure, RequiredDocument, Agency, Sector, Fee, FeeTier):
    post_save.connect(_catalog_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-save")
    post_delete.connect(_catalog_changed, sender=_model, dispatch_uid=f"search-{_model.__name__}-delete")
m2m_changed.connect(_catalog_changed, sender=Procedure.centers.through, dispatch_uid="search-centers")
post_migrate.connect(_catalog_changed, dispatch_uid="search-flush")  # `flush` (transactional tests) sends it


def _usable(index: SearchIndex | None, fingerprint: Fingerprint) -> bool:
    if index is None or index.fingerprint != fingerprint:
        return False
    if time.monotonic() - index.built_at >= float(settings.MOTCUA.get("SEARCH_INDEX_MAX_AGE", 600)):
        return False
    return index.uncommitted is None or index.uncommitted.visible()


_COLUMNS = ("pk", "code", "name", "search_extra", "agency__code", "agency__name", "sector__code", "sector__name",
            "location_independent", "online_level", "time_value", "time_unit", "same_day_cutoff", "fee_note")  # fmt: skip


def search_index_build(fingerprint: Fingerprint = ()) -> SearchIndex:
    """Read the active catalog (four queries: procedures, centers, fees, fee tiers) into a fresh index."""
    centers: dict[int, set[str]] = defaultdict(set)
    through = Procedure.centers.through.objects.filter(procedure__is_active=True)
    for procedure_id, center_code in through.values_list("procedure_id", "center__code"):
        centers[procedure_id].add(center_code)
    fees = fees_read()
    entries = []
    for row in Procedure.objects.filter(is_active=True).values_list(*_COLUMNS):
        entries.append(_entry(dict(zip(_COLUMNS, row, strict=True)), frozenset(centers[row[0]]), fees.get(row[0], ())))
    return SearchIndex(entries, fingerprint)


def _entry(row: dict[str, Any], centers: frozenset[str], fees: tuple[dict[str, Any], ...]) -> Entry:
    name_words = tokens(row["name"])
    card = Card(
        code=row["code"], name=row["name"], agency=(row["agency__code"], row["agency__name"]),
        sector=(row["sector__code"], row["sector__name"]), online_level=row["online_level"],
        time_value=row["time_value"], time_unit=row["time_unit"], same_day_cutoff=row["same_day_cutoff"],
        fee_note=row["fee_note"], fees=fees,
    )  # fmt: skip
    return Entry(
        pk=row["pk"], code=row["code"], agency=row["agency__code"], sector=row["sector__code"], centers=centers,
        location_independent=row["location_independent"], name_length=len(name_words),
        name_positions=positions_of(name_words), extra_positions=positions_of(tokens(row["search_extra"])),
        card=card,
    )  # fmt: skip


def search_index() -> SearchIndex:
    """The current index, rebuilt first if the catalog changed or the index is too old."""
    global _current
    fingerprint = _fingerprint()
    index = _current
    if index is not None and _usable(index, fingerprint):
        return index
    with _lock:
        index = _current
        if index is None or not _usable(index, fingerprint):
            index = search_index_build(fingerprint)
            if connection.in_atomic_block:
                index.uncommitted = _Uncommitted()
                transaction.on_commit(index.uncommitted)
            _current = index
    return index


def search_index_clear() -> None:
    """Forget the index (the next search rebuilds it); for tests and management commands."""
    global _current
    with _lock:
        _current = None
