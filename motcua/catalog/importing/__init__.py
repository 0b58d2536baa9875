"""Import the procedure catalog from CSV or Excel (format: docs/catalog-format.md).

Two passes: every row is checked first and all problems are collected (row number as a
spreadsheet shows it, column, reason in Vietnamese); only then are the good rows written, all in
one transaction, through `services.procedure_upsert` — so an import is all-or-nothing unless
the caller asks to skip bad rows, and a row that did not change creates no version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Procedure
from ..services import _plain, procedure_snapshot, procedure_upsert
from .reading import COLUMNS, FileProblem, Row, RowError, data_rows, header, read_bytes, read_table
from .rows import Lookups, check_rows

__all__ = ["COLUMNS", "ImportReport", "RowError", "RowOutcome", "catalog_import"]


@dataclass
class RowOutcome:
    row: int
    code: str
    action: str  # "created", "updated" or "unchanged"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)


def _plain_spec(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain_spec(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_spec(item) for item in value]
    return _plain(value)


def _unchanged(procedure: Procedure | None, spec: dict[str, Any]) -> bool:
    """True when the row repeats what is stored, so it can be left alone without writing."""
    if procedure is None:
        return False
    current = procedure_snapshot(procedure)
    wanted = current | _plain_spec(spec)
    return wanted == current


def _apply(checked: list[tuple[Row, dict[str, Any]]], report: ImportReport, *, actor: Any, note: str,
           progress: Callable[[int, int], None] | None, now: datetime | None) -> None:  # fmt: skip
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[spec["code"] for _row, spec in checked])}
    for done, (row, spec) in enumerate(checked, start=1):
        procedure = existing.get(spec["code"])
        version = None
        if not _unchanged(procedure, spec):
            _procedure, version = procedure_upsert(spec=spec, actor=actor, change_note=note, now=now)
        action = "unchanged" if version is None else ("updated" if procedure else "created")
        setattr(report, action, getattr(report, action) + 1)
        report.outcomes.append(RowOutcome(row.number, spec["code"], action))
        if progress:
            progress(done, len(checked))


def catalog_import(
    *,
    file: str | Path | IO[bytes],
    filename: str | None = None,
    actor: Any = None,
    skip_bad_rows: bool = False,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Check a catalog file and, unless it has errors (or they may be skipped), apply it.

    `dry_run` goes through the whole import and rolls it back, so the report shows exactly what
    would be created or updated.
    """
    report = ImportReport()
    data, filename = read_bytes(file, filename)
    try:
        table = read_table(data, filename)
    except FileProblem as problem:
        report.errors.append(RowError(0, "", str(problem)))
        return report
    names = header(table[0], report.errors)
    if report.errors:
        return report
    rows = data_rows(table, names)
    if not rows:
        report.errors.append(RowError(0, "", _("Tệp không có dòng dữ liệu nào.")))
        return report
    checked = check_rows(rows, Lookups())
    report.errors = [error for row, _spec in checked for error in row.errors]
    good = [(row, spec) for row, spec in checked if not row.errors]
    if report.errors and not skip_bad_rows:
        return report
    report.skipped = len(checked) - len(good)
    note = _("Nhập từ tệp %(name)s") % {"name": Path(filename).name}
    with transaction.atomic():
        _apply(good, report, actor=actor, note=note, progress=progress, now=now)
        if dry_run:
            transaction.set_rollback(True)
    report.applied = bool(good) and not dry_run
    return report
