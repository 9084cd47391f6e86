"""Views: the user's notifications and marking them read. Thin: fetch with the access helper, call
one service, redirect or render. Everyone signed in has their own list; another user's
notification is 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.notifications import (
    notification_get_for_user,
    notification_list_for,
    notification_mark_read,
    notifications_mark_all_read,
)
from core.pagination import paginate

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, notification_list_for(user=_user(request)), PAGE_SIZE)
    return render(request, "core/notification_list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; then open what it is about if asked (`open`), else back to the list."""
    user = _user(request)
    notification = notification_get_for_user(user=user, pk=pk)
    notification_mark_read(actor=user, notification=notification)
    link = notification.link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("notification-list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=_user(request))
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notification-list")


urlpatterns: list[URLPattern] = [
    path("notifications/", notification_list, name="notification-list"),
    path("notifications/<int:pk>/read/", notification_read, name="notification-read"),
    path("notifications/read-all/", notification_read_all, name="notification-read-all"),
]
