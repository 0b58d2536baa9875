"""Official dossier codes (DOMAIN.md §2.3, ADR 0008 §3): no gap, no duplicate, format as a setting.

`MOTCUA["DOSSIER_CODE_FORMAT"]` names its fields: `unit` (the receiving unit's electronic ID),
`agency` (the deciding agency's), `date` (the acceptance date), `aa` (`DOSSIER_CODE_AA`) and
`seq`, which must come last. The default is the 2019–2025 format
`{unit}-{date:%y%m%d}-{seq:04d}`; the centralised one of Circular 04/2025 is
`{agency}-{date:%y%m%d}-{aa}{seq:04d}`.

The number is taken inside the caller's transaction (the acceptance): the UPDATE holds the
series row until commit, so a failed acceptance gives its number back to the next officer
instead of leaving a gap; a number taken in its own transaction, a database SEQUENCE or
MAX()+1 would leave gaps or duplicates.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core import sequences

from .models import DailySequence

DEFAULT_FORMAT = "{unit}-{date:%y%m%d}-{seq:04d}"

class DossierCodeError(Exception):
    """The code cannot be made (a missing unit ID, a format without its number at the end)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CodeParts:
    unit: str = ""
    agency: str = ""
    aa: str = ""


def code_format() -> str:
    return settings.MOTCUA.get("DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)


def split_format(fmt: str) -> tuple[str, str]:
    """(the format without its number, the number's own spec), checking `seq` comes last, once."""
    fields = list(string.Formatter().parse(fmt))
    names = [name for _literal, name, _spec, _conversion in fields]
    if not fields or names[-1] != "seq" or names.count("seq") != 1 or fields[-1][3]:
        raise DossierCodeError("dossier.code.bad_format", _("Mẫu mã hồ sơ phải có đúng một {seq} ở cuối."))
    head = "".join(
        literal + ("{" + name + (":" + spec if spec else "") + "}" if name is not None else "")
        for literal, name, spec, _conversion in fields[:-1]
    )
    return head + fields[-1][0], fields[-1][2] or ""


def _series(parts: CodeParts, day: date, fmt: str) -> tuple[str, str]:
    head, spec = split_format(fmt)
    needed = {name for _l, name, _s, _c in string.Formatter().parse(head) if name}
    values = {"unit": parts.unit, "agency": parts.agency, "aa": parts.aa, "date": day}
    missing = sorted(name for name in needed if name != "date" and not values.get(name))
    if missing:
        raise DossierCodeError(
            "dossier.code.missing_id",
            _("Chưa có mã định danh điện tử (%(fields)s) để cấp mã hồ sơ.") % {"fields": ", ".join(missing)},
        )
    return head.format(**values), spec


def dossier_code_take(*, parts: CodeParts, day: date) -> str:
    """The next official code of the day for `parts`; call it inside the acceptance's transaction."""
    series, spec = _series(parts, day, code_format())
    number = sequences.next_value(DailySequence, counter="last_number", key={"series": series, "business_date": day})
    return series + format(number, spec)
