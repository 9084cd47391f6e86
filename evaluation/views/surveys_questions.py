"""Views of a survey's questions in the builder: add, edit, remove and move."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.access import get_visible_or_404
from core.forms import form_add_service_errors
from evaluation.forms.surveys import QuestionForm
from evaluation.models.surveys import Question, Survey
from evaluation.selectors.surveys_access import survey_get_for_user
from evaluation.services.surveys_questions import question_add, question_move, question_remove, question_update


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _question(survey: Survey, question_pk: int) -> Question:
    return get_visible_or_404(survey.questions.select_related("survey"), pk=question_pk)


def _form_page(request: HttpRequest, survey: Survey, form: QuestionForm, question: Question | None) -> HttpResponse:
    return render(
        request, "evaluation/survey_question_form.html", {"survey": survey, "form": form, "question": question}
    )


@require_http_methods(["GET", "POST"])
def survey_question_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, action="change")
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            question_add(actor=user, survey=survey, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("survey-detail", pk=survey.pk)
    return _form_page(request, survey, form, None)


@require_http_methods(["GET", "POST"])
def survey_question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, action="change")
    question = _question(survey, question_pk)
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question_update(actor=user, question=question, **form.service_fields())
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Question saved.")
                return redirect("survey-detail", pk=survey.pk)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question))
    return _form_page(request, survey, form, question)


def _change(request: HttpRequest, pk: int, question_pk: int, *, remove: bool) -> HttpResponse:
    user = _user(request)
    survey = survey_get_for_user(user=user, pk=pk, action="change")
    question = _question(survey, question_pk)
    try:
        if remove:
            question_remove(actor=user, question=question)
            messages.success(request, "Question removed.")
        else:
            question_move(actor=user, question=question, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("survey-detail", pk=survey.pk)


@require_POST
def survey_question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return _change(request, pk, question_pk, remove=True)


@require_POST
def survey_question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    return _change(request, pk, question_pk, remove=False)


urlpatterns: list[URLPattern] = [
    path("surveys/<int:pk>/questions/new/", survey_question_add, name="survey-question-add"),
    path("surveys/<int:pk>/questions/<int:question_pk>/edit/", survey_question_edit, name="survey-question-edit"),
    path("surveys/<int:pk>/questions/<int:question_pk>/remove/", survey_question_delete, name="survey-question-delete"),
    path("surveys/<int:pk>/questions/<int:question_pk>/move/", survey_question_move, name="survey-question-move"),
]
