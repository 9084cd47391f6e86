"""Sign-in, second factor and password views. Thin: fetch, bind a form, call one service."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import CodeForm, EnrolForm, PasswordResetRequestForm, SignInForm
from accounts.middleware import second_factor_exempt, user_is_verified
from accounts.models import User

NEW_BACKUP_CODES_KEY = "cg_new_backup_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return str(reverse_lazy("home"))


def _second_factor_passed(request: HttpRequest, device: Any) -> None:
    """Mark the session verified with `device`, under a new session key and CSRF token.

    Passing the second factor raises what the session may do, as signing in does, so it gets the
    same protection django.contrib.auth.login gives the password step: a key that anyone saw or
    planted before this moment (session fixation) must not carry the verified session."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


SignOutView.dispatch = second_factor_exempt(SignOutView.dispatch)  # type: ignore[method-assign]


@second_factor_exempt
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user_is_verified(user):
        return redirect(_next_url(request))
    if not services.user_has_second_factor(user):
        return redirect(f"{reverse('otp-enrol')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = services.second_factor_verify(actor=user, token=form.cleaned_data["code"])
        if device is not None:
            _second_factor_passed(request, device)
            if device.persistent_id.startswith("otp_static"):
                remaining = services.backup_codes_remaining(user)
                messages.warning(
                    request,
                    f"You used a backup code. You have {remaining} left; you can make new ones from your account page.",
                )
            return redirect(_next_url(request))
        form.add_error("code", error or services.CODE_NOT_RIGHT)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Generated here from our own data, not user input: safe to inline (no script, no style).
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code to add Common Ground to your app" ', 1))  # noqa: S308


def _typed_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@second_factor_exempt
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.user_has_second_factor(user):
        # Re-enrolment (a lost phone) is an administrator's reset, not a self-service page.
        return redirect(_next_url(request) if user_is_verified(user) else "otp-verify")
    device = services.totp_device_pending_for(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrol_confirm(actor=user, device=device, token="".join(form.cleaned_data["code"].split()))
        if codes is not None:
            _second_factor_passed(request, device)
            request.session[NEW_BACKUP_CODES_KEY] = codes
            messages.success(request, "Your authenticator app is set up.")
            return redirect(f"{reverse('backup-codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", services.CODE_NOT_RIGHT)
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _typed_secret(device),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        request.session[NEW_BACKUP_CODES_KEY] = services.backup_codes_regenerate(actor=user)
        messages.success(request, "New backup codes made. The old ones no longer work.")
        return redirect("backup-codes")
    codes = request.session.pop(NEW_BACKUP_CODES_KEY, None)
    context = {"codes": codes, "remaining": services.backup_codes_remaining(user), "next": _next_url(request)}
    return render(request, "accounts/backup_codes.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password-change-done")

    def form_valid(self, form: Any) -> HttpResponse:
        services.user_set_password(
            actor=self.request.user,  # type: ignore[arg-type]
            user=form.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password has been changed.")
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    success_url = reverse_lazy("password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        services.user_set_password(
            actor=form.user, user=form.user, password=form.cleaned_data["new_password1"], verb="password_reset"
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
