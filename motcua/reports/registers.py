"""The periodic report a center sends upward and the apology-letter register (issue 6).

**Báo cáo tình hình, kết quả giải quyết TTHC** (the form of TT 01/2018, kept by TT 03/2025):
per agency, its sectors beneath it, and a grand total, read from `dossier_figures`:

- carried over = the in-progress snapshot at the end of the day before the period (the same
  stock `dossier_figures` reports for a one-day period: no new figure function was needed);
- new = received in the period (online, and counter or post); total received = carried + new;
- resolved (early, on time, late) and in progress at the period's end (within time, overdue)
  are the facts' counts as `_dossier_facts` defines them.

By those definitions a dossier that was received either got a result, is still in progress, or
ended without a result — withdrawn by the citizen or stopped. The facts' `withdrawn` and
`stopped` also count dossiers withdrawn *before* they were accepted (never received), so they
cannot close the balance; the "Rút/dừng" column is therefore the balance itself, total received
− resolved − in progress, which is exactly the accepted dossiers that ended without a result in
the period (`tests/reports/test_registers.py` checks it against hand-counted histories).

**Sổ theo dõi văn bản xin lỗi**: the letters issued in the period inside the scope (the letter's
agency, or the dossier's receiving center), newest first. It shows applicants' names, so each
page shown is audited (`audit_apology_read`); files are audited by `background`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.calendar import LOCAL_TZ, to_local

from ._scope import ReportScope, report_scope
from ._sums import Sources, sources_for
from .figures import DossierRow, dossier_figures
from .periods import Period
from .tables import COUNT, TEXT, Column, ReportTable

AGENCY, SECTOR, TOTAL = "agency", "sector", "total"


# --- the periodic upward report ----------------------------------------------------------------


@dataclass(frozen=True)
class HeaderGroup:
    """A heading over several columns (the form's two-level header); `keys` are column keys."""

    label: str
    keys: tuple[str, ...]
    short: tuple[str, ...]  # the second-level labels, in the order of `keys`


def upward_groups() -> list[HeaderGroup]:
    return [
        HeaderGroup(_("Số hồ sơ nhận giải quyết"), ("received_total", "carried", "new_online", "new_direct"),
                    (_("Tổng số"), _("Kỳ trước chuyển qua"), _("Mới tiếp nhận trực tuyến"),
                     _("Mới tiếp nhận trực tiếp, bưu chính"))),
        HeaderGroup(_("Số hồ sơ đã giải quyết"), ("resolved", "resolved_early", "resolved_on_time", "resolved_late"),
                    (_("Tổng số"), _("Trước hạn"), _("Đúng hạn"), _("Quá hạn"))),
        HeaderGroup(_("Số hồ sơ đang giải quyết"), ("in_progress", "in_progress_within_time", "in_progress_overdue"),
                    (_("Tổng số"), _("Trong hạn"), _("Quá hạn"))),
        HeaderGroup(_("Rút, dừng xử lý"), ("ended",), (_("Rút/dừng"),)),
    ]  # fmt: skip


def upward_columns() -> list[Column]:
    """The name column, then each figure labelled "group – figure" for files (one header row)."""
    short_group = {
        "received_total": _("Nhận giải quyết"), "resolved": _("Đã giải quyết"), "in_progress": _("Đang giải quyết"),
    }  # fmt: skip
    columns = [Column("label", _("Cơ quan, lĩnh vực"), TEXT)]
    for group in upward_groups():
        prefix = short_group.get(group.keys[0])
        for key, short in zip(group.keys, group.short, strict=True):
            columns.append(Column(key, f"{prefix} – {short}" if prefix else short, COUNT))
    return columns


def upward_counts(current: DossierRow | None, carried: DossierRow | None) -> dict[str, int]:
    """One row of the form from the period's figures and the stock carried into it."""
    c = current.counts if current else {}
    received, online = c.get("received", 0), c.get("received_online", 0)
    carried_in = carried["in_progress"] if carried else 0
    row = {
        "carried": carried_in, "new_online": online, "new_direct": received - online,
        "received_total": carried_in + received,
        **{name: c.get(name, 0) for name in ("resolved", "resolved_early", "resolved_on_time", "resolved_late",
                                             "in_progress", "in_progress_within_time", "in_progress_overdue")},
    }  # fmt: skip
    row["ended"] = row["received_total"] - row["resolved"] - row["in_progress"]
    return row


def _day_before(period: Period) -> Period:
    before = period.start - timedelta(days=1)
    return Period(before, before)


@dataclass
class _Reading:
    """The figures of one period (the report's, or the day before it) shared by every call."""

    period: Period
    scope: ReportScope
    sources: Sources

    def rows(self, group_by: str | None = None, filters: dict | None = None) -> dict[Any, DossierRow]:
        found = dossier_figures(self.period, scope=self.scope, group_by=group_by, filters=filters, sources=self.sources)
        return {row.key: row for row in found}


def _reading(period: Period, scope: ReportScope, now: datetime | None) -> _Reading:
    return _Reading(period, scope, sources_for(period, now=now))


def _sector_rows(agency_id: int, current: _Reading, carried: _Reading) -> list[dict[str, Any]]:
    now_rows = current.rows("sector", {"agency": agency_id})
    then_rows = carried.rows("sector", {"agency": agency_id})
    keys = set(now_rows) | set(then_rows)
    rows = []
    for key in keys:
        label = (now_rows.get(key) or then_rows[key]).label or _("Chưa xếp lĩnh vực")
        counts = upward_counts(now_rows.get(key), then_rows.get(key))
        rows.append({"label": f"   – {label}", "_name": label, "_level": SECTOR, "_key": key, **counts})
    return sorted(rows, key=lambda row: row["_name"])


def upward_table(period: Period, *, scope: Any, subtitle: str = "", now: datetime | None = None) -> ReportTable:
    """The form: each agency's subtotal row followed by its sectors' rows, and the grand total."""
    scope = report_scope(scope)
    current, carried = _reading(period, scope, now), _reading(_day_before(period), scope, now)
    agencies_now, agencies_then = current.rows("agency"), carried.rows("agency")
    rows: list[dict[str, Any]] = []
    for key in sorted(set(agencies_now) | set(agencies_then),
                      key=lambda k: (agencies_now.get(k) or agencies_then[k]).label):  # fmt: skip
        label = (agencies_now.get(key) or agencies_then[key]).label
        counts = upward_counts(agencies_now.get(key), agencies_then.get(key))
        if not any(counts.values()):
            continue
        rows.append({"label": label, "_name": label, "_level": AGENCY, "_key": key, **counts})
        rows.extend(row for row in _sector_rows(key, current, carried) if any(row[k] for k in counts))
    total_now, total_then = current.rows(), carried.rows()
    totals = {"label": _("Tổng cộng"), "_name": _("Tổng cộng"), "_level": TOTAL,
              **upward_counts(total_now.get(None), total_then.get(None))}  # fmt: skip
    return ReportTable(
        title=_("Báo cáo tình hình, kết quả giải quyết thủ tục hành chính"), columns=upward_columns(), rows=rows,
        subtitle=subtitle, totals=totals, notes=upward_notes(current.sources, carried.sources),
    )  # fmt: skip


def upward_notes(*sources: Sources) -> list[str]:
    notes = [
        _("Tổng số nhận giải quyết = Kỳ trước chuyển qua + Mới tiếp nhận (trực tuyến, trực tiếp và bưu chính). "
          "Kỳ trước chuyển qua: hồ sơ đang giải quyết vào cuối ngày trước ngày đầu kỳ."),
        _("Tổng số nhận giải quyết = Đã giải quyết + Đang giải quyết + Rút/dừng. Rút/dừng: hồ sơ đã tiếp nhận "
          "nhưng công dân rút hoặc bị dừng xử lý trong kỳ, không có kết quả; hồ sơ rút trước khi được tiếp nhận "
          "không thuộc số nhận giải quyết."),
        _("Trước hạn, đúng hạn, quá hạn so với hạn giải quyết ban đầu (hẹn lại bằng văn bản xin lỗi không làm "
          "hồ sơ trễ hạn thành đúng hạn). Số đang giải quyết tính vào cuối ngày cuối kỳ (hoặc thời điểm xem "
          "nếu kỳ chưa kết thúc)."),
    ]  # fmt: skip
    missing = sorted({day for s in sources for day in s.missing})
    if missing:
        notes.append(_("Chưa có số liệu tổng hợp của %(n)s ngày (%(days)s); số liệu các ngày này chưa được tính.")
                     % {"n": len(missing), "days": ", ".join(f"{d:%d/%m/%Y}" for d in missing[:5])
                        + (" …" if len(missing) > 5 else "")})  # fmt: skip
    return notes


# --- the apology-letter register ---------------------------------------------------------------


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_TZ)


