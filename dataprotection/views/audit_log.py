"""Views: the audit viewer and its CSV export, for supervisors (their force's events) and the
data protection officer (all of their force's). Each look and each export is itself recorded."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.csv_export import csv_writer
from core.pagination import paginate
from dataprotection.forms import AuditFilterForm
from dataprotection.selectors.access import can_read_audit_log, require
from dataprotection.selectors.audit_log import audit_event_list
from dataprotection.services.consultation import audit_log_exported, audit_log_searched
from dataprotection.templatetags.audit_tags import audit_detail
from dataprotection.views.common import PAGE_SIZE, csv_response, request_user

EXPORT_HEADINGS = [
    "Time",
    "Who",
    "Email",
    "Organisation",
    "Kind of event",
    "Object type",
    "Object id",
    "Detail",
    "Address",
    "Position in the chain",
]
EXPORT_NOT_MADE = "The export was not made: correct the filters first."


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_read_audit_log(user))
    query = request.GET.copy()
    query.pop("page", None)
    form = AuditFilterForm(query or None)
    filters = form.filters()
    page = paginate(request, audit_event_list(user=user, filters=filters), PAGE_SIZE)
    audit_log_searched(actor=user, filters=filters, page=page.number)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "export_query": query.urlencode() if not form.errors else "",
    }
    return render(request, "dataprotection/audit_log.html", context)


@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_read_audit_log(user))
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, EXPORT_NOT_MADE)
        return redirect(f"{reverse('audit-log')}?{request.GET.urlencode()}")
    filters = form.filters()
    events = audit_event_list(user=user, filters=filters)
    # Logged before the rows go, so that an interrupted download is on the record too.
    audit_log_exported(actor=user, filters=filters, rows=events.count())
    response = csv_response("audit-log")
    writer = csv_writer(response)
    writer.writerow(EXPORT_HEADINGS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor.full_name if event.actor else "System",
                event.actor.email if event.actor else "",
                event.actor_organisation.name if event.actor_organisation else "",
                event.verb,
                event.target_type,
                event.target_id,
                audit_detail(event.detail),
                event.ip or "",
                event.seq,
            ]
        )
    return response


urlpatterns: list[URLPattern] = [
    path("audit-log/", audit_log, name="audit-log"),
    path("audit-log/export/", audit_log_export, name="audit-log-export"),
]
