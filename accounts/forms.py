"""Sign-in forms: parsing and field validation only."""

from __future__ import annotations

from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField

from accounts.models import User

SIGN_IN_NOT_RIGHT = (
    "The email address or password is not right. After 5 wrong attempts in 15 minutes "
    "the account is locked for 15 minutes."
)
ACCOUNT_INACTIVE = "This account is not active. Ask your administrator."
# The longest address a User can have (the email field's length, as Django's own email fields).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254
EMAIL_TOO_LONG = f"An email address is at most {EMAIL_MAX_LENGTH} characters. Check the address you typed."


class SignInForm(AuthenticationForm):
    # Declared with max_length so that the length is validated: AuthenticationForm only copies the
    # model field's length onto the widget, and an over-long address then reached authenticate()
    # and django-axes, whose lockout record holds 255 characters (a server error). Refused here,
    # before either runs.
    username = UsernameField(max_length=EMAIL_MAX_LENGTH, error_messages={"max_length": EMAIL_TOO_LONG})
    error_messages = {"invalid_login": SIGN_IN_NOT_RIGHT, "inactive": ACCOUNT_INACTIVE}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them as they like.
        return str(self.cleaned_data["username"]).strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        error_messages={"required": "Enter the code from your authenticator app or a backup code."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    code = forms.RegexField(
        label="Code from your app",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        help_text="After you add the account, your app shows a 6-digit code. Enter it here.",
        error_messages={
            "required": "Enter the 6-digit code your authenticator app shows.",
            "invalid": "The code is 6 digits, for example 123456.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordResetRequestForm(PasswordResetForm):
    """Also reaches users who have never set a password: an administrator creates accounts without
    one, and the new user sets theirs through this form (Django's form skips such accounts)."""

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email.strip(), is_active=True, organisation__active=True)


class NotificationSettingsForm(forms.Form):
    """Whether to receive the weekly digest. A yes/no choice (not a checkbox), so that the answer is
    always a deliberate one and a missing or tampered answer is shown as an error."""

    receives_weekly_digest = forms.TypedChoiceField(
        label="Email me the weekly digest",
        help_text="Supervisors get a weekly summary of overdue reviews, stalled problems, overdue partner actions "
        "and agreements due for review.",
        choices=[("yes", "Yes, email me the digest"), ("no", "No, do not email me the digest")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to receive the weekly digest.",
            "invalid_choice": "Choose whether to receive the weekly digest.",
        },
    )
