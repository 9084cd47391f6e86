"""The page a new user reaches from their invitation email: set a password, then enrol the second
factor. Django's password-reset confirmation view with the invitation's token generator, so the
token leaves the address bar (and the Referer header) at once and is kept in the session.

Not an oracle: an unknown user, a tampered, used, replaced or expired link, and a deactivated
account all show the same page, and the token is an HMAC that cannot be guessed, so no rate limit
is needed beyond what the token itself gives."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from accounts import services
from accounts.invitations import invitation_token_generator
from accounts.models import User

ENROL_NEXT = "Your password is set. Now set up your authenticator app: every sign-in needs it."
# The user has just proved they hold the link; they are signed in with the backend that checks
# their organisation is active, and the second factor is still required before any other page.
SIGN_IN_BACKEND = "accounts.backends.ActiveOrganisationBackend"


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/invitation_accept.html"
    token_generator = invitation_token_generator
    title = "Set your password"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not user.is_active or not user.organisation.active:
            return None
        return user

    def form_valid(self, form: Any) -> HttpResponse:
        token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        try:
            user: User = services.user_invitation_accept(
                actor=form.user, user=form.user, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError:
            # The link was used (another tab) or replaced between the page and the post.
            self.validlink = False
            return self.render_to_response(self.get_context_data())
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend=SIGN_IN_BACKEND)
        messages.success(self.request, ENROL_NEXT)
        return HttpResponseRedirect(f"{reverse('otp-enrol')}?{urlencode({'next': reverse('home')})}")


urlpatterns: list[URLPattern] = [
    path("invitation/<uidb64>/<token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
]
