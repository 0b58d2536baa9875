from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    verbose_name = _("Trung tâm và lịch làm việc")

    def ready(self) -> None:
        # Connect the calendar cache's invalidation receivers at start-up.
        from . import calendar  # noqa: F401
