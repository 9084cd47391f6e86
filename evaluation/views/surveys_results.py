"""Views of survey results: one survey's results (charts with data tables), its responses as CSV,
and trust-and-confidence trends across rounds by neighbourhood."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from accounts.models import User
from evaluation.forms.surveys import ResultsFilterForm
from evaluation.models.surveys import Survey
from evaluation.selectors.surveys_access import survey_get_for_user
from evaluation.selectors.surveys_results import survey_export_rows, survey_results, trust_items, trust_trend
from evaluation.services.surveys import survey_exported


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def survey_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get_for_user(
        user=_user(request), pk=pk, queryset=Survey.objects.select_related("owner", "neighbourhood")
    )
    form = ResultsFilterForm(request.GET or None)
    results = survey_results(survey=survey, **form.filters())
    context = {"survey": survey, "form": form, "results": results, "chart_data": results.chart_data()}
    return render(request, "evaluation/survey_results.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def survey_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk)
    survey_exported(actor=user, survey=survey, rows=survey.responses.count())
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in survey_export_rows(survey=survey)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.csv"'
    return response


@require_GET
def survey_trends(request: HttpRequest) -> HttpResponse:
    form = ResultsFilterForm(request.GET or None)
    by_area = trust_trend(user=_user(request), **form.filters())
    chart: dict[str, Any] = {
        "series": [
            {
                "label": area,
                "points": [{"x": r.survey.opens_on.isoformat(), "y": r.overall} for r in rounds],
            }
            for area, rounds in by_area.items()
        ]
    }
    context = {"form": form, "by_area": by_area, "items": trust_items(), "chart_data": chart}
    return render(request, "evaluation/survey_trends.html", context)


urlpatterns: list[URLPattern] = [
    path("surveys/<int:pk>/results/", survey_results_view, name="survey-results"),
    path("surveys/<int:pk>/responses.csv", survey_export, name="survey-export"),
    path("surveys/trends/", survey_trends, name="survey-trends"),
]
