from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

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
from partnerships.services.neighbourhoods import NEIGHBOURHOOD_FIELDS, neighbourhood_merge, neighbourhood_save
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


MERGE_ONE_FORCE = "Choose neighbourhoods of one force to merge: each is merged into a neighbourhood of its own force."
MERGE_TARGET_REQUIRED = "Choose the neighbourhood to merge into from the list."
MERGE_NO_TARGET = "{force} has no other active neighbourhood to merge into: add or reactivate one first."
MERGED = "Merged {name} into {target}: {moved}."


class NeighbourhoodMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Merge into",
        queryset=Neighbourhood.objects.none(),
        empty_label="Choose a neighbourhood",
        error_messages={"required": MERGE_TARGET_REQUIRED, "invalid_choice": MERGE_TARGET_REQUIRED},
    )

    def __init__(self, *args: Any, targets: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets  # type: ignore[attr-defined]


def _moved_text(moved: dict[str, int]) -> str:
    if not moved:
        return "no records pointed at it"
    return ", ".join(f"{count} {label.split('.')[-1].replace('_', ' ')} record(s)" for label, count in moved.items())


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin[Neighbourhood]):
    list_display = ("name", "organisation", "partnership", "active", "needs_review")
    list_filter = ("needs_review", "active", "organisation")
    list_select_related = ("organisation", "partnership")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = NEIGHBOURHOOD_FIELDS
    actions = ("merge_into_another",)

    def save_model(self, request: HttpRequest, obj: Neighbourhood, form: Any, change: bool) -> None:
        neighbourhood_save(actor=request.user, neighbourhood=obj)  # type: ignore[arg-type]

    @admin.action(description="Merge into another neighbourhood (moves its problems, events, priorities and surveys)")
    def merge_into_another(self, request: HttpRequest, queryset: QuerySet[Neighbourhood]) -> HttpResponse | None:
        """Choose the neighbourhood to merge the selected ones into (a page of its own), then merge
        each through the service. Nothing is merged until the choice is confirmed."""
        chosen = list(queryset.select_related("organisation"))
        forces = {n.organisation_id for n in chosen}
        if len(forces) != 1:
            self.message_user(request, MERGE_ONE_FORCE, messages.ERROR)
            return None
        force = chosen[0].organisation
        targets = Neighbourhood.objects.filter(organisation=force, active=True).exclude(pk__in=[n.pk for n in chosen])
        if not targets.exists():
            self.message_user(request, MERGE_NO_TARGET.format(force=force.name), messages.ERROR)
            return None
        form = NeighbourhoodMergeForm(request.POST if "confirm" in request.POST else None, targets=targets)
        if form.is_valid():
            target = form.cleaned_data["into"]
            for source in chosen:
                try:
                    moved = neighbourhood_merge(actor=request.user, source=source, target=target)  # type: ignore[arg-type]
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    text = MERGED.format(name=source.name, target=target.name, moved=_moved_text(moved))
                    self.message_user(request, text, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge into another neighbourhood",
            "opts": self.opts,
            "chosen": chosen,
            "force": force,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/partnerships/neighbourhood/merge.html", context)

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
