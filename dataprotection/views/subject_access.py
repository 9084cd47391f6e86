"""Views: subject-access search and its CSV export, for the force's data protection officer.
Every search and every export is recorded (dataprotection.services.consultation)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from core.csv_export import csv_writer
from core.emails import absolute_url
from dataprotection.forms import SubjectAccessForm
from dataprotection.selectors.access import can_search_subject_access, require
from dataprotection.selectors.subject_access import subject_access_search
from dataprotection.services.consultation import subject_access_exported, subject_access_searched
from dataprotection.views.common import csv_response, request_user

EXPORT_HEADINGS = ["Kind of record", "Reference", "Field", "Snippet", "Date", "Link"]
EXPORT_NOT_MADE = "The export was not made: correct the search first."


@require_GET
def subject_access(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_search_subject_access(user))
    form = SubjectAccessForm(request.GET if "q" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = subject_access_search(user=user, term=form.cleaned_data["q"])
        subject_access_searched(actor=user, result=result)
    context = {
        "form": form,
        "result": result,
        "export_query": urlencode({"q": result.term}) if result else "",
    }
    return render(request, "dataprotection/subject_access.html", context)


@require_GET
def subject_access_export(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_search_subject_access(user))
    form = SubjectAccessForm(request.GET)
    if not form.is_valid():
        messages.error(request, EXPORT_NOT_MADE)
        return redirect(f"{reverse('subject-access')}?{request.GET.urlencode()}")
    result = subject_access_search(user=user, term=form.cleaned_data["q"])
    subject_access_exported(actor=user, result=result)
    response = csv_response("subject-access")
    writer = csv_writer(response)
    writer.writerow(EXPORT_HEADINGS)
    for match in result.matches:
        when = (
            match.when.strftime("%Y-%m-%d %H:%M" if hasattr(match.when, "hour") else "%Y-%m-%d") if match.when else ""
        )
        writer.writerow([match.kind, match.reference, match.field, match.snippet, when, absolute_url(match.link)])
    return response


urlpatterns: list[URLPattern] = [
    path("data-protection/subject-access/", subject_access, name="subject-access"),
    path("data-protection/subject-access/export/", subject_access_export, name="subject-access-export"),
]
