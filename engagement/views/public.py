"""The public "You said, we did" page of a neighbourhood: no sign-in, and as CSV and JSON.

Only priorities adopted at some point are listed (PUBLISHED_STATUSES), in police.uk's priority
shape: issue, action, issue date, action date. The action is the latest one recorded (police.uk
gives one action per priority; the HTML page lists the earlier ones too). Nothing personal is
published: no names of officers or residents, no attendance, no problem records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from core.csv_export import csv_writer
from engagement.models import CommunityPriority
from engagement.selectors.lists import published_priorities_for
from partnerships.models import Neighbourhood

CSV_HEADER = ("issue", "issue-date", "action", "action-date", "status")


def _neighbourhood(slug: str) -> Neighbourhood:
    return get_object_or_404(Neighbourhood.objects.only("pk", "name", "slug"), slug=slug, active=True)


def _row(priority: CommunityPriority) -> dict[str, Any]:
    """One priority as police.uk shapes it (dates as ISO strings; no action yet: empty/None)."""
    actions = list(priority.actions.all())
    latest = actions[0] if actions else None
    return {
        "issue": priority.issue,
        "issue-date": priority.issue_date.isoformat(),
        "action": latest.description if latest else None,
        "action-date": latest.taken_on.isoformat() if latest else None,
        "status": priority.get_status_display(),
    }


@login_not_required
@require_GET
def you_said_we_did(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = _neighbourhood(slug)
    priorities = list(published_priorities_for(neighbourhood=neighbourhood))
    return render(
        request, "engagement/you_said_we_did.html", {"neighbourhood": neighbourhood, "priorities": priorities}
    )


@login_not_required
@require_GET
def you_said_we_did_csv(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = _neighbourhood(slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="you-said-we-did-{neighbourhood.slug}.csv"'
    # The public CSV is opened by anyone: the writer defuses cells a spreadsheet would run.
    writer = csv_writer(response)
    writer.writerow(CSV_HEADER)
    for priority in published_priorities_for(neighbourhood=neighbourhood):
        row = _row(priority)
        writer.writerow(row[key] for key in CSV_HEADER)
    return response


@login_not_required
@require_GET
def you_said_we_did_json(request: HttpRequest, slug: str) -> JsonResponse:
    neighbourhood = _neighbourhood(slug)
    rows = [_row(priority) for priority in published_priorities_for(neighbourhood=neighbourhood)]
    return JsonResponse({"neighbourhood": neighbourhood.name, "priorities": rows})


urlpatterns: list[URLPattern] = [
    path("you-said-we-did/<slug:slug>/", you_said_we_did, name="you-said-we-did"),
    path("you-said-we-did/<slug:slug>.csv", you_said_we_did_csv, name="you-said-we-did-csv"),
    path("you-said-we-did/<slug:slug>.json", you_said_we_did_json, name="you-said-we-did-json"),
]
