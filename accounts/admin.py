"""Administration of users. Every change goes through accounts.services (audit, Group membership)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import formats
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.invitations import invitation_expired
from accounts.models import User
from accounts.open_work import open_work_of

# The second factor's devices hold each user's authenticator secret and backup codes: nobody
# reads or edits them in the admin site. An administrator resets a lost second factor with the
# "Reset second factor" action on users; the user enrols again at their next sign-in.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

INVITATION_SENT = "An invitation email was sent to {email}."
INVITATIONS_SENT = "Sent an invitation to {count} account(s). Earlier links no longer work."


def invitation_status(user: User) -> str:
    """Pending, expired or accepted, with its date; empty for a user never invited."""
    if user.invitation_accepted_at is not None:
        return f"Accepted {formats.date_format(user.invitation_accepted_at, 'j M Y')}"
    if user.invited_at is None:
        return ""
    sent = formats.date_format(user.invited_at, "j M Y")
    return f"Expired (sent {sent})" if invitation_expired(user) else f"Pending (sent {sent})"


class UserAdminForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name", "organisation", "role", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role and organisation:
            # The service's own rule, checked here so that the admin shows it as a field error.
            try:
                services.user_check_role_fits_organisation(role, organisation)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "full_name", "organisation", "role", "is_active", "invitation", "last_login")
    list_filter = ("role", "is_active", "organisation")
    search_fields = ("email", "full_name")
    list_select_related = ("organisation",)
    fields = ("email", "full_name", "organisation", "role", "is_active")
    form = UserAdminForm
    actions = ("unlock_sign_in", "reset_second_factor", "resend_invitation", "deactivate")
    change_form_template = "admin/accounts/user/change_form.html"

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        return (*self.fields, "invitation") if obj else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        return ("email", "invitation") if obj else ()

    @admin.display(description="Invitation")
    def invitation(self, obj: User) -> str:
        return invitation_status(obj) or "-"

    def get_urls(self) -> list[URLPattern]:
        resend = self.admin_site.admin_view(self.resend_invitation_view)
        return [
            path("<path:object_id>/invitation/", resend, name="accounts_user_invitation_resend"),
            *super().get_urls(),
        ]

    def resend_invitation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm, then send a fresh invitation to one user (the button on the user's page)."""
        user = self.get_object(request, object_id)
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if request.method == "POST":
            try:
                services.user_invitation_resend(actor=request.user, user=user)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, INVITATION_SENT.format(email=user.email), messages.SUCCESS)
            return redirect(reverse("admin:accounts_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Send a new invitation",
            "opts": self.opts,
            "original": user,
            "status": invitation_status(user),
        }
        return TemplateResponse(request, "admin/accounts/user/invitation_resend.html", context)

    def _warn_of_open_work(self, request: HttpRequest, user: User) -> None:
        """Deactivating someone who still leads work: say how much, and where it is reassigned."""
        for work in open_work_of(user):
            self.message_user(
                request,
                format_html(
                    '{} {}: <a href="{}">{}</a>.',
                    user.full_name or user.email,
                    work.description,
                    work.link,
                    work.link_text,
                ),
                messages.WARNING,
            )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        actor: User = request.user  # type: ignore[assignment]
        if change and "is_active" in form.changed_data and not data.get("is_active", True):
            self._warn_of_open_work(request, obj)
        if change:
            saved = services.user_update(
                actor=actor,
                user=obj,
                **{field: data[field] for field in services.USER_EDITABLE_FIELDS if field in data},
            )
        else:
            # Created without a password: the service emails the new user an invitation to set one.
            saved = services.user_create(
                actor=actor,
                email=data["email"],
                full_name=data["full_name"],
                organisation=data["organisation"],
                role=data["role"],
            )
            self.message_user(request, INVITATION_SENT.format(email=saved.email), messages.INFO)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Users are deactivated, not deleted: the audit log must keep pointing at them.
        return False

    @admin.action(description="Unlock sign-in (end a lockout after failed passwords)")
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_unlock(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, f"Unlocked {queryset.count()} account(s).", messages.SUCCESS)

    @admin.action(description="Reset second factor (lost phone: enrol again at next sign-in)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_reset_second_factor(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, f"Reset the second factor of {queryset.count()} account(s).", messages.SUCCESS)

    @admin.action(description="Send a new invitation (earlier links stop working)")
    def resend_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = 0
        for user in queryset:
            try:
                services.user_invitation_resend(actor=request.user, user=user)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(request, INVITATIONS_SENT.format(count=sent), messages.SUCCESS)

    @admin.action(description="Deactivate")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_deactivate(actor=request.user, user=user)  # type: ignore[arg-type]
            self._warn_of_open_work(request, user)
        self.message_user(request, f"Deactivated {queryset.count()} account(s).", messages.SUCCESS)
