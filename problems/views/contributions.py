"""Views: updates, attachments and completing an action assigned to your organisation. Thin: fetch
through the access helpers, bind a form, call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.forms import form_add_service_errors
from problems.forms.contributions import AttachmentForm, UpdateForm
from problems.selectors.access import problem_get_for_user
from problems.selectors.contributions import action_get_for_contributor, attachment_get_for_user
from problems.services import contributions as services


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
def problem_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="contribute")
    form = UpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update_add(
                actor=_user(request),
                problem=problem,
                text=form.cleaned_data["text"],
                data_category=form.cleaned_data["data_category"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Update added.")
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "problems/update_form.html", {"form": form, "problem": problem})


@require_http_methods(["GET", "POST"])
def problem_attachment_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, action="contribute")
    form = AttachmentForm(request.POST, request.FILES) if request.method == "POST" else AttachmentForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_attachment_add(
                actor=_user(request),
                problem=problem,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                data_category=form.cleaned_data["data_category"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "File attached.")
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "problems/attachment_form.html", {"form": form, "problem": problem})


@require_GET
def problem_attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = attachment_get_for_user(user=_user(request), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.attachment_downloaded(actor=_user(request), attachment=attachment)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get_for_contributor(user=_user(request), pk=pk)
    try:
        services.action_complete_by_partner(actor=_user(request), action=action)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Action marked as done.")
    return redirect("problem-detail", pk=action.problem_id)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/updates/new/", problem_update_create, name="problem-update-create"),
    path("problems/<int:pk>/attachments/new/", problem_attachment_create, name="problem-attachment-create"),
    path("attachments/<int:pk>/", problem_attachment_download, name="problem-attachment-download"),
    path("actions/<int:pk>/complete/", action_complete, name="action-complete"),
]
