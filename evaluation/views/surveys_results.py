"""Views of survey results: one survey's results (charts with data tables) and the community
priorities set from them, its responses as CSV, and trust-and-confidence trends across rounds by
neighbourhood."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.csv_export import csv_writer
from core.forms import form_add_service_errors
from engagement.selectors.access import priorities_visible_to
from evaluation.forms.surveys import ResultsFilterForm, SurveyPriorityForm
from evaluation.models.surveys import Survey
from evaluation.selectors.survey_priorities import (
    can_link_priorities,
    survey_priorities_shown,
    survey_priority_candidates,
)
from evaluation.selectors.surveys_access import survey_get_for_user
from evaluation.selectors.surveys_results import survey_export_rows, survey_results, trust_items, trust_trend
from evaluation.services.survey_priorities import CANNOT_LINK, survey_priority_link, survey_priority_unlink
from evaluation.services.surveys import survey_exported


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _results_page(
    request: HttpRequest, survey: Survey, *, priority_form: SurveyPriorityForm | None = None
) -> HttpResponse:
    user = _user(request)
    form = ResultsFilterForm(request.GET or None)
    results = survey_results(survey=survey, **form.filters())
    can_link = can_link_priorities(user, survey)
    if can_link and priority_form is None:
        priority_form = SurveyPriorityForm(candidates=survey_priority_candidates(user=user, survey=survey))
    context = {
        "survey": survey,
        "form": form,
        "results": results,
        "chart_data": results.chart_data(),
        "priorities": survey_priorities_shown(user=user, survey=survey),
        "can_link": can_link,
        "priority_form": priority_form,
    }
    return render(request, "evaluation/survey_results.html", context)


def _survey(request: HttpRequest, pk: int, action: str = "view") -> Survey:
    return survey_get_for_user(
        user=_user(request), pk=pk, action=action, queryset=Survey.objects.select_related("owner", "neighbourhood")
    )


@require_GET
def survey_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _results_page(request, _survey(request, pk))


def _to_priorities(request: HttpRequest, survey: Survey) -> HttpResponse:
    """Back to the results, with the filters they were shown with, at the priorities."""
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("survey-results", kwargs={"pk": survey.pk}) + query + "#priorities")


@require_POST
def survey_priority_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = _survey(request, pk, action="change")
    if not can_link_priorities(user, survey):
        raise PermissionDenied(CANNOT_LINK)
    form = SurveyPriorityForm(request.POST, candidates=survey_priority_candidates(user=user, survey=survey))
    if form.is_valid():
        try:
            priority = survey_priority_link(actor=user, survey=survey, priority=form.cleaned_data["priority"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"“{priority}” is recorded as set from these results.")
            return _to_priorities(request, survey)
    return _results_page(request, survey, priority_form=form)


@require_POST
def survey_priority_unlink_view(request: HttpRequest, pk: int, priority_pk: int) -> HttpResponse:
    user = _user(request)
    survey = _survey(request, pk, action="change")
    if not can_link_priorities(user, survey):
        raise PermissionDenied(CANNOT_LINK)
    priority = get_object_or_404(priorities_visible_to(user), pk=priority_pk)
    try:
        priority = survey_priority_unlink(actor=user, survey=survey, priority=priority)
    except ValidationError as error:  # not linked to this survey (or unlinked meanwhile)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{priority}” is no longer linked to these results.")
    return _to_priorities(request, survey)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def survey_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk)
    survey_exported(actor=user, survey=survey, rows=survey.responses.count())
    writer = csv_writer(_Echo())
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
    path("surveys/<int:pk>/priorities/", survey_priority_link_view, name="survey-priority-link"),
    path(
        "surveys/<int:pk>/priorities/<int:priority_pk>/unlink/",
        survey_priority_unlink_view,
        name="survey-priority-unlink",
    ),
    path("surveys/<int:pk>/responses.csv", survey_export, name="survey-export"),
    path("surveys/trends/", survey_trends, name="survey-trends"),
]
