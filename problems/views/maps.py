"""The problem map: the problem list's filters and access policy, drawn as a map (with a table of
the same problems), and the GeoJSON the map is drawn from."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from accounts.models import User
from core.audit import audit_list_search
from problems.forms.problems import ProblemFilterForm
from problems.models import Stage
from problems.selectors.maps import problem_map_for, problem_map_geojson

GEOJSON = "application/geo+json"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def problem_map(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProblemFilterForm(request.GET or None, user=user)
    found = problem_map_for(user=user, **form.filters(user))
    audit_list_search(actor=user, page="problem-map", parameters=request.GET)
    context = {
        "form": form,
        "found": found,
        "query": request.GET.urlencode(),
        "stages": Stage.choices,
    }
    return render(request, "problems/problem_map.html", context)


@require_GET
def problem_map_data(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProblemFilterForm(request.GET or None, user=user)
    found = problem_map_for(user=user, **form.filters(user))
    audit_list_search(actor=user, page="problem-map-data", parameters=request.GET)
    return JsonResponse(problem_map_geojson(found.problems), content_type=GEOJSON)


urlpatterns: list[URLPattern] = [
    path("problems/map/", problem_map, name="problem-map"),
    path("problems/map/data.geojson", problem_map_data, name="problem-map-data"),
]
