"""Forms: contacts, single points of contact (SPOCs) and handovers. Parsing and field validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import DateInput
from partnerships.models import Contact, Organisation


class ContactForm(forms.ModelForm[Contact]):
    user = forms.ModelChoiceField(
        label="Common Ground user",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not a user of Common Ground",
        help_text="Link the contact to their account, so that they can acknowledge handovers to them.",
    )

    class Meta:
        model = Contact
        fields = (
            "name",
            "job_title",
            "email",
            "phone",
            "user",
            "active_from",
            "active_to",
            "spoc_topics",
            "spoc_from",
            "spoc_to",
        )
        labels = {
            "job_title": "Role",
            "email": "Email address",
            "phone": "Phone number",
            "active_from": "Started on",
            "active_to": "Left on",
            "spoc_topics": "Single point of contact for",
            "spoc_from": "Single point of contact from",
            "spoc_to": "Single point of contact until",
        }
        help_texts = {
            "active_to": "Leave empty while they are still there.",
            "spoc_to": "Leave empty if there is no end date. A handover sets it for you.",
        }
        widgets = {
            "active_from": DateInput(),
            "active_to": DateInput(),
            "spoc_from": DateInput(),
            "spoc_to": DateInput(),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "name": {"required": "Enter the contact's name."},
            "email": {"invalid": "Enter an email address in the right format, like name@example.org."},
            "active_from": {
                "invalid": "Enter a real date, for example 31 March 2026.",
                "required": "Enter the date they started.",
            },
            "active_to": {"invalid": "Enter a real date, for example 31 March 2026."},
            "spoc_from": {"invalid": "Enter a real date, for example 31 March 2026."},
            "spoc_to": {"invalid": "Enter a real date, for example 31 March 2026."},
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(organisation=organisation, is_active=True)  # type: ignore[attr-defined]
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("active_from", timezone.localdate())

    # The service checks the contact's rules (dates in order, SPOC topics with a start date) and
    # names the field of each, where the database constraints would only give their own names.
    def validate_unique(self) -> None:
        return None

    def validate_constraints(self) -> None:
        return None


class HandoverForm(forms.Form):
    outgoing = forms.ModelChoiceField(
        label="Handing over (outgoing single point of contact)",
        queryset=Contact.objects.none(),
        error_messages={"required": "Choose who is handing over.", "invalid_choice": "Choose who is handing over."},
    )
    incoming = forms.ModelChoiceField(
        label="Taking over (incoming contact)",
        queryset=Contact.objects.none(),
        error_messages={"required": "Choose who is taking over.", "invalid_choice": "Choose who is taking over."},
    )
    handover_date = forms.DateField(
        label="Handover date",
        help_text="The first day the incoming contact is the single point of contact.",
        widget=DateInput(),
        error_messages={
            "required": "Enter the handover date.",
            "invalid": "Enter a real date, for example 31 March 2026.",
        },
    )
    note = forms.CharField(
        label="Handover note",
        help_text="What the incoming person needs to know: open problems, people, meetings.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a handover note: what the incoming person needs to know."},
    )
    outstanding_items = forms.CharField(
        label="Outstanding items", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = organisation.contacts.order_by("name")
        self.fields["outgoing"].queryset = contacts.exclude(spoc_topics="")  # type: ignore[attr-defined]
        self.fields["incoming"].queryset = contacts  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("handover_date", timezone.localdate())
