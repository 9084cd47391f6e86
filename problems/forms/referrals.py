"""Forms: a partner's referral, a supervisor's acceptance or refusal of it, and naming a
problem's lead agency. Parsing only: the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from partnerships.models import DataCategory, Neighbourhood, Organisation, Partnership, PartnershipMembership
from partnerships.selectors.partnerships import current_membership_q
from problems.models import ProblemCategory, RiskLevel
from problems.selectors.problems import neighbourhoods_for_problem
from problems.selectors.sharing import data_categories_for_sharing

CHOOSE_FROM_LIST = "Choose from the list."


class ReferralForm(forms.Form):
    force = forms.ModelChoiceField(
        label="Police force",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a force: a partnership",
        help_text="Refer to a force, or choose a partnership below instead.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="Not a partnership: a force",
        help_text="The partnerships your organisation belongs to.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    title = forms.CharField(label="What is the problem?", max_length=200, required=False)
    location = forms.CharField(label="Where is it?", max_length=250, required=False)
    why_now = forms.CharField(label="Why refer it now?", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.CharField(
        label="What evidence is there?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Reports, counts, photographs, complaints: what you know and how you know it.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = Organisation.objects.filter(kind="police_force", active=True)  # type: ignore[attr-defined]
        member_of = PartnershipMembership.objects.filter(current_membership_q(), organisation=organisation)
        self.fields["partnership"].queryset = Partnership.objects.filter(  # type: ignore[attr-defined]
            active=True, pk__in=member_of.values("partnership_id")
        )


class ReferralAcceptForm(forms.Form):
    category = forms.ModelChoiceField(
        label="Category",
        queryset=ProblemCategory.objects.none(),
        empty_label="Choose a category",
        error_messages={"required": "Choose a category from the list.", "invalid_choice": CHOOSE_FROM_LIST},
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood or ward",
        queryset=Neighbourhood.objects.none(),
        empty_label="Choose a neighbourhood or ward",
        error_messages={
            "required": "Choose the neighbourhood or ward from the list.",
            "invalid_choice": CHOOSE_FROM_LIST,
        },
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        initial=RiskLevel.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a risk level.", "invalid_choice": CHOOSE_FROM_LIST},
    )
    data_categories = forms.ModelMultipleChoiceField(
        label="Data shared with the referring organisation",
        queryset=DataCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="An agreement in force between your force and the referring organisation must cover these.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )
    partner_leads = forms.BooleanField(
        label="The referring organisation leads the problem (lead agency)",
        required=False,
        help_text="Its people then work the problem; your force contributes and keeps the record.",
    )

    def __init__(self, *args: Any, force: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["neighbourhood"].queryset = neighbourhoods_for_problem(force=force)  # type: ignore[attr-defined]
        categories = data_categories_for_sharing()
        self.fields["data_categories"].queryset = categories  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("data_categories", list(categories.filter(code="asb-reports")))


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The referring organisation will see this.",
    )


class LeadAgencyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The force (police-led)",
        help_text="A partner can lead while the problem is shared with it with contribute access.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = choices  # type: ignore[attr-defined]
