"""The schema and its browsable documentation, served from this site (drf-spectacular-sidecar's
copies of Swagger UI and Redoc: no CDN). They are pages like any other: signed in, with the second
factor (the LoginRequired and second-factor middleware apply again, where DRF's views opt out)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.views import APIView


def _as_page(view: Any) -> Any:
    view.login_required = True
    return view


schema_view = _as_page(SpectacularAPIView.as_view())
swagger_view = _as_page(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
redoc_view = _as_page(SpectacularRedocView.as_view(url_name="api-schema"))


class NotFound(APIView):
    """Any other address under /api/v1/: a JSON 404, as the API's own (not the site's HTML page)."""

    permission_classes: list[Any] = []
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []
    schema = None

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise Http404

    post = put = patch = delete = get
