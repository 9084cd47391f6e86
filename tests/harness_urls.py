"""The project's URLs plus one page nobody added to the access matrix (see test_access_harness)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("forgotten/", lambda request: HttpResponse("forgotten"), name="forgotten-page"),
    path("nameless/", lambda request: HttpResponse("nameless")),
]
