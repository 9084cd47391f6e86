"""Form for an entry on a stakeholder map: parsing and field validation only (the rules that join
fields, such as "an organisation stakeholder names the organisation", are the service's)."""

from __future__ import annotations

from django import forms

from partnerships.models import EngagementStatus, Organisation, PatController, SeldomHeardGroup, StakeholderKind
from partnerships.services.stakeholders import STAKEHOLDER_SCORE_OUT_OF_RANGE

STAKEHOLDER_KIND_REQUIRED = "Choose what kind of stakeholder this is."
SCORE_MESSAGES = {
    "required": STAKEHOLDER_SCORE_OUT_OF_RANGE,
    "invalid": STAKEHOLDER_SCORE_OUT_OF_RANGE,
    "min_value": STAKEHOLDER_SCORE_OUT_OF_RANGE,
    "max_value": STAKEHOLDER_SCORE_OUT_OF_RANGE,
}


class StakeholderForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of stakeholder",
        choices=StakeholderKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": STAKEHOLDER_KIND_REQUIRED},
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label="None",
        help_text="Needed for an organisation; optional for a named role at one.",
    )
    name = forms.CharField(
        max_length=150,
        required=False,
        help_text='The community group or the role, for example "Head teacher, Eastgate Primary".',
    )
    influence = forms.IntegerField(
        min_value=1,
        max_value=5,
        help_text="1 (little power over the outcome) to 5 (a great deal).",
        error_messages=SCORE_MESSAGES,
    )
    interest = forms.IntegerField(
        min_value=1,
        max_value=5,
        help_text="1 (little interest) to 5 (very interested or affected).",
        error_messages=SCORE_MESSAGES,
    )
    engagement_status = forms.ChoiceField(
        label="Engagement so far", choices=EngagementStatus.choices, initial=EngagementStatus.NOT_ENGAGED
    )
    seldom_heard_group = forms.ModelChoiceField(
        label="Seldom-heard group it stands for",
        queryset=SeldomHeardGroup.objects.filter(active=True),
        required=False,
        empty_label="None",
    )
    pat_controller = forms.ChoiceField(
        label="Problem analysis triangle controller",
        choices=[("", "None"), *PatController.choices],
        required=False,
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in ("influence", "interest"):
            self.fields[field].widget.attrs.update({"inputmode": "numeric"})
