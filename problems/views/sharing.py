"""Views: sharing a problem with a partner, revoking a share, and the partner's "Shared with us"
list. Thin: fetch with an access helper, bind a form, call one service, redirect or render.

"Shared with us" for a police user: an empty list with an explanation (200), not 404: the page
exists for everyone signed in, and it is only the navigation that offers it to partner roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.audit import audit_list_search
from core.forms import form_add_service_errors
from core.pagination import paginate
from problems.forms.sharing import SharedWithUsFilterForm, ShareForm, ShareRevokeForm
from problems.selectors.access import problem_get_for_user
from problems.selectors.sharing import share_get_for_user, shared_with_us_list
from problems.services.contributions import problem_list_consulted
from problems.services.sharing import share_create, share_revoke

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
def problem_share(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change")
    # `?organisation=<pk>` (the link offered when an action is assigned to an organisation that
    # cannot see the problem) chooses it; anything not on the list chooses nothing.
    chosen = request.GET.get("organisation", "")
    initial = {"organisation": chosen} if chosen.isdigit() else {}
    form = ShareForm(request.POST or None, problem=problem, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            share = share_create(actor=user, problem=problem, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{problem.reference} is now shared with {share.organisation.name}.")
            return redirect("problem-detail", pk=problem.pk)
    # What each agreement on offer covers, shown before the form is sent (the same rows the
    # agreement choice lists: one query for them, one for their parties, one for their categories).
    agreements = list(form.fields["agreement"].queryset)  # type: ignore[attr-defined]
    return render(request, "problems/share_form.html", {"problem": problem, "form": form, "agreements": agreements})


@require_http_methods(["GET", "POST"])
def share_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    share = share_get_for_user(user=user, pk=pk)
    form = ShareRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            share_revoke(actor=user, share=share, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"The share with {share.organisation.name} has been revoked.")
            return redirect("problem-detail", pk=share.problem_id)
    return render(request, "problems/share_revoke.html", {"share": share, "problem": share.problem, "form": form})


@require_GET
def shared_with_us(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SharedWithUsFilterForm(request.GET or None)
    problems = shared_with_us_list(user=user, **form.filters())
    page = paginate(request, problems, PAGE_SIZE)
    # Iterating the page loads its rows once (the template reuses them).
    problem_list_consulted(actor=user, problems=page, page="shared_with_us")
    audit_list_search(actor=user, page="shared-with-us", parameters=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "is_partner": user.is_partner}
    return render(request, "problems/shared_with_us.html", context)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/share/", problem_share, name="problem-share"),
    path("shares/<int:pk>/revoke/", share_revoke_view, name="share-revoke"),
    path("shared-with-us/", shared_with_us, name="shared-with-us"),
]
