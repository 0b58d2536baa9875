"""Dossiers (issue 4). First slice: the daily sequence behind official dossier codes (ADR 0008 §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySequence(models.Model):
    """The last number given in one code series on one day, advanced inside the acceptance.

    The series is the code without its number (`000.17.22.H56-210531-`), so one row exists per
    receiving unit and day with the default format, per deciding agency and day with the
    centralised one, and two places sharing a unit ID can never mint the same code.
    """

    series = models.CharField(_("dãy mã"), max_length=80)
    business_date = models.DateField(_("ngày"))
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("dãy số mã hồ sơ")
        verbose_name_plural = _("dãy số mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["series", "business_date"], name="dossiers_dailysequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.last_number}"
