"""Administration of the problems app: the editable list of problem categories, and the decision
log shown read-only (it is append-only everywhere, the admin included)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.audit import audit_record
from problems.models import DecisionLogEntry, ProblemCategory

CATEGORY_FIELDS = ("name", "code", "active", "order")


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin[ProblemCategory]):
    list_display = ("name", "code", "active", "order")
    list_filter = ("active",)
    search_fields = ("name", "code")
    fields = CATEGORY_FIELDS

    def save_model(self, request: HttpRequest, obj: ProblemCategory, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            verb=f"problems.category.{'updated' if change else 'created'}",
            target=obj,
            detail={field: getattr(obj, field) for field in CATEGORY_FIELDS},
        )

    def has_delete_permission(self, request: HttpRequest, obj: ProblemCategory | None = None) -> bool:
        # Problems keep their category: an unused category is made inactive, not deleted.
        return False


@admin.register(DecisionLogEntry)
class DecisionLogEntryAdmin(admin.ModelAdmin[DecisionLogEntry]):
    list_display = ("created_at", "problem", "author", "is_joint", "corrects")
    list_filter = ("is_joint",)
    search_fields = ("problem__reference", "author__email")
    list_select_related = ("problem", "author", "corrects__problem")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DecisionLogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DecisionLogEntry | None = None) -> bool:
        return False
