"""The dossier log book (sổ theo dõi hồ sơ) of a receiving center, as an Excel file.

One row per dossier the center decided at the counter in the period: accepted ones by their
acceptance time, refused ones by the time of refusal (they never get a code, but the visit is
on record). Times are real Excel dates shown dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh, so officers
can sort and filter them. The sheet is streamed (write-only workbook, one query read in chunks),
so a year of a busy center fits in memory; exporting names and addresses is audited.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from motcua.core.calendar import LOCAL_TZ, to_local
from motcua.core.models import Center
from motcua.core.services import audit_log_write

from . import access
from .errors import DossierError, DossierPermissionDenied
from .models import FINAL_STATUSES, Dossier, DossierEvent, DossierStep
from .services._timing import outcome

SHEET_TITLE = "Sổ theo dõi hồ sơ"
_DATE_FORMAT = "dd/mm/yyyy hh:mm"
_CLOSING_ACTIONS = ("dossier.refused", "dossier.withdrawn", "dossier.stopped", "dossier.supplement_expired")
_WIDTHS = (6, 28, 48, 26, 17, 17, 34, 22, 17, 17, 14, 40)
_CHUNK = 2000


def _columns() -> list[str]:
    return [
        _("STT"), _("Mã hồ sơ"), _("Tên thủ tục"), _("Người nộp"), _("Ngày tiếp nhận"), _("Ngày hẹn trả"),
        _("Cơ quan giải quyết"), _("Trạng thái"), _("Ngày có kết quả"), _("Ngày trả"), _("Đúng hạn/Trễ hạn"),
        _("Ghi chú"),
    ]  # fmt: skip


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [start 00:00, the day after end 00:00) in local time."""
    if end < start:
        raise DossierError("dossier.logbook_period", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    lower = datetime.combine(start, time(0), tzinfo=LOCAL_TZ)
    return lower, datetime.combine(end + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def logbook_queryset(center: Center, start: date, end: date) -> QuerySet[Dossier]:
    """The period's dossiers in one query: accepted by acceptance time, refused by refusal time."""
    lower, upper = _bounds(start, end)
    received = Q(accepted_at__gte=lower, accepted_at__lt=upper) | Q(
        status=Dossier.Status.REFUSED, accepted_at__isnull=True, closed_at__gte=lower, closed_at__lt=upper
    )
    closing = DossierEvent.objects.filter(dossier=OuterRef("pk"), action__in=_CLOSING_ACTIONS).order_by("-at", "-id")
    return (
        Dossier.objects.filter(received, receiving_center=center)
        .select_related("competent_agency")
        .annotate(
            received_at=Coalesce("accepted_at", "closed_at"),
            # The name in the version frozen at acceptance, without loading the whole snapshot.
            procedure_name=KeyTextTransform("name", "procedure_version__snapshot"),
            closing_reason=Subquery(closing.values("reason")[:1]),
        )
        .order_by(F("received_at").asc(), "id")
    )


class _Rows:
    """Turns dossiers into cells; labels are translated once, not once per row (tens of thousands)."""

    def __init__(self, ws: WriteOnlyWorksheet, now: datetime) -> None:
        self.ws, self.now = ws, now
        self.statuses = {value: str(label) for value, label in Dossier.Status.choices}
        self.outcomes = {value: str(label) for value, label in DossierStep.Outcome.choices}
        self.overdue = _("Đang quá hạn")

    def row(self, number: int, d: Any) -> list[Any]:
        return [
            number, self.text(d.code), self.text(d.procedure_name), self.text(d.applicant_name),
            self.when(d.received_at), self.when(d.due_at), self.text(d.competent_agency.name),
            self.statuses.get(d.status, str(d.status)), self.when(d.result_ready_at), self.when(d.returned_at),
            self.timeliness(d), self.text(_note(d)),
        ]  # fmt: skip

    def when(self, value: datetime | None) -> WriteOnlyCell | None:
        """A real date cell (sortable in Excel), local time, shown day first."""
        if value is None:
            return None
        cell = WriteOnlyCell(self.ws, value=to_local(value).replace(tzinfo=None))
        cell.number_format = _DATE_FORMAT
        return cell

    def text(self, value: str | None) -> str | WriteOnlyCell | None:
        """A text cell; empty is no cell. Control characters are illegal in the file format, and a
        name starting with "=" is written as text, never run as a formula by whoever opens the file."""
        value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
        if not value.startswith("="):
            return value or None
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"
        return cell

    def timeliness(self, d: Dossier) -> str | None:
        """Against the original due time, so an apology never hides lateness (rule 8)."""
        if d.result_ready_at is not None:
            return self.outcomes[outcome(d.original_due_at, d.result_ready_at)]
        if d.status not in FINAL_STATUSES and d.original_due_at is not None and self.now > d.original_due_at:
            return self.overdue
        return None


def _note(dossier: Any) -> str:
    parts = []
    if dossier.submitter_name:
        parts.append(_("Nộp thay: %(name)s") % {"name": dossier.submitter_name})
    if dossier.closing_reason:
        parts.append(_("Lý do: %(reason)s") % {"reason": dossier.closing_reason})
    if dossier.note:
        parts.append(dossier.note)
    return "; ".join(parts)


def _styled(
    ws: WriteOnlyWorksheet, value: str, *, bold: bool = False, size: int = 11, fill: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(bold=bold, size=size)
    if fill:
        cell.fill = PatternFill("solid", fgColor="E8E8E8")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return cell


def _preamble(ws: WriteOnlyWorksheet, center: Center, start: date, end: date) -> None:
    """Title, center and period above the table; column widths and frozen headings."""
    for index, width in enumerate(_WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "C5"
    ws.append([_styled(ws, _("SỔ THEO DÕI HỒ SƠ"), bold=True, size=14)])
    ws.append([_styled(ws, center.name, bold=True)])
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    ws.append([_styled(ws, period)])
    ws.append([_styled(ws, title, bold=True, fill=True) for title in _columns()])


def logbook_xlsx(*, user: Any, center: Center, start: date, end: date, ip: str | None = None,
                 now: datetime | None = None) -> bytes:  # fmt: skip
    """The center's log book for [start, end] (local dates) as .xlsx bytes; the export is audited.

    Only reception roles of the center (or province-wide administrators) may export it.
    """
    if not access.can_receive_at(user, center.pk):
        raise DossierPermissionDenied(
            "dossier.logbook_forbidden", _("Bạn không có quyền xuất sổ theo dõi hồ sơ của nơi tiếp nhận này.")
        )
    now = now or timezone.now()
    dossiers = logbook_queryset(center, start, end)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(SHEET_TITLE)
    _preamble(ws, center, start, end)
    rows, count = _Rows(ws, now), 0
    for count, dossier in enumerate(dossiers.iterator(chunk_size=_CHUNK), start=1):
        ws.append(rows.row(count, dossier))
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_log_write(actor=user, action="dossiers.logbook.exported", center=center, ip=ip, now=now,
                    data={"start": start.isoformat(), "end": end.isoformat(), "rows": count})  # fmt: skip
    return buffer.getvalue()
