"""The dashboards' figures as report tables (motcua.reports.tables): what the screen shows and
what the Excel and PDF files contain, built once so they cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.reports.drill import NO_KEY
from motcua.reports.figures import DossierRow, IndicatorGroup, QueueRow
from motcua.reports.tables import COUNT, DECIMAL, MINUTES, RATE, TEXT, Column, ReportTable, cell_text

GROUP_LABELS = {
    "center": gettext_lazy("Nơi tiếp nhận"), "agency": gettext_lazy("Cơ quan giải quyết"),
    "sector": gettext_lazy("Lĩnh vực"), "procedure": gettext_lazy("Thủ tục"),
    "officer": gettext_lazy("Cán bộ tiếp nhận"), "queue": gettext_lazy("Hàng đợi"),
    "counter": gettext_lazy("Quầy"),
}  # fmt: skip


# What each count of the dossier figures lists when opened (the drill-down's title).
METRIC_LABELS = {
    "received": gettext_lazy("Hồ sơ tiếp nhận"),
    "received_online": gettext_lazy("Hồ sơ tiếp nhận trực tuyến"),
    "digitised": gettext_lazy("Hồ sơ số hóa khi tiếp nhận"),
    "resolved": gettext_lazy("Hồ sơ đã giải quyết"),
    "resolved_early": gettext_lazy("Hồ sơ sớm hạn"),
    "resolved_on_time": gettext_lazy("Hồ sơ đúng hạn"),
    "resolved_late": gettext_lazy("Hồ sơ trễ hạn"),
    "resolved_online": gettext_lazy("Hồ sơ trực tuyến đã giải quyết"),
    "resolved_online_on_time": gettext_lazy("Hồ sơ trực tuyến giải quyết đúng hạn"),
    "e_results": gettext_lazy("Hồ sơ có kết quả điện tử"),
    "fee_bearing": gettext_lazy("Hồ sơ có phí, lệ phí"),
    "paid_online": gettext_lazy("Hồ sơ thanh toán trực tuyến"),
    "returned": gettext_lazy("Hồ sơ đã trả kết quả"),
    "withdrawn": gettext_lazy("Hồ sơ rút theo yêu cầu"),
    "stopped": gettext_lazy("Hồ sơ dừng xử lý"),
    "in_progress": gettext_lazy("Hồ sơ đang giải quyết"),
    "in_progress_within_time": gettext_lazy("Hồ sơ đang giải quyết trong hạn"),
    "in_progress_overdue": gettext_lazy("Hồ sơ đang giải quyết quá hạn"),
}  # fmt: skip


def drill_query(metric: str, group_by: str | None, key: Any) -> str:
    """The drill-down's own query (the page adds the period): `chi-so`, `nhom` and `ma`."""
    params = {"chi-so": metric}
    if group_by:
        params["nhom"] = group_by
    if group_by and key is not None:
        params["ma"] = str(key)
    return urlencode(params)


def drill_title(metric: str, count_text: str, label: str = "") -> str:
    """What a linked figure opens, said in full: "Xem 12 hồ sơ trễ hạn của Sở Tư pháp"."""
    what = str(METRIC_LABELS[metric])
    what = what[:1].lower() + what[1:]
    if label and label != "–":
        return _("Xem %(n)s %(what)s của %(who)s") % {"n": count_text, "what": what, "who": label}
    return _("Xem %(n)s %(what)s") % {"n": count_text, "what": what}


def dossier_links(group_by: str) -> Callable[[dict[str, Any], Column], tuple[str, str] | None]:
    """Each count of the dossier table opens the dossiers behind it; the total row, the scope's."""

    def link(row: dict[str, Any], column: Column) -> tuple[str, str] | None:
        if column.kind != COUNT or column.key not in METRIC_LABELS or not row.get(column.key):
            return None
        total = bool(row.get("_total"))
        key = None if total else (NO_KEY if row["key"] is None else row["key"])
        text = cell_text(row[column.key], COUNT)
        return drill_query(column.key, group_by, key), drill_title(column.key, text, "" if total else row["label"])

    return link


def dossier_columns(group_by: str) -> list[Column]:
    return [
        Column("label", str(GROUP_LABELS[group_by]), TEXT),
        Column("received", _("Tiếp nhận")), Column("online_rate", _("Trực tuyến"), RATE),
        Column("resolved", _("Đã giải quyết")), Column("resolved_early", _("Sớm hạn")),
        Column("resolved_on_time", _("Đúng hạn")), Column("resolved_late", _("Trễ hạn")),
        Column("on_time_rate", _("Tỷ lệ đúng hạn"), RATE),
        Column("in_progress_within_time", _("Đang giải quyết trong hạn")),
        Column("in_progress_overdue", _("Đang giải quyết quá hạn")),
        Column("digitised_rate", _("Số hóa khi tiếp nhận"), RATE), Column("e_result_rate", _("Kết quả điện tử"), RATE),
        Column("paid_online_rate", _("Thanh toán trực tuyến"), RATE),
        Column("satisfaction_rate", _("Hài lòng"), RATE),
    ]  # fmt: skip


