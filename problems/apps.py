from __future__ import annotations

from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "problems"

    def ready(self) -> None:
        from problems import reminders, signals  # noqa: F401  (signals connects the receivers)

        reminders.register()

        # What disposal erases, part by part (problems.services.retention); evaluation adds its own.
        from problems.retention_parts import register_problem_parts

        register_problem_parts()

        from problems import retention_reminders

        retention_reminders.register()

        from accounts.open_work import register_open_work_check
        from problems.selectors.leads import open_problems_led_by

        register_open_work_check(open_problems_led_by)
