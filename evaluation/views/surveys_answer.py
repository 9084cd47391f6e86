"""Answering a survey: the public form behind an unguessable link (no account, no second factor),
its thank-you page, and the signed-in form for partner and officer surveys.

The browser cookie is a random value with no meaning of its own; the server keeps only a keyed
digest of it per survey (evaluation.services.surveys_responses), which is how a repeat from the
same browser is refused without storing anything about the person."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.client_address import client_address
from core.forms import form_add_service_errors
from evaluation.forms.surveys_answer import SurveyAnswerForm
from evaluation.models.surveys import Survey
from evaluation.selectors.surveys import questions_with_options
from evaluation.selectors.surveys_access import (
    survey_get_by_token,
    survey_get_for_answer,
    survey_is_open,
    survey_not_yet_open,
)
from evaluation.services.surveys_responses import (
    AlreadyAnswered,
    answers_from_form,
    browser_has_answered,
    public_response_submit,
    response_submit,
    submission_attempt_allowed,
    user_has_answered,
)

BROWSER_COOKIE = "cg_survey_browser"
BROWSER_COOKIE_AGE = 365 * 24 * 3600


def _status_page(request: HttpRequest, survey: Survey, state: str, status: int = 200) -> HttpResponse:
    """The survey has closed, is not open yet, was answered already, or too many answers came from
    one connection: a page that says so, and no form."""
    return render(request, "evaluation/survey_status.html", {"survey": survey, "state": state}, status=status)


def _closed_state(survey: Survey) -> str | None:
    if survey_is_open(survey):
        return None
    return "not_yet_open" if survey_not_yet_open(survey) else "closed"


def _with_cookie(request: HttpRequest, response: HttpResponse, browser_token: str) -> HttpResponse:
    if request.COOKIES.get(BROWSER_COOKIE) != browser_token:
        response.set_cookie(
            BROWSER_COOKIE,
            browser_token,
            max_age=BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    survey = survey_get_by_token(token=token)
    # A browser refusing cookies gets a new token each time, so only the rate limit holds it back:
    # the check stops accidental and casual repeats, not a determined script.
    browser_token = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(32)
    state = _closed_state(survey)
    if state is None and browser_has_answered(survey=survey, browser_token=browser_token):
        state = "answered"
    if state is not None:
        return _with_cookie(request, _status_page(request, survey, state), browser_token)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None, questions=questions_with_options(survey)
    )
    if request.method == "POST":
        if not submission_attempt_allowed(client_address=client_address(request)):
            return _status_page(request, survey, "rate_limited", status=429)
        if form.is_valid():
            try:
                public_response_submit(
                    survey=survey, answers=answers_from_form(form.cleaned_data), browser_token=browser_token
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            except AlreadyAnswered:
                return _status_page(request, survey, "answered")
            else:
                return _with_cookie(request, redirect("survey-public-thanks", token=token), browser_token)
    context: dict[str, Any] = {"survey": survey, "form": form, "public": True}
    return _with_cookie(request, render(request, "evaluation/survey_answer.html", context), browser_token)


@login_not_required
@require_GET
def survey_public_thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = survey_get_by_token(token=token)
    return _status_page(request, survey, "thanks")


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    survey = survey_get_for_answer(user=user, pk=pk)
    state = _closed_state(survey)
    if state is None and user_has_answered(user=user, survey=survey):
        state = "answered"
    if state is not None:
        return _status_page(request, survey, state)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None, questions=questions_with_options(survey)
    )
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(actor=user, survey=survey, answers=answers_from_form(form.cleaned_data))
        except ValidationError as error:
            form_add_service_errors(form, error)
        except AlreadyAnswered:
            return _status_page(request, survey, "answered")
        else:
            messages.success(request, f"Thank you: your answers to “{survey.title}” are recorded.")
            return redirect("survey-list")
    return render(request, "evaluation/survey_answer.html", {"survey": survey, "form": form, "public": False})


urlpatterns: list[URLPattern] = [
    path("s/<str:token>/", survey_public, name="survey-public"),
    path("s/<str:token>/thanks/", survey_public_thanks, name="survey-public-thanks"),
    path("surveys/<int:pk>/answer/", survey_answer, name="survey-answer"),
]
