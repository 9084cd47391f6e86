from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from partnerships.models import DataCategory, Neighbourhood, Organisation, SeldomHeardGroup
from partnerships.services import (
    ORGANISATION_EDITABLE_FIELDS,
    organisation_check_name_free,
    organisation_create,
    organisation_update,
)
from partnerships.services.data_categories import (
    DATA_CATEGORY_EDITABLE_FIELDS,
    DATA_CATEGORY_FIELDS,
    data_category_save,
)
from partnerships.services.neighbourhoods import NEIGHBOURHOOD_FIELDS, neighbourhood_save
from partnerships.services.seldom_heard_groups import SELDOM_HEARD_GROUP_FIELDS, seldom_heard_group_save


class OrganisationAdminForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ORGANISATION_EDITABLE_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("name"):
            # The service's own rule, checked here so that the admin shows it as a field error.
            try:
                organisation_check_name_free(cleaned["name"], exclude_pk=self.instance.pk)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "sector", "active")
    list_filter = ("kind", "sector", "active")
    search_fields = ("name",)
    fields = ORGANISATION_EDITABLE_FIELDS
    form = OrganisationAdminForm

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        # Writes go through the services, so the Group and the audit log stay in step.
        values = {field: form.cleaned_data[field] for field in ORGANISATION_EDITABLE_FIELDS}
        if change:
            saved = organisation_update(actor=request.user, organisation=obj, **values)  # type: ignore[arg-type]
        else:
            saved = organisation_create(actor=request.user, **values)  # type: ignore[arg-type]
        obj.pk = saved.pk
        obj.group_id = saved.group_id

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        # Organisations are deactivated, not deleted: their history must stay attributable.
        return False


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin[Neighbourhood]):
    list_display = ("name", "organisation", "partnership", "active")
    list_filter = ("active", "organisation")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = NEIGHBOURHOOD_FIELDS

    def save_model(self, request: HttpRequest, obj: Neighbourhood, form: Any, change: bool) -> None:
        neighbourhood_save(actor=request.user, neighbourhood=obj)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Neighbourhood | None = None) -> bool:
        # Engagement, priorities and surveys refer to neighbourhoods: deactivate instead.
        return False


@admin.register(SeldomHeardGroup)
class SeldomHeardGroupAdmin(admin.ModelAdmin[SeldomHeardGroup]):
    list_display = ("name", "order", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    fields = SELDOM_HEARD_GROUP_FIELDS

    def save_model(self, request: HttpRequest, obj: SeldomHeardGroup, form: Any, change: bool) -> None:
        seldom_heard_group_save(actor=request.user, group=obj)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: SeldomHeardGroup | None = None) -> bool:
        # Events and stakeholder maps refer to groups, and past coverage must stay explainable:
        # deactivate instead.
        return False


@admin.register(DataCategory)
class DataCategoryAdmin(admin.ModelAdmin[DataCategory]):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    fields = DATA_CATEGORY_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: DataCategory | None = None) -> tuple[str, ...]:
        # Agreements and problems refer to a category by its code, and its kind decides what an
        # agreement must state: both stay as made (partnerships.services.data_categories).
        if obj is None:
            return ()
        return tuple(field for field in DATA_CATEGORY_FIELDS if field not in DATA_CATEGORY_EDITABLE_FIELDS)

    def save_model(self, request: HttpRequest, obj: DataCategory, form: Any, change: bool) -> None:
        data_category_save(actor=request.user, category=obj)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: DataCategory | None = None) -> bool:
        return False
