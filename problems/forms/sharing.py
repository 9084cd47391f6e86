"""Forms: sharing a problem with a partner, revoking a share, filtering "Shared with us"."""

from __future__ import annotations

from typing import Any

from django import forms

from core.dates import long_date
from partnerships.models import Agreement, Organisation
from problems.models import Problem, Stage
from problems.models.sharing import ShareAccess
from problems.selectors.sharing import (
    agreements_in_force_for,
    data_categories_for_sharing,
    partner_organisations_for_sharing,
)


class AgreementChoiceField(forms.ModelChoiceField[Agreement]):
    def label_from_instance(self, obj: Agreement) -> str:
        partners = ", ".join(sorted(p.organisation.name for p in obj.parties.all() if not p.organisation.is_police))
        # Only agreements in force are offered, and an agreement in force has its expiry date.
        until = long_date(obj.expiry_date) if obj.expiry_date else "no end date"
        covers = ", ".join(c.name for c in obj.data_categories.all()) or "no data categories"
        return f"{obj.reference} v{obj.version}: {obj.title} (with {partners}; until {until}). Covers: {covers}"


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the partner organisation to share with."},
    )
    access_level = forms.ChoiceField(
        label="Access",
        choices=ShareAccess.choices,
        initial=ShareAccess.VIEW,
        widget=forms.RadioSelect,
        help_text="Contribute lets the partner add updates and complete the actions assigned to them.",
        error_messages={"required": "Choose the access level."},
    )
    data_categories = forms.ModelMultipleChoiceField(
        label="Data the share discloses",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "The agreement must cover every category you choose. The partner sees only the entries in "
            "these categories, and how many others are withheld, never what they say."
        ),
    )
    agreement = AgreementChoiceField(
        label="Information-sharing agreement",
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="Choose an agreement",
        help_text="Agreements in force today to which your force is party.",
    )

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations_for_sharing()  # type: ignore[attr-defined]
        self.fields["data_categories"].queryset = data_categories_for_sharing()  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements_in_force_for(  # type: ignore[attr-defined]
            owner=problem.owning_organisation
        )


class ShareRevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why are you revoking the share?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The partner's access ends at once. The reason is kept in the audit log.",
    )


class SharedWithUsFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices])

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"search": self.cleaned_data["q"].strip(), "stage": self.cleaned_data["stage"]}
