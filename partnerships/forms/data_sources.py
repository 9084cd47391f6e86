"""Forms for partner data sources: parsing and field validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from partnerships.models import Agreement, DataCategory, Organisation, RefreshFrequency

DATA_SOURCE_ORGANISATION_REQUIRED = "Choose the organisation that holds the data."
DATA_SOURCE_NAME_REQUIRED = "Give the data source a name, for example ASB reports."
DATA_SOURCE_OWNER_REQUIRED = "Name the team or post responsible for the data."
DATA_SOURCE_FREQUENCY_REQUIRED = "Choose how often the data is refreshed."
DATA_SOURCE_FORMAT_REQUIRED = "Say what form the data comes in, for example a CSV extract."
FILTER_ORGANISATION_NOT_RIGHT = "That organisation is not one you can filter by. Showing every data source."


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} v{obj.version}: {obj.title} ({obj.get_status_display()})"


class DataSourceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation that holds the data",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": DATA_SOURCE_ORGANISATION_REQUIRED,
            "invalid_choice": DATA_SOURCE_ORGANISATION_REQUIRED,
        },
    )
    name = forms.CharField(max_length=150, error_messages={"required": DATA_SOURCE_NAME_REQUIRED})
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What it records and how it could inform problem-solving.",
    )
    owner = forms.CharField(
        max_length=150,
        help_text="The team or post responsible for the data.",
        error_messages={"required": DATA_SOURCE_OWNER_REQUIRED},
    )
    refresh_frequency = forms.ChoiceField(
        label="How often it is refreshed",
        choices=[("", "Choose how often"), *RefreshFrequency.choices],
        error_messages={"required": DATA_SOURCE_FREQUENCY_REQUIRED},
    )
    data_format = forms.CharField(
        label="Format",
        max_length=100,
        help_text="For example CSV extract, monthly PDF report.",
        error_messages={"required": DATA_SOURCE_FORMAT_REQUIRED},
    )
    holds_personal_data = forms.BooleanField(label="It holds personal data", required=False)
    categories = forms.ModelMultipleChoiceField(
        label="Categories of data",
        queryset=DataCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agreement = AgreementChoiceField(
        label="Agreement that covers sharing it",
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="None yet",
        help_text="Only an agreement to which the organisation holding the data is a party.",
    )

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[Organisation],
        agreements: QuerySet[Agreement],
        fixed_organisation: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if fixed_organisation:
            # The holder of an existing data source does not change (see data_source_update).
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = owners  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]


class DataSourceFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="All organisations",
        error_messages={"invalid_choice": FILTER_ORGANISATION_NOT_RIGHT},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].widget.attrs["class"] = "form-select"
