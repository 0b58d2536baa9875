from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "motcua.devices"
    verbose_name = _("Thiết bị")