def apology_letters(period: Period, *, scope: Any) -> QuerySet:
    """The letters issued in the period inside the scope, newest first."""
    from motcua.dossiers.models import ApologyLetter

    scope = report_scope(scope)
    letters = ApologyLetter.objects.filter(
        issued_at__gte=_local_start(period.start), issued_at__lt=_local_start(period.end + timedelta(days=1))
    )
    if not scope.everything:
        letters = letters.filter(
            Q(agency_id__in=scope.agency_ids) | Q(dossier__receiving_center_id__in=scope.center_ids)
        )
    return letters.select_related("dossier", "dossier__procedure", "agency", "issued_by").order_by("-issued_at", "-pk")


def apology_counts(letters: QuerySet) -> list[tuple[str, int]]:
    """(agency name, letters) per agency, most letters first."""
    from motcua.catalog.models import Agency

    counted = letters.order_by().values("agency_id").annotate(n=Count("pk"))
    names = {a.pk: str(a) for a in Agency.objects.filter(pk__in=[row["agency_id"] for row in counted])}
    return sorted(((names.get(row["agency_id"], ""), row["n"]) for row in counted), key=lambda p: (-p[1], p[0]))


def apology_outcome_counts(letters: QuerySet) -> dict[str, int]:
    """How many letters were kept (result by the new appointment), missed, ended without a
    result (withdrawn, stopped), or still wait for a result — the same rule as `apology_outcome`."""
    from motcua.dossiers.models import Dossier

    ended = [Dossier.Status.WITHDRAWN, Dossier.Status.STOPPED]
    counts = letters.order_by().aggregate(
        total=Count("pk"),
        kept=Count("pk", filter=Q(dossier__result_ready_at__lte=F("new_due_at"))),
        missed=Count("pk", filter=Q(dossier__result_ready_at__gt=F("new_due_at"))),
        ended=Count("pk", filter=Q(dossier__result_ready_at__isnull=True, dossier__status__in=ended)),
    )
    counts["waiting"] = counts["total"] - counts["kept"] - counts["missed"] - counts["ended"]
    return counts


