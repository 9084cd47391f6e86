"""Views: hotspots and repeat locations in imported crime (every police user; partner users and
administrators are outsiders to crime data, 404), and the GeoJSON the map is drawn from."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from accounts.models import User
from evaluation.forms.hotspots import HotspotForm
from evaluation.selectors.hotspots import (
    Hotspots,
    Location,
    forces_held,
    hotspot_cells,
    hotspot_geojson,
    hotspot_locations,
    hotspot_top_locations,
    latest_month_held,
)
from problems.selectors.access import can_create_problem
from problems.selectors.problems import problem_list_neighbourhoods_for

GEOJSON = "application/geo+json"


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_police:
        raise Http404
    return user


def _form(request: HttpRequest, user: User) -> HotspotForm:
    return HotspotForm(request.GET or None, forces=forces_held(), areas=problem_list_neighbourhoods_for(user))


def _open_as_problem(found: Hotspots, place: Location) -> str:
    """The problem form, filled in from a top location: where, which LSOA, the category of the
    crime types and the counts as the evidence."""
    query = found.query
    types = ", ".join(query.crime_types) or "all crime types"
    period = f"{query.first_month:%B %Y} to {query.last_month:%B %Y}"
    evidence = (
        f"Imported crime data ({types}): {place.count} recorded at {place.location or 'this location'} "
        f"from {period}; {place.previous} in the {query.months} months before. The force's average "
        f"location had {found.force_average:.1f} in the same months."
    )
    values = {
        "latitude": f"{place.latitude:.6f}",
        "longitude": f"{place.longitude:.6f}",
        "lsoa_code": place.lsoa_code,
        "address": place.location,
        "category": query.category_code,
        "source": "crime_data",
        "description": evidence,
    }
    return reverse("problem-create") + "?" + urlencode({key: value for key, value in values.items() if value})


@require_GET
def hotspots(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _form(request, user)
    query = form.hotspot_query(latest_month_held())
    found = hotspot_locations(query) if query else None
    rows: list[tuple[Location, str]] = []
    if found is not None:
        can_open = can_create_problem(user)
        rows = [(place, _open_as_problem(found, place) if can_open else "") for place in found.locations]
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "found": found,
        "rows": rows,
        "data_url": reverse("crime-hotspots-data") + ("?" + request.GET.urlencode() if request.GET else ""),
    }
    return render(request, "evaluation/hotspots.html", context)


@require_GET
def hotspots_data(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _form(request, user)
    query = form.hotspot_query(latest_month_held())
    if query is None:
        return JsonResponse({"type": "FeatureCollection", "features": []}, content_type=GEOJSON)
    return JsonResponse(hotspot_geojson(hotspot_cells(query), hotspot_top_locations(query)), content_type=GEOJSON)


urlpatterns: list[URLPattern] = [
    path("crime/hotspots/", hotspots, name="crime-hotspots"),
    path("crime/hotspots/data.geojson", hotspots_data, name="crime-hotspots-data"),
]
