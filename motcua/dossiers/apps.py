from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the code-format check)
