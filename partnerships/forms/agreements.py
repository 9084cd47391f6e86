"""Forms for information-sharing agreements: parsing and field validation only (the services
check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import DateInput
from partnerships.models import Agreement, AgreementParty, AgreementStatus, DataCategory, Organisation

AGREEMENT_FORM_FIELDS = (
    "title",
    "purpose",
    "data_items",
    "special_category_conditions",
    "part3_conditions",
    "dpia_reference",
    "retention_and_deletion",
    "security_measures",
    "individuals_rights",
    "subject_access_contact",
    "sharing_frequency",
    "start_date",
    "review_date",
    "expiry_date",
)
DATE_INVALID = "Enter a real date, for example 2026-04-30."
REVIEW_WITHIN_INVALID = "Enter a whole number of days from 0 to 3650."


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AgreementForm(VersionedFormMixin, forms.Form):
    """Every heading of the ICO data sharing code, with the parties and data categories."""

    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title for the agreement."}, label="Title"
    )
    parties = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every organisation that shares or receives the data (at least two before activation).",
    )
    data_categories = forms.ModelMultipleChoiceField(
        queryset=DataCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Data categories",
        help_text="Special category and criminal offence data need the conditions below.",
    )

    field_order = ["title", "parties", "purpose", "data_categories"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(Agreement, fields=AGREEMENT_FORM_FIELDS[1:])
        for name, field in model_fields.items():
            if name.endswith("_date"):
                field.widget = DateInput()
                field.error_messages["invalid"] = DATE_INVALID
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            field.required = False
            self.fields[name] = field
        self.fields["parties"].queryset = Organisation.objects.filter(active=True).order_by("name")  # type: ignore[attr-defined]
        self.fields["data_categories"].queryset = DataCategory.objects.all()  # type: ignore[attr-defined]
        self.order_fields(["title", "parties", "purpose", "data_categories", *AGREEMENT_FORM_FIELDS[2:]])

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        initial: dict[str, Any] = {field: getattr(agreement, field) for field in AGREEMENT_FORM_FIELDS}
        initial["parties"] = [p.organisation_id for p in agreement.parties.all()]
        initial["data_categories"] = [c.pk for c in agreement.data_categories.all()]
        initial[VERSION_FIELD] = agreement.lock_version
        return initial

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in AGREEMENT_FORM_FIELDS if name != "title"}


class AgreementPartyForm(VersionedFormMixin, forms.ModelForm[AgreementParty]):
    class Meta:
        model = AgreementParty
        fields = ("controller_role", "lawful_basis", "legal_power")
        widgets = {"legal_power": forms.Textarea(attrs={"rows": 3})}
        labels = {"controller_role": "Controller role", "lawful_basis": "Lawful basis"}


class TerminateForm(forms.Form):
    # The status the user saw (two terminations at once end in one: core.concurrency).
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    reason = forms.CharField(
        label="Reason for terminating",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Give the reason for terminating the agreement."},
    )


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Signed agreement (PDF, up to 5 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ActivateForm(forms.Form):
    """No fields: carries the activation errors into the shared error summary."""


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *AgreementStatus.choices], required=False)
    party = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Any organisation",
        label="Party",
        error_messages={"invalid_choice": "Choose an organisation from the list."},
    )
    review_within_days = forms.IntegerField(
        label="Due for review within (days)",
        required=False,
        min_value=0,
        max_value=3650,
        error_messages={
            "invalid": REVIEW_WITHIN_INVALID,
            "min_value": REVIEW_WITHIN_INVALID,
            "max_value": REVIEW_WITHIN_INVALID,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list."

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "party": data.get("party"),
            "review_within_days": data.get("review_within_days"),
        }
