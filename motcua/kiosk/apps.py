from django.apps import AppConfig


class KioskConfig(AppConfig):
    name = "motcua.kiosk"
