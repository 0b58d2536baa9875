"""Counters that must never give the same number twice nor skip one: ticket numbers of the day,
dossier codes of the day (DESIGN rule 4).

Taking a number is one statement: the UPDATE increments and reads the counter while it holds the
row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) until the caller commits, so two
callers never read the same value, and a caller that rolls back gives its number back. Raw SQL
because QuerySet.update() returns no values; RETURNING exists on PostgreSQL and SQLite >= 3.35.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import IntegrityError, models, transaction
from django.db.transaction import TransactionManagementError


def bump(model: type[models.Model], *, counter: str, key: dict[str, Any]) -> int | None:
    """Add one to `counter` of the row of `model` matching `key`; None when no such row exists yet."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # the increment must roll back with what it numbers
        raise TransactionManagementError("taking a number needs a transaction")
    opts, quote = model._meta, connection.ops.quote_name
    fields = [cast(models.Field, opts.get_field(name)) for name in key]
    column = quote(cast(models.Field, opts.get_field(counter)).column)
    where = " AND ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(opts.db_table)} SET {column} = {column} + 1 WHERE {where} RETURNING {column}"  # noqa: S608
    params = [field.get_db_prep_value(value, connection) for field, value in zip(fields, key.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_value(model: type[models.Model], *, counter: str, key: dict[str, Any]) -> int:
    """Add one to the counter row matching `key`, creating it at 1 on first use (race-safe)."""
    value = bump(model, counter=counter, key=key)
    if value is not None:
        return value
    try:
        with transaction.atomic():  # a savepoint: a lost insert race must not poison the outer block
            model._default_manager.create(**key, **{counter: 1})
        return 1
    except IntegrityError:  # another caller created it first: its row now exists (and is locked)
        value = bump(model, counter=counter, key=key)
    if value is None:
        raise IntegrityError("the counter row vanished")
    return value
