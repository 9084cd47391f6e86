"""Administration of the problems app: the editable list of problem categories, and nothing else.

Administrators see no operational records, the admin site included (DESIGN.md section 1): a
problem, its decision log, reviews, updates, shares and SARA parts are case text, read only through
the application's pages, where the access policy applies and consultation is logged (DPA 2018
s.62). The decision log was listed here with problem titles, restricted problems' included, and
its entries shown in full, unlogged; it is no longer registered. tests/core/test_admin_site.py
fails if an operational model is registered again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.audit import audit_record
from problems.models import ProblemCategory

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
