from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeUnit(models.TextChoices):
    """How a procedure's processing time is counted (DOMAIN.md §1.4)."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", pgettext_lazy("đơn vị thời hạn", "ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("trong ngày")
    NONE = "none", _("không quy định thời hạn")