def apology_outcome(letter: Any) -> tuple[str, str]:
    """(tone, text): did the result come by the new appointment? From result_ready_at vs new_due_at."""
    from motcua.dossiers.models import Dossier

    dossier = letter.dossier
    if dossier.result_ready_at is not None:
        if dossier.result_ready_at <= letter.new_due_at:
            return "good", _("Trả đúng hẹn mới")
        return "bad", _("Trả sau hẹn mới")
    if dossier.status in (Dossier.Status.WITHDRAWN, Dossier.Status.STOPPED):
        return "muted", _("Đã rút hoặc dừng xử lý")
    return "warn", _("Chưa có kết quả")


def _when(value: datetime | None) -> str:
    return f"{to_local(value):%H:%M %d/%m/%Y}" if value else ""


def apology_row(index: int, letter: Any) -> dict[str, Any]:
    dossier, officer = letter.dossier, letter.issued_by
    tone, outcome = apology_outcome(letter)
    return {
        "stt": index, "code": dossier.code or str(dossier.pk),
        "procedure": f"{dossier.procedure.code} {dossier.procedure.name}", "applicant": dossier.applicant_name,
        "agency": str(letter.agency), "number": letter.number, "reason": letter.reason,
        "previous_due": _when(letter.previous_due_at), "new_due": _when(letter.new_due_at),
        "issued": f"{to_local(letter.issued_at):%d/%m/%Y}",
        "issued_by": (officer.full_name or officer.username) if officer else "", "outcome": outcome,
        "_tone": tone, "_dossier_id": dossier.pk,
    }  # fmt: skip


