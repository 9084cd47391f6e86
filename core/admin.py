"""The audit log is read-only everywhere, the admin included."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent


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
