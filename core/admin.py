"""The audit log is read-only everywhere, the admin included."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, Reminder


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "verb", "actor", "actor_organisation", "target_type", "target_id", "ip")
    list_filter = ("verb",)
    search_fields = ("verb", "target_type", "target_id", "actor__email")
    list_select_related = ("actor", "actor_organisation")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    """Failed reminders are found here (filter by state) with their last error."""

    list_display = (
        "created_at",
        "kind",
        "target_type",
        "target_id",
        "due_date",
        "recipient",
        "state",
        "attempts",
        "sent_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("kind", "target_id", "recipient__email", "last_error")
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False
