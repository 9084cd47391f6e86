"""The request every signed-in view receives, and the one way a view calls a service.

`AuthenticatedHttpRequest`: LoginRequiredMiddleware (config.settings) lets no anonymous request
reach a view that is not marked `login_not_required`, so such a view's `request.user` is a user of
the project's model, never AnonymousUser. Annotating the view with this class says so once, in
place of a cast or a type-ignore in each module.

`form_call_service`: validate the bound form, call the service with what was typed, then on
success show the message and redirect; on a refusal (the service's ValidationError) show the
errors on the form and render the page again with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from core.forms import form_add_service_errors

if TYPE_CHECKING:
    # Typing only: core imports no app at run time (the house's one-way dependencies).
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def form_call_service[T](
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    done: Callable[[T], HttpResponse],
    refused: Callable[[forms.BaseForm], HttpResponse],
) -> HttpResponse:
    """`call(form.cleaned_data)` when `form` is bound and valid; its result goes to `success` (the
    message) and `done` (the redirect). An unbound form (a GET), an invalid one, or a service's
    ValidationError (shown on the form: core.forms.form_add_service_errors) goes to `refused`."""
    if form.is_bound and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return done(result)
    return refused(form)
