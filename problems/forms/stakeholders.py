"""Form: an entry on a problem's stakeholder map. The partnership map's form without its
controller field (a problem's controllers are its own rows, linked here), plus the contact, the
controllers it stands for and the data category. Parsing only: the service checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from partnerships.forms.stakeholders import StakeholderForm
from partnerships.models import Contact, Organisation
from partnerships.selectors.organisations import organisations_visible_to
from problems.forms.disclosure import data_category_field
from problems.models import Controller, DisclosurePart, Problem

CHOOSE_FROM_LIST = "Choose from the list."


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class ProblemStakeholderForm(StakeholderForm):
    contact = ContactChoiceField(
        label="Contact",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="None",
        help_text="A person at the organisation, from the partner registry.",
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    controllers = forms.ModelMultipleChoiceField(
        label="Controllers of the problem analysis triangle it stands for",
        queryset=Controller.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST, "invalid_pk_value": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args: Any, problem: Problem, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["pat_controller"]
        visible = organisations_visible_to(user)
        organisations = Organisation.objects.filter(pk__in=visible.values("pk"), active=True)
        self.fields["organisation"].queryset = organisations.order_by("name")  # type: ignore[attr-defined]
        contacts = Contact.objects.filter(organisation__in=visible.values("pk")).select_related("organisation")
        self.fields["contact"].queryset = contacts.order_by("organisation__name", "name")  # type: ignore[attr-defined]
        self.fields["controllers"].queryset = problem.controllers.all()  # type: ignore[attr-defined]
        self.fields["data_category"] = data_category_field(DisclosurePart.CONTROLLER)
