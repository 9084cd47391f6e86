"""Views: the breach log (list, record, page, change, actions), for the force's data protection
officer. Thin: fetch through the access helper, bind a form, call one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import form_add_service_errors
from core.pagination import paginate
from dataprotection.forms import BreachActionForm, BreachForm
from dataprotection.models import BreachAction
from dataprotection.selectors.access import breach_get_for_user, can_keep_breach_log, require
from dataprotection.selectors.breaches import (
    breach_agreement_choices,
    breach_detail_queryset,
    breach_list_for,
    breach_share_choices,
)
from dataprotection.services.breaches import breach_action_add, breach_action_complete, breach_record, breach_update
from dataprotection.views.common import PAGE_SIZE, request_user


@require_GET
def breach_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_keep_breach_log(user))
    page = paginate(request, breach_list_for(user=user), PAGE_SIZE)
    return render(request, "dataprotection/breach_list.html", {"page": page, "now": timezone.now()})


def _form(request: HttpRequest, **kwargs: object) -> BreachForm:
    user = request_user(request)
    return BreachForm(
        request.POST if request.method == "POST" else None,
        shares=breach_share_choices(user=user),
        agreements=breach_agreement_choices(user=user),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def breach_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(can_keep_breach_log(user))
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breach_record(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Breach {breach.reference} recorded. The report to the ICO is due within 72 hours of finding it.",
            )
            return redirect("breach-detail", pk=breach.pk)
    return render(request, "dataprotection/breach_form.html", {"form": form, "breach": None})


@require_GET
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    breach = breach_get_for_user(user=user, pk=pk, queryset=breach_detail_queryset())
    context = {"breach": breach, "action_form": BreachActionForm(), "now": timezone.now()}
    return render(request, "dataprotection/breach_detail.html", context)


@require_http_methods(["GET", "POST"])
def breach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    breach = breach_get_for_user(user=user, pk=pk)
    form = _form(request, initial=BreachForm.initial_for(breach)) if request.method == "GET" else _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            breach_update(actor=user, breach=breach, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Breach {breach.reference} saved.")
            return redirect("breach-detail", pk=breach.pk)
    return render(request, "dataprotection/breach_form.html", {"form": form, "breach": breach})


@require_http_methods(["GET", "POST"])
def breach_action_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    breach = breach_get_for_user(user=user, pk=pk)
    form = BreachActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        breach_action_add(actor=user, breach=breach, **form.cleaned_data)
        messages.success(request, "Action added.")
        return redirect("breach-detail", pk=breach.pk)
    return render(request, "dataprotection/breach_action_form.html", {"form": form, "breach": breach})


@require_POST
def breach_action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    user = request_user(request)
    breach = breach_get_for_user(user=user, pk=pk)
    action = BreachAction.objects.filter(breach=breach, pk=action_pk).first()
    if action is None:
        raise Http404
    try:
        breach_action_complete(actor=user, action=action)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Action marked done.")
    return redirect("breach-detail", pk=breach.pk)


urlpatterns: list[URLPattern] = [
    path("data-protection/breaches/", breach_list, name="breach-list"),
    path("data-protection/breaches/new/", breach_create, name="breach-create"),
    path("data-protection/breaches/<int:pk>/", breach_detail, name="breach-detail"),
    path("data-protection/breaches/<int:pk>/edit/", breach_edit, name="breach-edit"),
    path("data-protection/breaches/<int:pk>/actions/", breach_action_add_view, name="breach-action-add"),
    path(
        "data-protection/breaches/<int:pk>/actions/<int:action_pk>/done/",
        breach_action_done,
        name="breach-action-done",
    ),
]
