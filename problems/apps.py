from __future__ import annotations

from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problems"

    def ready(self) -> None:
        from problems import signals  # noqa: F401  (connects the receivers)
