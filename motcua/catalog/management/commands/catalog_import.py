"""`manage.py catalog_import FILE [--skip-bad-rows] [--dry-run]`: load procedures from CSV/Excel."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.catalog.importing import ImportReport, catalog_import


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp CSV hoặc Excel (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp .csv hoặc .xlsx theo docs/catalog-format.md")
        parser.add_argument("--skip-bad-rows", action="store_true", help="nhập các dòng đúng, bỏ qua dòng lỗi")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = self._run(options)
        except FileNotFoundError as exc:
            raise CommandError(_("Không tìm thấy tệp %(name)s.") % {"name": options["file"]}) from exc
        self._summary(report, dry_run=options["dry_run"])
        for error in report.errors:
            self.stdout.write(str(error))
        # Good rows were written (or, in a dry run, would be): success; otherwise a non-zero exit.
        if not report.outcomes:
            raise CommandError(_("Không có gì được ghi vào cơ sở dữ liệu."))

    def _run(self, options: dict[str, Any]) -> ImportReport:
        with tqdm(total=0, unit=" dòng", file=getattr(self.stderr, "_out", sys.stderr)) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            return catalog_import(
                file=options["file"], skip_bad_rows=options["skip_bad_rows"], dry_run=options["dry_run"],
                progress=progress,
            )  # fmt: skip

    def _summary(self, report: ImportReport, *, dry_run: bool) -> None:
        counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                  "skipped": report.skipped, "errors": len(report.errors)}  # fmt: skip
        text = _("Thêm mới %(created)s, cập nhật %(updated)s, không đổi %(unchanged)s, bỏ qua %(skipped)s; "
                 "%(errors)s lỗi.") % counts  # fmt: skip
        if dry_run:
            text = _("Chạy thử (không ghi gì): %(summary)s") % {"summary": text}
        style = self.style.SUCCESS if report.applied or (dry_run and not report.errors) else self.style.ERROR
        self.stdout.write(style(text))
