"""Plain multi-row inserts for the generated history (the approach of `bench/reports_load.py`).

`bulk_create` spends most of its time preparing each field of each row through the SQL
compiler; here the primary keys are given in advance (the next free ids, read inside the
loading transaction), foreign keys to rows of the same batch are taken from the related
instances, only the fields that need it are adapted, and the rows go in with `executemany`.
PostgreSQL's id sequences are moved past the new rows afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH = 2000
_ADAPTED = (
    models.DateTimeField, models.DateField, models.JSONField, models.DecimalField, models.DurationField, models.FileField,
)


def _reader(field: models.Field) -> Callable[[models.Model], Any]:
    name = field.attname
    if field.is_relation and (field.many_to_one or field.one_to_one):

        def related(obj: models.Model) -> Any:
            value = getattr(obj, name)
            if value is None and field.is_cached(obj):  # type: ignore[attr-defined]
                cached = field.get_cached_value(obj)  # type: ignore[attr-defined]
                value = cached.pk if cached is not None else None
            return value

        return related
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite":
        zone = connection.timezone  # what SQLite's adapter does for every aware value, without its checks

        def moment(obj: models.Model) -> Any:
            value = getattr(obj, name)
            return None if value is None else str(value.astimezone(zone).replace(tzinfo=None))

        return moment
    if isinstance(field, models.DateTimeField):
        return lambda obj: getattr(obj, name)  # PostgreSQL takes aware datetimes as they are
    if isinstance(field, _ADAPTED):
        return lambda obj: field.get_db_prep_save(getattr(obj, name), connection)
    return lambda obj: getattr(obj, name)


def insert(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """Insert `rows` (unsaved instances of `model`), giving each its primary key."""
    if not rows:
        return
    first = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
    for offset, obj in enumerate(rows):
        obj.pk = first + offset
    fields = list(model._meta.concrete_fields)
    readers = [_reader(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - model metadata
    with connection.cursor() as cursor:
        for begin in range(0, len(rows), BATCH):
            cursor.executemany(sql, [tuple(read(obj) for read in readers) for obj in rows[begin : begin + BATCH]])
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    for obj in rows:
        obj._state.adding = False
