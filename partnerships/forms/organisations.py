"""Forms: organisations (the partner registry). Parsing and field validation only."""

from __future__ import annotations

from typing import Any

from django import forms

from partnerships.models import Organisation, OrganisationKind, Sector

ORGANISATION_LABELS = {
    "is_responsible_authority": "Responsible authority under the Crime and Disorder Act 1998",
    "areas_covered": "Areas covered",
    "email": "Email address",
    "phone": "Phone number",
    "active": "Active partner",
}
ORGANISATION_HELP = {
    "is_responsible_authority": (
        "The police, the local authority, fire and rescue, health bodies and probation are responsible "
        "authorities: they must work together in the Community Safety Partnership."
    ),
    "website": "The full address, starting https://",
    "active": "Untick when you no longer work with this organisation. Its history is kept.",
}


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Name contains", required=False, max_length=120)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *OrganisationKind.choices])
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    no_spoc = forms.BooleanField(label="Only organisations with no single point of contact today", required=False)


class OrganisationProfileForm(forms.ModelForm[Organisation]):
    """The profile; the view passes the fields this user may change."""

    class Meta:
        model = Organisation
        fields = (
            "name",
            "sector",
            "is_responsible_authority",
            "areas_covered",
            "address",
            "email",
            "phone",
            "website",
            "active",
        )
        labels = ORGANISATION_LABELS
        help_texts = ORGANISATION_HELP
        widgets = {
            "areas_covered": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
        }
        error_messages = {
            "email": {"invalid": "Enter an email address in the right format, like name@example.org."},
            "website": {"invalid": "Enter a web address in the right format, like https://www.example.org."},
            "name": {"required": "Enter the organisation's name."},
        }

    def __init__(self, *args: Any, editable: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]

    def validate_unique(self) -> None:
        # Names are unique whatever their case: the service checks it and names the field.
        return None
