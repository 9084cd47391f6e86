"""Views: the problem list, logging and editing a problem, and its reviews. Thin: fetch through the
access helper, bind a form, call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.audit import audit_list_search
from core.forms import form_add_service_errors
from core.pagination import paginate
from problems.forms.problems import ProblemFilterForm, ProblemForm, ReviewForm
from problems.models import Problem
from problems.selectors.access import can_create_problem, can_reassign_problems, problem_get_for_user
from problems.selectors.problems import problem_list_visible_to, review_list_for_problem
from problems.services.problems import problem_create, problem_review_record, problem_update

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProblemFilterForm(request.GET or None, user=user)
    problems = problem_list_visible_to(user=user, **form.filters(user))
    page = paginate(request, problems, PAGE_SIZE)
    audit_list_search(actor=user, page="problem-list", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": can_create_problem(user),
        "can_reassign": can_reassign_problems(user),
    }
    return render(request, "problems/problem_list.html", context)


@require_http_methods(["GET", "POST"])
def problem_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_create_problem(user):
        raise PermissionDenied
    if request.method == "POST":
        form = ProblemForm(request.POST, force=user.organisation)
    else:
        form = ProblemForm(initial=ProblemForm.initial_from_query(request.GET), force=user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_create(actor=user, **form.service_fields())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Problem {problem.reference} logged. Its first review is due on {problem.next_review_date:%d %B %Y}.",
            )
            return redirect(reverse("problem-detail", kwargs={"pk": problem.pk}))
    return render(request, "problems/problem_form.html", {"form": form, "problem": None})


@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change", queryset=_with_force())
    if request.method == "POST":
        form = ProblemForm(request.POST, force=problem.owning_organisation, problem=problem)
        if form.is_valid():
            try:
                problem_update(
                    actor=user,
                    problem=problem,
                    reschedule_review=form.cleaned_data["reschedule_review"],
                    seen_version=form.seen_version,
                    **form.service_fields(),
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"Problem {problem.reference} saved.")
                return redirect(reverse("problem-detail", kwargs={"pk": problem.pk}))
    else:
        form = ProblemForm(initial=ProblemForm.initial_for(problem), force=problem.owning_organisation, problem=problem)
    return render(request, "problems/problem_form.html", {"form": form, "problem": problem})


@require_http_methods(["GET", "POST"])
def problem_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="review")
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = problem_review_record(actor=user, problem=problem, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Review recorded. The next review is due on {review.next_review_date:%d %B %Y}.")
            return redirect("problem-review", pk=problem.pk)
    context: dict[str, Any] = {
        "form": form,
        "problem": problem,
        "reviews": review_list_for_problem(problem=problem),
    }
    return render(request, "problems/review_form.html", context)


def _with_force() -> Any:
    return Problem.objects.select_related("owning_organisation", "category", "neighbourhood")


urlpatterns: list[URLPattern] = [
    path("problems/", problem_list, name="problem-list"),
    path("problems/new/", problem_create_view, name="problem-create"),
    path("problems/<int:pk>/edit/", problem_edit, name="problem-edit"),
    path("problems/<int:pk>/review/", problem_review, name="problem-review"),
]
