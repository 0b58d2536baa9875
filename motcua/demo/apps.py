from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for Can Tho: centers, agencies, the 54 seed procedures, officers."""

    name = "motcua.demo"
    verbose_name = "Dữ liệu mẫu"
