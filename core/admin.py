"""The audit log and the reminder ledger, read-only in the admin site.

Administrators see no operational records, the admin included (DESIGN.md section 1). Both models
stay here, without the fields that can carry case text:
- an audit event's `detail` holds before/after values, a problem's title and description when it is
  logged, a review's notes: the admin shows who did what to which record and when, never the detail;
- a reminder's `context` is what its email is rendered with, decided by each domain's sweep: the
  admin shows the delivery state and last error that an administrator chases, and the title, which
  the sweeps build from references and dates only (problems/reminders.py, partnerships/reminders.py).
tests/core/test_admin_site.py checks both pages against a problem's text."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, Reminder

# Case text can be in these fields; the admin never shows them.
AUDIT_EVENT_HIDDEN_FIELDS = ("detail",)
REMINDER_HIDDEN_FIELDS = ("context",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("created_at", "verb", "actor", "actor_organisation", "target_type", "target_id", "ip")
    list_filter = ("verb",)
    search_fields = ("verb", "target_type", "target_id", "actor__email")
    list_select_related = ("actor", "actor_organisation")
    date_hierarchy = "created_at"
    exclude = AUDIT_EVENT_HIDDEN_FIELDS

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
    exclude = REMINDER_HIDDEN_FIELDS
    readonly_fields = [field.name for field in Reminder._meta.fields if field.name not in REMINDER_HIDDEN_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False
