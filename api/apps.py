from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # The schema's security schemes (drf-spectacular finds extensions once imported).
        from api import schema  # noqa: F401