def apology_columns() -> list[Column]:
    return [
        Column("stt", _("STT"), COUNT), Column("code", _("Mã hồ sơ"), TEXT), Column("procedure", _("Thủ tục"), TEXT),
        Column("applicant", _("Người nộp"), TEXT), Column("agency", _("Cơ quan"), TEXT),
        Column("number", _("Lần"), COUNT), Column("reason", _("Lý do chậm"), TEXT),
        Column("previous_due", _("Hẹn cũ"), TEXT), Column("new_due", _("Hẹn mới"), TEXT),
        Column("issued", _("Ngày ban hành"), TEXT), Column("issued_by", _("Người ký, ban hành"), TEXT),
        Column("outcome", _("Kết quả"), TEXT),
    ]  # fmt: skip


def apology_rows(letters: Iterable[Any], *, first: int = 1) -> list[dict[str, Any]]:
    return [apology_row(index, letter) for index, letter in enumerate(letters, start=first)]


def apology_summary_table(counts: list[tuple[str, int]], *, subtitle: str = "") -> ReportTable:
    rows = [{"agency": name, "letters": n} for name, n in counts]
    return ReportTable(
        title=_("Văn bản xin lỗi theo cơ quan"), subtitle=subtitle,
        columns=[Column("agency", _("Cơ quan"), TEXT), Column("letters", _("Số văn bản xin lỗi"), COUNT)],
        rows=rows, totals={"agency": _("Tổng cộng"), "letters": sum(n for _name, n in counts)},
    )  # fmt: skip


def apology_register_table(rows: list[dict[str, Any]], *, subtitle: str = "") -> ReportTable:
    return ReportTable(
        title=_("Sổ theo dõi văn bản xin lỗi"), columns=apology_columns(), rows=rows, subtitle=subtitle,
        notes=[_("Kết quả: so thời điểm có kết quả với ngày hẹn mới của văn bản. Hồ sơ vẫn tính là trễ hạn "
                 "so với hạn giải quyết ban đầu.")],
    )  # fmt: skip


def apology_tables(period: Period, *, scope: Any, subtitle: str = "") -> list[ReportTable]:
    """The summary per agency and the whole register (for files: every row, not one page)."""
    letters = apology_letters(period, scope=scope)
    return [
        apology_summary_table(apology_counts(letters), subtitle=subtitle),
        apology_register_table(apology_rows(letters.iterator(chunk_size=500)), subtitle=subtitle),
    ]


def audit_apology_read(*, user: Any, period: Period, rows: int, ip: str | None = None,
                       now: datetime | None = None) -> None:  # fmt: skip
    """The register names applicants (personal data): every page of it shown is logged (files are
    logged when asked for and downloaded, by `background`)."""
    from motcua.core.services import audit_log_write

    data = {"start": period.start.isoformat(), "end": period.end.isoformat(), "rows": rows}
    audit_log_write(actor=user, action="reports.apologies.viewed", ip=ip, now=now, data=data)
