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

        # The partnership page shows its tasking meetings' attendance (issue 21) without
        # partnerships knowing problems (DESIGN.md section 3).
        from partnerships.panels import register_partnership_panel
        from problems.selectors.meetings import partnership_attendance_panel

        register_partnership_panel("problems/_partnership_attendance_panel.html", partnership_attendance_panel)
