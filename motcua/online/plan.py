"""The pages of an online dossier, read from the procedure version's frozen checklist.

One page per checklist line (one question per page). A line the version marks as replaced by a
national database needs no file (rule 12); a line that applies only in some cases (", nếu có",
", trừ trường hợp…") may be answered "not my case"; every other line needs a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import NationalDatabase

# How a citizen answered one checklist line.
UPLOAD = "upload"
NATIONAL_DB = "national_db"
NOT_APPLICABLE = "not_applicable"

# The catalog's wording of a line that applies only in some cases.
_CONDITIONAL = re.compile(r",\s*(nếu|trừ|khi|đối với|trường hợp)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentPage:
    index: int
    number: int  # 1-based, as shown
    name: str
    note: str
    counts: str
    replaced_by: str
    database: str  # the database's name, when replaced
    show_only: bool
    conditional: bool

    def allows(self, answer: str) -> bool:
        return answer == UPLOAD or (answer == NATIONAL_DB and bool(self.replaced_by)) or (
            answer == NOT_APPLICABLE and self.conditional
        )


def _counts(doc: dict[str, Any]) -> str:
    parts = [
        (doc.get("originals") or 0, _("bản chính")), (doc.get("certified_copies") or 0, _("bản sao chứng thực")),
        (doc.get("plain_copies") or 0, _("bản sao")),
    ]  # fmt: skip
    return ", ".join(f"{n} {label}" for n, label in parts if n)


def _database(code: str) -> str:
    if not code:
        return ""
    try:
        return str(NationalDatabase(code).label)
    except ValueError:
        return code


def document_pages(snapshot: dict[str, Any]) -> list[DocumentPage]:
    return [
        DocumentPage(
            index=i, number=i + 1, name=doc["name"], note=doc.get("note") or "", counts=_counts(doc),
            replaced_by=doc.get("replaced_by") or "", database=_database(doc.get("replaced_by") or ""),
            show_only=bool(doc.get("show_only")), conditional=bool(_CONDITIONAL.search(doc["name"])),
        )
        for i, doc in enumerate(snapshot.get("documents", []))
    ]  # fmt: skip
