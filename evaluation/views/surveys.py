"""Views of the survey builder: the list, creating a survey (blank or from a template), its builder
page, editing its details, publishing, closing, copying, a new version, and the QR code of its
public link. Thin: fetch through the access helper, bind a form, call one service."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.forms import form_add_service_errors
from evaluation.forms.surveys import SurveyForm
from evaluation.models.surveys import Survey, SurveyStatus
from evaluation.selectors.surveys import questions_with_options, survey_list_to_answer, survey_list_visible_to
from evaluation.selectors.surveys_access import can_build_surveys, can_change_survey, survey_get_for_user
from evaluation.services.survey_templates import TEMPLATES
from evaluation.services.surveys import (
    survey_close,
    survey_copy,
    survey_create,
    survey_has_responses,
    survey_new_version,
    survey_publish,
    survey_template_defaults,
    survey_update,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _with_relations() -> Any:
    return Survey.objects.select_related("owner", "neighbourhood", "partnership", "problem")


def public_link(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("survey-public", kwargs={"token": survey.public_token}))


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "surveys": survey_list_visible_to(user=user),
        "to_answer": survey_list_to_answer(user=user),
        "can_build": can_build_surveys(user),
        "templates": TEMPLATES.values(),
    }
    return render(request, "evaluation/survey_list.html", context)


@require_http_methods(["GET", "POST"])
def survey_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_build_surveys(user):
        raise PermissionDenied
    if request.method == "POST":
        form = SurveyForm(request.POST, user=user)
        if form.is_valid():
            try:
                survey = survey_create(actor=user, template_key=form.cleaned_data["template"], **form.service_fields())
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"Survey “{survey.title}” created as a draft.")
                return redirect("survey-detail", pk=survey.pk)
    else:
        template_key = request.GET.get("template", "")
        initial: dict[str, Any] = {"template": template_key if template_key in TEMPLATES else ""}
        if initial["template"]:
            initial.update(survey_template_defaults(template_key))
        form = SurveyForm(initial=initial, user=user)
    template_key = form["template"].value() or ""
    context = {"form": form, "survey": None, "template": TEMPLATES.get(template_key)}
    return render(request, "evaluation/survey_form.html", context)


@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, queryset=_with_relations())
    has_responses = survey_has_responses(survey)
    can_change = can_change_survey(user, survey)
    context = {
        "survey": survey,
        "questions": questions_with_options(survey),
        "can_change": can_change,
        "can_edit_questions": can_change and not has_responses and survey.status != SurveyStatus.CLOSED,
        "has_responses": has_responses,
        "public_link": public_link(request, survey) if survey.public_token else "",
    }
    return render(request, "evaluation/survey_detail.html", context)


@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, action="change")
    if request.method == "POST":
        form = SurveyForm(request.POST, user=user, survey=survey)
        if form.is_valid():
            try:
                survey_update(actor=user, survey=survey, **form.service_fields())
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Survey details saved.")
                return redirect("survey-detail", pk=survey.pk)
    else:
        form = SurveyForm(initial=SurveyForm.initial_for(survey), user=user, survey=survey)
    return render(request, "evaluation/survey_form.html", {"form": form, "survey": survey, "template": None})


def _lifecycle(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, action="change")
    try:
        result = service(actor=user, survey=survey)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("survey-detail", pk=survey.pk)
    messages.success(request, done.format(title=result.title))
    return redirect("survey-detail", pk=result.pk)


@require_POST
def survey_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, survey_publish, "Survey “{title}” published.")


@require_POST
def survey_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, survey_close, "Survey “{title}” closed: it takes no more answers.")


@require_POST
def survey_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, survey_copy, "Copied as “{title}”, a draft.")


@require_POST
def survey_new_version_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, survey_new_version, "New version of “{title}” created as a draft.")


@require_GET
def survey_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The public link as a QR code, an SVG image with no inline styles (strict CSP)."""
    survey = survey_get_for_user(user=_user(request), pk=pk)
    if not survey.public_token:
        raise Http404
    image = qrcode.make(public_link(request, survey), image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.pk}-qr.svg"'
    return response


urlpatterns: list[URLPattern] = [
    path("surveys/", survey_list, name="survey-list"),
    path("surveys/new/", survey_create_view, name="survey-create"),
    path("surveys/<int:pk>/", survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey-edit"),
    path("surveys/<int:pk>/publish/", survey_publish_view, name="survey-publish"),
    path("surveys/<int:pk>/close/", survey_close_view, name="survey-close"),
    path("surveys/<int:pk>/copy/", survey_copy_view, name="survey-copy"),
    path("surveys/<int:pk>/new-version/", survey_new_version_view, name="survey-new-version"),
    path("surveys/<int:pk>/qr.svg", survey_qr, name="survey-qr"),
]
