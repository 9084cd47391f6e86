"""The user's own notification settings (whether to receive the weekly digest)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from accounts.forms import NotificationSettingsForm
from accounts.models import User
from accounts.services import user_set_notification_preferences

SAVED = "Your notification settings have been saved."


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {"receives_weekly_digest": "yes" if user.receives_weekly_digest else "no"}
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_set_notification_preferences(
            actor=user, receives_weekly_digest=form.cleaned_data["receives_weekly_digest"]
        )
        messages.success(request, SAVED)
        return redirect("notification-settings")
    return render(request, "accounts/notification_settings.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("account/notifications/", notification_settings, name="notification-settings"),
]
