"""The account's API tokens page: make a token (shown once), list them with their last use, revoke
one. Every page needs a verified second factor (accounts.middleware.RequireSecondFactorMiddleware),
so a token is only ever made after it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from api.forms import TokenForm
from api.selectors import token_get_for_user, token_list_for
from api.services import MadeToken, token_create, token_revoke
from core.forms import form_add_service_errors

REVOKED = "The token \u201c{name}\u201d was revoked: it no longer works."


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# The new token's text waits in the session between the POST and the page it is shown on (a
# redirect, so that reloading the page never makes a second token), and is removed as it is shown.
NEW_TOKEN_SESSION_KEY = "api_new_token"  # noqa: S105 (a session key)


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = token_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"pk": created.token.pk, "text": created.text}
            return redirect("api-token-list")
    tokens = list(token_list_for(user=user))
    shown = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    new: MadeToken | None = None
    if shown is not None:
        token = next((t for t in tokens if t.pk == shown["pk"]), None)
        new = MadeToken(token=token, text=shown["text"]) if token is not None else None
    context = {"form": form, "made": new, "tokens": tokens, "now": timezone.now()}
    return render(request, "api/token_list.html", context)


@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = token_get_for_user(user=user, pk=pk)
    try:
        token_revoke(actor=user, token=token)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, REVOKED.format(name=token.name))
    return redirect("api-token-list")


urlpatterns: list[URLPattern] = [
    path("account/api-tokens/", token_list, name="api-token-list"),
    path("account/api-tokens/<int:pk>/revoke/", token_revoke_view, name="api-token-revoke"),
]
