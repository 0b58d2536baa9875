"""`manage.py catalog_export FILE.csv|FILE.xlsx`: write the whole procedure catalog to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.exporting import catalog_export
from motcua.catalog.models import Procedure


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính ra tệp CSV hoặc Excel (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp đích, đuôi .csv hoặc .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in {"csv", "xlsx"}:
            raise CommandError(_("Tên tệp phải có đuôi .csv hoặc .xlsx."))
        path.write_bytes(catalog_export(fmt="xlsx" if fmt == "xlsx" else "csv"))
        count = Procedure.objects.count()
        self.stdout.write(
            self.style.SUCCESS(_("Đã xuất %(count)s thủ tục ra %(path)s.") % {"count": count, "path": path})
        )
