"""The engagement map: events where they were held and each neighbourhood's open priorities, with
a table by neighbourhood, and the GeoJSON the map is drawn from (the event list's visibility)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from core.audit import audit_list_search
from engagement.forms.events import NeighbourhoodFilterForm
from engagement.selectors.lists import neighbourhood_choices_for
from engagement.selectors.maps import engagement_map_for, engagement_map_geojson
from engagement.views.common import request_user


@require_GET
def engagement_map(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NeighbourhoodFilterForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    areas = engagement_map_for(user=user, neighbourhood=form.chosen())
    audit_list_search(actor=user, page="engagement-map", parameters=request.GET)
    context = {"form": form, "areas": areas, "query": request.GET.urlencode()}
    return render(request, "engagement/engagement_map.html", context)


@require_GET
def engagement_map_data(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NeighbourhoodFilterForm(request.GET or None, neighbourhoods=neighbourhood_choices_for(user))
    areas = engagement_map_for(user=user, neighbourhood=form.chosen())
    return JsonResponse(engagement_map_geojson(areas), content_type="application/geo+json")


urlpatterns: list[URLPattern] = [
    path("engagement/map/", engagement_map, name="engagement-map"),
    path("engagement/map/data.geojson", engagement_map_data, name="engagement-map-data"),
]