def _dossier_line(row: DossierRow, columns: list[Column]) -> dict[str, Any]:
    line = {column.key: row[column.key] for column in columns if column.key != "label"}
    return {"label": row.label or "–", "key": row.key, **line}


def dossier_table(rows: list[DossierRow], total: DossierRow | None, *, group_by: str, subtitle: str) -> ReportTable:
    columns = dossier_columns(group_by)
    totals = {**_dossier_line(total, columns), "label": _("Tổng cộng"), "_total": True} if total else None
    return ReportTable(
        _("Tình hình giải quyết hồ sơ theo %(group)s") % {"group": str(GROUP_LABELS[group_by]).lower()},
        columns, [_dossier_line(row, columns) for row in rows], subtitle=subtitle, totals=totals,
        notes=[
            _("Tỷ lệ đúng hạn = (sớm hạn + đúng hạn) / đã giải quyết. Trực tuyến, số hóa: trên số tiếp nhận; "
              "kết quả điện tử: trên số đã giải quyết; thanh toán trực tuyến: trên số hồ sơ có phí, lệ phí."),
            _("Đang giải quyết: số hồ sơ tại ngày cuối của kỳ (hôm nay: lúc xem)."),
        ],
        link=dossier_links(group_by),
    )  # fmt: skip


def queue_columns(group_by: str) -> list[Column]:
    return [
        Column("label", str(GROUP_LABELS[group_by]), TEXT), Column("issued", _("Cấp số")),
        Column("served", _("Đã phục vụ")), Column("no_shows", _("Vắng mặt")), Column("no_show_rate", _("Tỷ lệ vắng"), RATE),
        Column("wait_mean", _("Chờ trung bình"), MINUTES), Column("wait_p90", _("Chờ, phân vị 90"), MINUTES),
        Column("service_mean", _("Phục vụ trung bình"), MINUTES), Column("service_p90", _("Phục vụ, phân vị 90"), MINUTES),
        Column("satisfaction_rate", _("Hài lòng"), RATE),
    ]  # fmt: skip


def _seconds(minutes: float | None) -> float | None:
    return None if minutes is None else minutes * 60


def _queue_line(row: QueueRow) -> dict[str, Any]:
    rates = row.rates
    return {
        "label": row.label or "–", "key": row.key, "issued": int(row["issued"]), "served": int(row["served"]),
        "no_shows": int(row["no_shows"]), "no_show_rate": rates["no_show_rate"],
        "wait_mean": _seconds(rates["wait_mean_minutes"]), "wait_p90": _seconds(rates["wait_p90_minutes"]),
        "service_mean": _seconds(rates["service_mean_minutes"]), "service_p90": _seconds(rates["service_p90_minutes"]),
        "satisfaction_rate": rates["satisfaction_rate"],
    }  # fmt: skip


def queue_table(rows: list[QueueRow], total: QueueRow | None, *, group_by: str, subtitle: str) -> ReportTable:
    totals = {**_queue_line(total), "label": _("Tổng cộng")} if total else None
    return ReportTable(
        _("Hàng đợi theo %(group)s") % {"group": str(GROUP_LABELS[group_by]).lower()}, queue_columns(group_by),
        [_queue_line(row) for row in rows], subtitle=subtitle, totals=totals,
        notes=[_("Chờ: từ lúc lấy số đến lần gọi đầu tiên. Phân vị 90: chín phần mười số lượt không vượt quá thời gian này "
                 "(ước tính từ phân bố theo khoảng phút).")],
    )  # fmt: skip


def indicator_table(groups: list[IndicatorGroup], *, subtitle: str) -> ReportTable:
    columns = [
        Column("group", _("Nhóm chỉ số"), TEXT), Column("label", _("Chỉ số"), TEXT),
        Column("numerator", _("Tử số"), DECIMAL), Column("denominator", _("Mẫu số"), DECIMAL),
        Column("value", _("Tỷ lệ"), RATE), Column("note", _("Ghi chú"), TEXT),
    ]  # fmt: skip
    rows = [
        {"group": group.label, "label": rate.label, "numerator": rate.numerator, "denominator": rate.denominator,
         "value": rate.value, "note": rate.reason}
        for group in groups for rate in group.rates
    ]  # fmt: skip
    return ReportTable(
        _("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"), columns, rows, subtitle=subtitle,
        notes=[_("Tỷ lệ thô tính từ dữ liệu của hệ thống; điểm theo trọng số chỉ là ước tính, "
                 "điểm chính thức do Cổng Dịch vụ công quốc gia tính.")],
    )  # fmt: skip
