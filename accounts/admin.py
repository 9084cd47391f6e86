"""Administration of users. Every change goes through accounts.services (audit, Group membership)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accounts import services
from accounts.models import User
from accounts.open_work import open_work_of


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
    list_display = ("email", "full_name", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "organisation")
    search_fields = ("email", "full_name")
    list_select_related = ("organisation",)
    fields = ("email", "full_name", "organisation", "role", "is_active")
    form = UserAdminForm
    actions = ("unlock_sign_in", "reset_second_factor", "deactivate")

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        return ("email",) if obj else ()

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
            saved = services.user_create(
                actor=actor,
                email=data["email"],
                full_name=data["full_name"],
                organisation=data["organisation"],
                role=data["role"],
            )
            # A new user sets their own password through "Forgotten your password?".
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

    @admin.action(description="Deactivate")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_deactivate(actor=request.user, user=user)  # type: ignore[arg-type]
            self._warn_of_open_work(request, user)
        self.message_user(request, f"Deactivated {queryset.count()} account(s).", messages.SUCCESS)
