from __future__ import annotations

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self) -> None:
        # Survey answers that map to a seldom-heard group count towards engagement's coverage grid;
        # registered from here so that engagement never imports evaluation (DESIGN.md section 3).
        from engagement.coverage import register_reach_source
        from evaluation.selectors.surveys import survey_reach

        register_reach_source("survey", survey_reach)

        # The partnership page's health over time (issue 21), through partnerships' panels.
        from evaluation.selectors.partnership_health import partnership_health_panel
        from partnerships.panels import register_partnership_panel

        register_partnership_panel("evaluation/_partnership_health_panel.html", partnership_health_panel)

        # The problem page's assessment and the printable summary show the evaluation (before/after,
        # cost-benefit, EMMIE) through problems' panel extension point, for the same reason.
        from evaluation.selectors.assessment_panels import register_panels
        from evaluation.views.award import register_award_panel

        register_panels()
        register_award_panel()

        # Disposal of a problem (problems.services.retention) erases its evaluation text and keeps
        # its figures: registered here for the same reason.
        from evaluation.disposal import register_disposal

        register_disposal()
