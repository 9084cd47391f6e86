"""Views: partner referrals (propose, list, see the outcome; a supervisor accepts or declines) and
naming a problem's lead agency. Thin: access helper, form, one service, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.forms import form_add_service_errors
from problems.forms.referrals import LeadAgencyForm, ReferralAcceptForm, ReferralDeclineForm, ReferralForm
from problems.models import ReferralStatus
from problems.selectors.access import problem_get_for_user
from problems.selectors.lead_agency import lead_agency_choices
from problems.selectors.referrals import (
    can_decide_referral,
    can_refer,
    referral_get_for_user,
    referral_list_for,
)
from problems.services.lead_agency import problem_set_lead_agency
from problems.services.referrals import REFERRAL_NOT_PARTNER, referral_accept, referral_create, referral_decline

REFERRED = "Your referral was sent. You will see the outcome here."
ACCEPTED = "The referral was accepted as {reference}, and shared with {organisation}."
DECLINED = "The referral was declined. {organisation} will see your reason."
LEAD_SET = "The lead agency is now {organisation}."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """Partners: their organisation's referrals and outcomes; police: the referrals received.
    One query: the referrals with their organisations, recipients, problems and people."""
    user = _user(request)
    return render(
        request,
        "problems/referral_list.html",
        {"referrals": list(referral_list_for(user=user)), "can_refer": can_refer(user)},
    )


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_refer(user):
        raise PermissionDenied(REFERRAL_NOT_PARTNER)
    form = ReferralForm(request.POST or None, organisation=user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referral_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, REFERRED)
            return redirect("referral-detail", pk=referral.pk)
    return render(request, "problems/referral_form.html", {"form": form})


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user=user, pk=pk)
    can_decide = referral.status == ReferralStatus.PENDING and can_decide_referral(user, referral)
    return render(request, "problems/referral_detail.html", {"referral": referral, "can_decide": can_decide})


@require_http_methods(["GET", "POST"])
def referral_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user=user, pk=pk, action="decide")
    form = ReferralAcceptForm(request.POST or None, force=user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            problem = referral_accept(actor=user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            organisation = referral.referring_organisation.name
            messages.success(request, ACCEPTED.format(reference=problem.reference, organisation=organisation))
            return redirect("problem-detail", pk=problem.pk)
    return render(request, "problems/referral_accept.html", {"referral": referral, "form": form})


@require_http_methods(["GET", "POST"])
def referral_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = referral_get_for_user(user=user, pk=pk, action="decide")
    form = ReferralDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_decline(actor=user, referral=referral, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, DECLINED.format(organisation=referral.referring_organisation.name))
            return redirect("referral-detail", pk=referral.pk)
    return render(request, "problems/referral_decline.html", {"referral": referral, "form": form})


@require_http_methods(["GET", "POST"])
def problem_lead_agency(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = problem_get_for_user(user=user, pk=pk, action="change")
    form = LeadAgencyForm(
        request.POST or None,
        choices=lead_agency_choices(problem=problem),
        initial={"organisation": problem.lead_organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_set_lead_agency(
                actor=user, problem=problem, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            name = (problem.lead_organisation or problem.owning_organisation).name
            messages.success(request, LEAD_SET.format(organisation=name))
            return redirect(reverse("problem-detail", kwargs={"pk": problem.pk}))
    return render(request, "problems/lead_agency_form.html", {"problem": problem, "form": form})


urlpatterns: list[URLPattern] = [
    path("referrals/", referral_list, name="referral-list"),
    path("referrals/new/", referral_new, name="referral-create"),
    path("referrals/<int:pk>/", referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", referral_accept_view, name="referral-accept"),
    path("referrals/<int:pk>/decline/", referral_decline_view, name="referral-decline"),
    path("problems/<int:pk>/lead-agency/", problem_lead_agency, name="problem-lead-agency"),
]
