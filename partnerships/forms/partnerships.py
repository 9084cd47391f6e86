"""Forms for partnerships and their memberships: parsing and field validation only."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from core.forms import DateInput
from partnerships.models import MeetingCadence, ModelOfWorking, Organisation
from partnerships.models.partnerships import MODEL_OF_WORKING_HELP

PARTNERSHIP_NAME_REQUIRED = "Give the partnership a name."
MODEL_OF_WORKING_REQUIRED = "Choose how the partnership works together."
MEMBER_ORGANISATION_REQUIRED = "Choose the organisation that joins."
JOINED_ON_REQUIRED = "Give the date the organisation joined, for example 1 4 2026."
LEFT_ON_REQUIRED = "Give the date the organisation left, for example 31 3 2027."
DATE_NOT_RIGHT = "Enter a real date, for example 1 4 2026."


def model_of_working_choices() -> list[tuple[str, str]]:
    """Each model of working with its explanation, so that the form shows how they differ."""
    return [
        (
            value,
            format_html(
                '<span class="fw-semibold">{}</span><span class="d-block form-text mt-0">{}</span>',
                label,
                MODEL_OF_WORKING_HELP[ModelOfWorking(value)],
            ),
        )
        for value, label in ModelOfWorking.choices
    ]


class PartnershipForm(forms.Form):
    name = forms.CharField(max_length=150, error_messages={"required": PARTNERSHIP_NAME_REQUIRED})
    area = forms.CharField(max_length=150, required=False, help_text="The district, town or neighbourhoods it covers.")
    model_of_working = forms.ChoiceField(
        label="How the partners work together",
        choices=model_of_working_choices,
        widget=forms.RadioSelect,
        error_messages={"required": MODEL_OF_WORKING_REQUIRED},
        help_text=(
            "These are different things: asking for views or passing on information is not the same as "
            "solving problems together or sharing power with residents."
        ),
    )
    terms_of_reference = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Its purpose, who chairs it, how decisions are made.",
    )
    meeting_cadence = forms.ChoiceField(
        label="How often it meets", choices=[("", "Not set"), *MeetingCadence.choices], required=False
    )
    active = forms.BooleanField(label="The partnership is active", required=False, initial=True)


class MemberAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        empty_label="Choose an organisation",
        error_messages={"required": MEMBER_ORGANISATION_REQUIRED, "invalid_choice": MEMBER_ORGANISATION_REQUIRED},
    )
    joined_on = forms.DateField(
        label="Date it joined",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": JOINED_ON_REQUIRED, "invalid": DATE_NOT_RIGHT},
    )


class MemberEndForm(forms.Form):
    left_on = forms.DateField(
        label="Date it left",
        help_text="It counts as a member up to and including this day.",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": LEFT_ON_REQUIRED, "invalid": DATE_NOT_RIGHT},
    )
