"""Decision 766 (DOMAIN §3.2, rule 16): the raw rates of each group with numerator and
denominator, and an *estimated* score = group weight × mean of the group's rates that count.

The weights are configuration, `MOTCUA["REPORTS_766_WEIGHTS"]`; the default 18/20/12/10/18/22
is a recollection no source confirmed [K]. The national portal (DVCQG) computes the official
index; ours is labelled "ước tính". A rate MotCua has no data for (synchronisation to the DVCQG,
publication of procedures, payment offered on the DVCQG) comes back as None with the reason.
Catalog-based rates read the catalog as it is now, not as it was during the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import OnlineLevel, Procedure

from ._queue_facts import ANSWERS
from ._scope import ReportScope, report_scope
from ._sums import Sources, ratio, sources_for, totals
from .figures import DossierRow, dossier_figures
from .models import RatingDayFact
from .periods import Period

# [K] unverified (DOMAIN §3.2): publicity, progress, online, payment, satisfaction, digitisation.
DEFAULT_766_WEIGHTS = {"publicity": 18, "progress": 20, "online": 12, "payment": 10, "satisfaction": 18,
                       "digitisation": 22}  # fmt: skip
ESTIMATE = gettext_lazy("ước tính")
NO_DVCQG = gettext_lazy("MotCua chưa đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia; tỉ lệ này do Cổng tính.")


@dataclass
class IndicatorRate:
    code: str
    label: str
    numerator: float | None
    denominator: float | None
    reason: str = ""  # why there is no value
    in_score: bool = True  # a "lower is better" rate is shown, not added to the score

    @property
    def value(self) -> float | None:
        if self.numerator is None or self.denominator is None:
            return None
        return ratio(self.numerator, self.denominator)


@dataclass
class IndicatorGroup:
    code: str
    label: str
    weight: float
    rates: list[IndicatorRate] = field(default_factory=list)
    score_label: Any = ESTIMATE

    @property
    def score(self) -> float | None:
        values = [r.value for r in self.rates if r.in_score and r.value is not None]
        return self.weight * sum(values) / len(values) if values else None


def _missing(code: str, label: str, reason: str) -> IndicatorRate:
    return IndicatorRate(code, label, None, None, reason=reason)


def _offered(scope: ReportScope) -> tuple[set[int], int]:
    """(ids of active procedures offered online, number of active procedures) in scope."""
    procedures = Procedure.objects.filter(is_active=True)
    if not scope.everything:
        procedures = procedures.filter(Q(agency_id__in=scope.agency_ids) | Q(centers__in=scope.center_ids)).distinct()
    rows = list(procedures.values_list("pk", "online_level"))
    return {pk for pk, level in rows if level != OnlineLevel.NONE}, len(rows)


def _total(rows: list[DossierRow]) -> DossierRow:
    counts: dict[str, int] = {}
    for row in rows:
        for name, value in row.counts.items():
            counts[name] = counts.get(name, 0) + value
    if not counts:
        from .figures import ALL_COUNTS

        counts = dict.fromkeys(ALL_COUNTS, 0)
    return DossierRow(None, "", counts)


def _rate(code: str, label: str, numerator: float, denominator: float, *, in_score: bool = True) -> IndicatorRate:
    return IndicatorRate(code, label, numerator, denominator, in_score=in_score)


def _progress(t: DossierRow) -> list[IndicatorRate]:
    c = t.counts
    return [
        _rate("on_time", _("Hồ sơ giải quyết trước và đúng hạn"), c["resolved_early"] + c["resolved_on_time"],
              c["resolved"]),
        _rate("within_time", _("Hồ sơ đang giải quyết còn trong hạn"), c["in_progress_within_time"], c["in_progress"]),
        _rate("online_on_time", _("Hồ sơ trực tuyến giải quyết đúng hạn"), c["resolved_online_on_time"],
              c["resolved_online"]),
        _rate("late", _("Hồ sơ giải quyết quá hạn"), c["resolved_late"], c["resolved"], in_score=False),
    ]  # fmt: skip


def _online(rows: list[DossierRow], scope: ReportScope) -> list[IndicatorRate]:
    offered, active = _offered(scope)
    used = {row.key for row in rows if row.key in offered and row.counts["received_online"] > 0}
    among = [row for row in rows if row.key in offered]
    return [
        _rate("procedures_online", _("Thủ tục có dịch vụ công trực tuyến"), len(offered), active),
        _rate("procedures_with_online_dossiers", _("Thủ tục trực tuyến có phát sinh hồ sơ trực tuyến"),
              len(used), len(offered)),
        _rate("online_submission", _("Hồ sơ nộp trực tuyến (thủ tục có dịch vụ trực tuyến)"),
              sum(r.counts["received_online"] for r in among), sum(r.counts["received"] for r in among)),
    ]  # fmt: skip


def _payment(rows: list[DossierRow], t: DossierRow) -> list[IndicatorRate]:
    charging = [row for row in rows if row.counts["fee_bearing"] > 0]
    return [
        _rate("paid_online", _("Hồ sơ có phí, lệ phí được thanh toán trực tuyến"), t.counts["paid_online"],
              t.counts["fee_bearing"]),
        _rate("procedures_paid_online", _("Thủ tục có phí có giao dịch thanh toán trực tuyến"),
              sum(1 for row in charging if row.counts["paid_online"] > 0), len(charging)),
        _missing("procedures_payment_on_dvcqg", _("Thủ tục có nghĩa vụ tài chính được thanh toán trên Cổng DVCQG"),
                 str(NO_DVCQG)),
    ]  # fmt: skip


def _digitisation(t: DossierRow) -> list[IndicatorRate]:
    c = t.counts
    return [
        _rate("digitised", _("Hồ sơ được số hóa khi tiếp nhận"), c["digitised"], c["received"]),
        _rate("e_results", _("Hồ sơ có kết quả điện tử"), c["e_results"], c["resolved"]),
        _missing("results_digitised", _("Kết quả giải quyết được số hóa"),
                 _("MotCua không ghi nhận việc số hóa kết quả bản giấy.")),
    ]  # fmt: skip


def _satisfaction(t: DossierRow, period: Period, scope: ReportScope, sources: Sources) -> list[IndicatorRate]:
    c = t.counts
    # Only the ticket ratings are needed: summing the ticket facts too would double the page's time.
    ratings = totals(RatingDayFact, "ratings", ANSWERS, sources=sources, scope=scope, groups=(), filters=None,
                     agency=False)  # fmt: skip
    q = ratings.get((), dict.fromkeys(ANSWERS, 0))
    return [
        _rate("dossier_satisfaction", _("Đánh giá hồ sơ hài lòng trở lên"), c["very_satisfied"] + c["satisfied"],
              c["rated"]),
        _rate("ticket_satisfaction", _("Đánh giá lượt phục vụ hài lòng trở lên"),
              q["very_satisfied"] + q["satisfied"], q["very_satisfied"] + q["satisfied"] + q["not_satisfied"]),
    ]  # fmt: skip


def _publicity() -> list[IndicatorRate]:
    return [
        _missing("procedures_published", _("Thủ tục được công khai đầy đủ trên CSDL quốc gia"),
                 _("MotCua không giữ trạng thái công khai thủ tục trên CSDL quốc gia.")),
        _missing("dvcqg_sync", _("Hồ sơ được đồng bộ lên Cổng DVCQG"), str(NO_DVCQG)),
        _missing("status_published", _("Trạng thái hồ sơ được công khai kịp thời"), str(NO_DVCQG)),
    ]  # fmt: skip


def weights() -> dict[str, float]:
    return {**DEFAULT_766_WEIGHTS, **settings.MOTCUA.get("REPORTS_766_WEIGHTS", {})}


def indicators_766(period: Period, *, scope: Any, now: datetime | None = None) -> list[IndicatorGroup]:
    allowed, sources = report_scope(scope), sources_for(period, now=now)
    rows = dossier_figures(period, scope=allowed, group_by="procedure", sources=sources)
    total, w = _total(rows), weights()
    groups = [
        ("publicity", _("Công khai, minh bạch"), _publicity()),
        ("progress", _("Tiến độ giải quyết"), _progress(total)),
        ("online", _("Dịch vụ công trực tuyến"), _online(rows, allowed)),
        ("payment", _("Thanh toán trực tuyến"), _payment(rows, total)),
        ("satisfaction", _("Mức độ hài lòng"), _satisfaction(total, period, allowed, sources)),
        ("digitisation", _("Số hóa hồ sơ"), _digitisation(total)),
    ]
    return [IndicatorGroup(code, str(label), w[code], rates) for code, label, rates in groups]
