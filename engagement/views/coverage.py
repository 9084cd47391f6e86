"""View: the seldom-heard coverage grid, by neighbourhood and group, for a period."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from engagement.forms.coverage import CoverageForm
from engagement.selectors.coverage import coverage_grid, default_period
from engagement.selectors.lists import neighbourhood_choices_for
from engagement.views.common import request_user


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    start, end = default_period()
    form = CoverageForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    neighbourhood = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        neighbourhood = form.cleaned_data["neighbourhood"]
    elif not form.is_bound:
        form = CoverageForm(initial={"start": start, "end": end}, neighbourhoods=neighbourhood_choices_for(user))
    # Invalid input: the errors are shown and the default period's grid below them.
    grid = coverage_grid(user=user, start=start, end=end, neighbourhood=neighbourhood)
    return render(request, "engagement/coverage.html", {"form": form, "grid": grid})


urlpatterns: list[URLPattern] = [
    path("engagement/coverage/", coverage, name="coverage"),
]
