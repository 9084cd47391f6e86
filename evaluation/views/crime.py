"""Views: uploading a data.police.uk crime file (analysts), following its import, and the unit
costs of crime. Thin: check who may, bind a form, call one service, redirect or render.

Who: imports are for the police analysts (officers and supervisors get 403); partner users and
administrators are outsiders to crime data (404). An import run is seen by the analysts of the
organisation that started it; one run from the command line (no organisation), by every police
analyst. Unit costs: every police user reads them; analysts and supervisors change them (officers
get 403 on a change)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.forms import form_add_service_errors
from evaluation.forms.crime import CrimeUploadForm, UnitCostForm
from evaluation.models import CrimeImportRun, CrimeUnitCost
from evaluation.selectors.assessment_access import can_edit_unit_costs
from evaluation.selectors.cost_benefit import unit_cost_rows
from evaluation.selectors.crime import (
    crime_import_require_analyst,
    crime_import_run_get_for_user,
    crime_import_runs_for,
)
from evaluation.services.assessment import unit_cost_save
from evaluation.services.crime_import import expected_header
from evaluation.services.crime_uploads import crime_import_start


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_police(user: User) -> None:
    if not user.is_police:
        raise Http404


def _run_for(user: User, pk: int) -> CrimeImportRun:
    return crime_import_run_get_for_user(user=user, pk=pk)


@require_http_methods(["GET", "POST"])
def crime_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    crime_import_require_analyst(user)
    form = CrimeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = crime_import_start(actor=user, upload=form.cleaned_data["file"])
        # No "being imported" message: the run's page says what became of it when it is shown
        # (being imported, or failed because the queue refused it), from the run itself.
        return redirect("crime-import-detail", pk=run.pk)
    context = {"form": form, "runs": crime_import_runs_for(user=user), "expected_header": expected_header()}
    return render(request, "evaluation/crime_import.html", context)


@require_GET
def crime_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(_user(request), pk)
    return render(request, "evaluation/crime_import_detail.html", {"run": run})


@require_GET
def crime_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by htmx until the run has finished."""
    run = _run_for(_user(request), pk)
    return render(request, "evaluation/crime_import_progress.html", {"run": run})


def _unit_cost_forms(data: Any = None, bound_type: str = "") -> list[tuple[str, CrimeUnitCost | None, UnitCostForm]]:
    rows = []
    for kind, unit in unit_cost_rows():
        initial: dict[str, Any] = {"crime_type": kind}
        if unit is not None:
            initial.update(cost=unit.cost, source=unit.source, year=unit.year)
        form = UnitCostForm(data if kind == bound_type else None, initial=initial)
        rows.append((kind, unit, form))
    return rows


@require_http_methods(["GET", "POST"])
def crime_unit_costs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_police(user)
    can_edit = can_edit_unit_costs(user)
    bound_type = ""
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        bound_type = request.POST.get("crime_type", "")
        form = UnitCostForm(request.POST, initial={"crime_type": bound_type})
        if form.is_valid():
            try:
                unit_cost_save(actor=user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"Unit cost of {form.cleaned_data['crime_type']} saved.")
                return redirect("crime-unit-costs")
        rows = [(kind, unit, form if kind == bound_type else other) for kind, unit, other in _unit_cost_forms()]
        invalid: UnitCostForm | None = form
    else:
        rows, invalid = _unit_cost_forms(), None
    context = {"rows": rows, "can_edit": can_edit, "form": invalid}
    return render(request, "evaluation/crime_unit_costs.html", context)


urlpatterns: list[URLPattern] = [
    path("crime/import/", crime_import, name="crime-import"),
    path("crime/import/<int:pk>/", crime_import_detail, name="crime-import-detail"),
    path("crime/import/<int:pk>/progress/", crime_import_progress, name="crime-import-progress"),
    path("crime/unit-costs/", crime_unit_costs, name="crime-unit-costs"),
]
