"""Views: retention reviews of closed problems (the list of what is due, one problem's review:
retain with a reason and a new date, or dispose after a confirmation). For the force's supervisors
and data protection officers; the pages show metadata and counts, never case text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role, User
from core.forms import form_add_service_errors
from core.pagination import paginate
from problems.forms.retention import DisposeForm, RetainForm
from problems.models import Problem
from problems.retention_parts import disposal_parts
from problems.selectors.retention import (
    retention_check_access,
    retention_list_disposed_for,
    retention_list_due_for,
    retention_problem_get_for_user,
    retention_reviews_of,
)
from problems.services.retention import problem_dispose, problem_retention_retain

DISPOSED_SHOWN = 10


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def retention_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    retention_check_access(user)
    page = paginate(request, retention_list_due_for(user=user))
    disposed = list(retention_list_disposed_for(user=user)[: DISPOSED_SHOWN + 1])
    return render(
        request,
        "problems/retention_list.html",
        {"page": page, "disposed": disposed[:DISPOSED_SHOWN], "more_disposed": len(disposed) > DISPOSED_SHOWN},
    )


def _review_context(request: HttpRequest, problem: Problem, form: forms.Form | None = None) -> dict[str, Any]:
    user = _user(request)
    disposal = getattr(problem, "disposal", None) if problem.disposed_at else None
    return {
        "problem": problem,
        "disposal": disposal,
        # Before disposal, counted now; after it, as the disposal record kept them.
        "counts": disposal.counts.items()
        if disposal
        else [(part.label, part.count(problem)) for part in disposal_parts()],
        "reviews": retention_reviews_of(problem=problem),
        "form": form if form is not None else RetainForm(),
        # The DPO sees no case record; a supervisor may open the problem.
        "can_open_problem": user.role == Role.SUPERVISOR,
    }


@require_http_methods(["GET", "POST"])
def retention_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = retention_problem_get_for_user(user=user, pk=pk)
    form = RetainForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            problem_retention_retain(
                actor=user,
                problem=problem,
                reason=form.cleaned_data["reason"],
                next_review_date=form.cleaned_data["next_review_date"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{problem.reference} is kept; its next retention review is recorded.")
            return redirect("retention-list")
    return render(request, "problems/retention_review.html", _review_context(request, problem, form))


@require_http_methods(["GET", "POST"])
def retention_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = retention_problem_get_for_user(user=user, pk=pk)
    form = DisposeForm(request.POST) if request.method == "POST" else DisposeForm()
    if request.method == "POST" and form.is_valid():
        try:
            problem_dispose(actor=user, problem=problem, confirmed=form.cleaned_data["confirm"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{problem.reference} was disposed of. Only its metadata record is kept.")
            return redirect("retention-review", pk=problem.pk)
    return render(
        request,
        "problems/retention_dispose.html",
        {"problem": problem, "form": form, "counts": [(p.label, p.count(problem)) for p in disposal_parts()]},
    )


urlpatterns: list[URLPattern] = [
    path("retention/", retention_list, name="retention-list"),
    path("retention/<int:pk>/", retention_review, name="retention-review"),
    path("retention/<int:pk>/dispose/", retention_dispose, name="retention-dispose"),
]
