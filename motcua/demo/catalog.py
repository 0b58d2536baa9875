"""The demo procedure catalog: 54 Can Tho procedures, loaded through the real importer.

The data lives in `data/procedures.csv` (format: docs/catalog-format.md) so that the demo
exercises exactly the path an administrator's import takes, and so that the project runs
without the shared research folder it was compiled from.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from motcua.catalog.importing import catalog_import

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.csv"


class DemoCatalogError(Exception):
    """The bundled demo file did not import cleanly; the message lists every bad row."""


def load_demo_catalog(path: Path = DATA_FILE) -> str:
    """Import the demo catalog and describe the outcome, e.g. `54 thủ tục (54 mới, 0 cập nhật, 0 không đổi)`.

    Running it again changes nothing: unchanged rows create no new versions.
    """
    report = catalog_import(file=path)
    if report.errors:
        lines = "\n".join(f"  - {error}" for error in report.errors)
        raise DemoCatalogError(_("Tệp danh mục mẫu %(name)s có lỗi:\n%(lines)s") % {"name": path.name, "lines": lines})
    total = report.created + report.updated + report.unchanged
    return _("%(total)d thủ tục (%(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi)") % {
        "total": total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
