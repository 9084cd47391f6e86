from __future__ import annotations

from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problems"

    def ready(self) -> None:
        from problems import reminders, signals  # noqa: F401  (signals connects the receivers)

        reminders.register()
