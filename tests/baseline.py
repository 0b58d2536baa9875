"""The demo organisation and catalog, loaded once per test session instead of once per test.

Loading them took about 1.5 s of every test's set-up (most of the suite's time). They are now
loaded and committed once, right after the test database is made; every test runs in a
transaction rolled back at its end, so each starts from the same rows. A test gets exactly what
it asks for, as before: `trim` deletes, inside the test's transaction, what it did not ask for —
everything without `organisation`, the catalog without `demo_catalog` (rows added after the
organisation, found by primary key). A transactional test (browser, concurrency) empties the
database after itself; the fixtures then load what the next one asks again.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models, transaction

HOLIDAY_YEARS = range(2024, 2029)

# {table: (primary key column, greatest key before the baseline (rows of data migrations), after
# the organisation, after the catalog)}
_marks: dict[str, tuple[str, int, int, int]] = {}


def load_organisation() -> None:
    from motcua.core.services import calendar_seed
    from motcua.demo.loading import load_organisation as load

    load()
    calendar_seed(years=HOLIDAY_YEARS)


def load_catalog() -> None:
    from motcua.demo.catalog import load_demo_catalog

    load_demo_catalog()


def organisation_loaded() -> bool:
    from motcua.core.models import Center

    return Center.objects.filter(code="cantho").exists()


def catalog_loaded() -> bool:
    from motcua.catalog.models import Procedure

    return Procedure.objects.exists()


def _integer_keyed() -> list[type[models.Model]]:
    return [
        model for model in apps.get_models(include_auto_created=True)
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField) and not model._meta.proxy
    ]  # fmt: skip


def _greatest_keys() -> dict[str, tuple[str, int]]:
    found = {}
    for model in _integer_keyed():
        top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
        if top is not None:
            found[model._meta.db_table] = (model._meta.pk.column, top)
    return found


def load() -> None:
    """Load and commit the baseline once, noting where each part's rows end."""
    before = _greatest_keys()
    load_organisation()
    after_organisation = _greatest_keys()
    load_catalog()
    for table, (column, top) in _greatest_keys().items():
        start = before.get(table, (column, 0))[1]
        if top > start:
            _marks[table] = (column, start, after_organisation.get(table, (column, 0))[1], top)


def trim(*, organisation: bool, catalog: bool) -> None:
    """Delete the baseline rows the test did not ask for (constraints are checked at the end of
    the block, so the order of the tables does not matter)."""
    if organisation and catalog:
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (column, start, org_top, catalog_top) in _marks.items():
            low = start if not organisation else max(start, org_top)
            if catalog_top > low:
                # Names come from the models, not from input.
                sql = f"DELETE FROM {quote(table)} WHERE {quote(column)} > %s AND {quote(column)} <= %s"  # noqa: S608
                cursor.execute(sql, [low, catalog_top])
    from motcua.core.calendar import calendar_changed

    calendar_changed()
