"""Views: a problem's stakeholder map (the grid, the table, the gaps and, for the force,
partners an agreement would let it share with), adding and removing an entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.access import get_visible_or_404
from core.forms import form_add_service_errors
from problems.forms.stakeholders import ProblemStakeholderForm
from problems.models import ProblemStakeholder
from problems.selectors.access import can_change_problem, can_edit_problem_sections, problem_get_for_user
from problems.selectors.stakeholders import problem_stakeholder_map
from problems.services.stakeholders import problem_stakeholder_add, problem_stakeholder_remove

ADDED = "{name} is on the stakeholder map."
REMOVED = "{name} was removed from the stakeholder map."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _map_url(pk: int) -> str:
    return reverse("problem-stakeholders", kwargs={"pk": pk})


@require_GET
def problem_stakeholders(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk)
    can_change = can_change_problem(user, problem)
    context = {
        "problem": problem,
        "map": problem_stakeholder_map(user=user, problem=problem, suggest=can_change),
        "can_edit": can_edit_problem_sections(user, problem),
        "can_share": can_change,
    }
    return render(request, "problems/stakeholder_map.html", context)


@require_http_methods(["GET", "POST"])
def problem_stakeholder_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="edit")
    form = ProblemStakeholderForm(request.POST or None, problem=problem, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = problem_stakeholder_add(actor=user, problem=problem, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, ADDED.format(name=entry.display_name))
            return redirect(_map_url(problem.pk))
    return render(request, "problems/stakeholder_form.html", {"problem": problem, "form": form})


@require_POST
def problem_stakeholder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    entry = get_visible_or_404(ProblemStakeholder.objects.select_related("contact", "organisation"), pk=pk)
    problem_get_for_user(user=user, pk=entry.problem_id, action="edit")
    name = entry.display_name
    problem_stakeholder_remove(actor=user, entry=entry)
    messages.success(request, REMOVED.format(name=name))
    return redirect(_map_url(entry.problem_id))


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/stakeholders/", problem_stakeholders, name="problem-stakeholders"),
    path("problems/<int:pk>/stakeholders/new/", problem_stakeholder_new, name="problem-stakeholder-create"),
    path("problem-stakeholders/<int:pk>/delete/", problem_stakeholder_delete, name="problem-stakeholder-delete"),
]
