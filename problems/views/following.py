"""View: follow a problem (choosing the daily digest or not), or stop following it. Anyone who can
see the problem may; outsiders get 404. Thin: fetch with the access helper, bind a form, call one
service, redirect to the problem page with a message."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from accounts.models import User
from problems.forms.following import FollowForm
from problems.selectors.access import problem_get_for_user
from problems.services.following import problem_follow, problem_unfollow

FOLLOWING = "You are following {reference}: its news will appear under the bell."
FOLLOWING_WITH_DIGEST = "You are following {reference}, with a daily digest email."
UNFOLLOWED = "You no longer follow {reference}."


@require_POST
def problem_follow_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    problem = problem_get_for_user(user=user, pk=pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("choice", []):
            messages.error(request, str(message))
    elif form.cleaned_data["choice"] == FollowForm.UNFOLLOW:
        problem_unfollow(actor=user, problem=problem)
        messages.success(request, UNFOLLOWED.format(reference=problem.reference))
    else:
        follower = problem_follow(actor=user, problem=problem, digest=form.cleaned_data["digest"])
        message = FOLLOWING_WITH_DIGEST if follower.digest else FOLLOWING
        messages.success(request, message.format(reference=problem.reference))
    return redirect("problem-detail", pk=problem.pk)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/follow/", problem_follow_view, name="problem-follow"),
]
