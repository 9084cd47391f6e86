from __future__ import annotations

from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    """The data protection officer's tools (DESIGN.md sections 1 and 5): subject-access search
    across problems, engagement and survey answers, the audit viewer and the breach log. It reads
    every domain app, so it sits above evaluation (config > dataprotection > evaluation > ...)."""

    name = "dataprotection"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from dataprotection import reminders

        reminders.register()
