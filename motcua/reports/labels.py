"""Names for the keys of grouped figures, fetched in one query per grouping."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.core.models import Center
from motcua.queueing.models import Counter, Queue


def _officer(user: User) -> str:
    return user.full_name or user.username


LABELS: dict[str, tuple[Any, Any]] = {
    "center": (Center, str),
    "agency": (Agency, str),
    "sector": (Sector, str),
    "procedure": (Procedure, lambda p: f"{p.code} {p.name}"),
    "officer": (User, _officer),
    "queue": (Queue, lambda q: q.name),
    "counter": (Counter, lambda c: c.name),
}


def labels_for(group_by: str | None, keys: Iterable[Any]) -> dict[Any, str]:
    if group_by not in LABELS:
        return {}
    model, text = LABELS[group_by]
    ids = [key for key in keys if key is not None]
    return {obj.pk: text(obj) for obj in model.objects.filter(pk__in=ids)}
