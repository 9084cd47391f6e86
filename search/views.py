"""The search page: /search/?q=... (GET only: a search changes nothing but the audit log)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from accounts.models import User
from core.audit import audit_list_search
from search.forms import SearchForm
from search.selectors import site_search


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # Opened without a query (the address typed, or a link), the page only offers the box.
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = site_search(user=user, query=form.cleaned_data["q"])
        # DPA 2018 s.62: a search is a consultation of what it finds.
        audit_list_search(actor=user, page="search", parameters={"q": form.cleaned_data["q"]})
    return render(request, "search/search_results.html", {"form": form, "results": results})


urlpatterns: list[URLPattern] = [path("search/", search, name="search")]
