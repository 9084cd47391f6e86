from __future__ import annotations

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"

    def ready(self) -> None:
        from engagement.coverage import engagement_reach, register_reach_source

        # Groups represented at engagement events; evaluation adds "survey" from its own ready().
        register_reach_source("engagement", engagement_reach)
