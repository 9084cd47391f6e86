"""Forms for a problem's SARA content and its stage moves: parsing and field validation only (the
services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from accounts.models import User
from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import DateInput
from partnerships.models import Organisation
from partnerships.selectors.organisations import has_active_users
from problems.forms.disclosure import data_category_field
from problems.models import ActionStatus, Controller, Hypothesis, Objective, Problem, ResponseAction, Stage
from problems.models.disclosure import DisclosurePart
from problems.services import sara as services

ACTION_CATEGORY_HELP = (
    "Of the action's description, responsible person and reason for cancelling. A partner reads them "
    "only if the share with them discloses this category; leave it empty for the usual one."
)
DATE_INVALID = "Enter a real date, for example 2026-04-30."
TEXTAREA_ROWS = 3


def _textareas(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", TEXTAREA_ROWS)
        if isinstance(field.widget, DateInput):
            field.error_messages["invalid"] = DATE_INVALID


class ScanningForm(VersionedFormMixin, forms.ModelForm[Problem]):
    class Meta:
        model = Problem
        fields = services.SCANNING_FIELDS
        labels = {
            "problem_statement": "Problem statement",
            "defined_problem": "The defined problem, after analysis",
            "evidence_sources": "Evidence sources",
        }
        help_texts = {
            "problem_statement": "What the problem is, in one or two sentences.",
            "defined_problem": (
                "The problem as the evidence shows it, which may differ from the perceived problem first reported:"
                " what happens, where, when and to whom."
            ),
            "evidence_sources": "Where the evidence comes from: calls for service, crime data, residents' reports.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statement_category"] = data_category_field(
            DisclosurePart.STATEMENT, label="Kind of personal data in these answers (for sharing)"
        )
        _textareas(self)


class AnalysisForm(VersionedFormMixin, forms.ModelForm[Problem]):
    class Meta:
        model = Problem
        fields = services.ANALYSIS_FIELDS
        labels = {
            "pat_offender": "Offender: what is known",
            "pat_victim": "Victim or target: what is known",
            "pat_location": "Location: what is known",
            "data_sources_used": "Data sources used",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["triangle_category"] = data_category_field(
            DisclosurePart.TRIANGLE, label="Kind of personal data in the triangle (for sharing)"
        )
        _textareas(self)


class AimsForm(VersionedFormMixin, forms.ModelForm[Problem]):
    class Meta:
        model = Problem
        fields = services.AIMS_FIELDS
        labels = {
            "perceived_aim": "The perceived aim",
            "defined_aim": "The defined aim",
            "aim_evaluation": "How it will be evaluated",
        }
        help_texts = {
            "perceived_aim": "What those who asked for the problem to be worked want to happen, in their words.",
            "defined_aim": "What the team aims to achieve, once the problem is defined; the objectives measure it.",
            "aim_evaluation": (
                "How you will know whether the aim was achieved: the measures, the period before and after,"
                " any comparison area, and who will judge it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _textareas(self)


class AssessmentForm(VersionedFormMixin, forms.ModelForm[Problem]):
    class Meta:
        model = Problem
        fields = services.ASSESSMENT_FIELDS
        labels = {
            "process_evaluation": "Process evaluation: was the response delivered as planned?",
            "displacement": "Displacement: did the problem move elsewhere?",
            "diffusion_of_benefits": "Diffusion of benefits: did nearby places benefit too?",
            "lessons_learned": "Lessons learned",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _textareas(self)


class ControllerForm(VersionedFormMixin, forms.ModelForm[Controller]):
    class Meta:
        model = Controller
        fields = services.CONTROLLER_FIELDS
        labels = {"kind": "Kind of controller", "who": "Who they are", "engaged": "They are engaged"}
        error_messages = {
            "kind": {"required": services.CONTROLLER_KIND_INVALID, "invalid_choice": services.CONTROLLER_KIND_INVALID},
            "who": {"required": services.CONTROLLER_WHO_REQUIRED},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_category"] = data_category_field(DisclosurePart.CONTROLLER)
        _textareas(self)


class HypothesisForm(VersionedFormMixin, forms.ModelForm[Hypothesis]):
    class Meta:
        model = Hypothesis
        fields = services.HYPOTHESIS_FIELDS
        labels = {"statement": "Hypothesis", "status": "Status", "evidence": "Evidence"}
        error_messages = {
            "statement": {"required": services.HYPOTHESIS_STATEMENT_REQUIRED},
            "status": {
                "required": services.HYPOTHESIS_STATUS_INVALID,
                "invalid_choice": services.HYPOTHESIS_STATUS_INVALID,
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _textareas(self)


MET_CHOICES = [("", "Not yet known"), ("yes", "Yes"), ("no", "No")]


class ObjectiveForm(VersionedFormMixin, forms.ModelForm[Objective]):
    """The plan of an objective; in assessment also its result and whether it was met."""

    met = forms.TypedChoiceField(
        label="Was the objective met?",
        choices=MET_CHOICES,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        error_messages={"invalid_choice": "Choose yes, no or not yet known."},
    )

    class Meta:
        model = Objective
        fields = (*services.OBJECTIVE_PLAN_FIELDS, "result")
        widgets = {"target_date": DateInput(), "description": forms.Textarea}
        labels = {"target_date": "Target date", "baseline": "Baseline", "result": "Result"}
        help_texts = {
            "measure": "How progress is measured, for example: calls to the police about ASB at the parade.",
            "baseline": "The measure's value now, for example: 34 calls in the last three months.",
            "target": "For example: fewer than 15 calls a quarter.",
        }
        error_messages = {
            "description": {"required": services.OBJECTIVE_DESCRIPTION_REQUIRED},
            "measure": {"required": services.OBJECTIVE_MEASURE_REQUIRED},
            "target": {"required": services.OBJECTIVE_TARGET_REQUIRED},
            "target_date": {"required": services.OBJECTIVE_TARGET_DATE_REQUIRED},
        }

    revision_reason = forms.CharField(
        label="Reason for revising the baseline or target",
        help_text=(
            "The baseline and target are fixed once the response has started: a change is kept as a revision,"
            " with this reason. Leave empty if you change neither."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, with_result: bool = False, revision: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.met is not None and not self.is_bound:
            self.initial["met"] = "yes" if self.instance.met else "no"
        if not with_result:
            del self.fields["result"]
            del self.fields["met"]
        if not revision:
            del self.fields["revision_reason"]
        _textareas(self)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != VERSION_FIELD}


class ResponsibleUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organisation.name})"


NO_USERS_YET = "{name} (no users yet)"


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Annotated by ActionForm: an organisation nobody can sign in to is told nothing.
        if getattr(obj, "has_users", True):
            return str(obj.name)
        return NO_USERS_YET.format(name=obj.name)


class ActionForm(VersionedFormMixin, forms.ModelForm[ResponseAction]):
    responsible_organisation = OrganisationField(
        queryset=Organisation.objects.none(),
        label="Responsible organisation",
        error_messages={
            "required": services.ACTION_ORGANISATION_REQUIRED,
            "invalid_choice": "Choose an organisation from the list.",
        },
    )
    responsible_user = ResponsibleUserField(
        queryset=User.objects.none(),
        required=False,
        label="Responsible user (optional)",
        empty_label="No user",
        help_text="Someone with an account here; they must belong to the responsible organisation.",
        error_messages={"invalid_choice": "Choose a user from the list."},
    )

    class Meta:
        model = ResponseAction
        fields = services.ACTION_FIELDS
        widgets = {"due_date": DateInput(), "description": forms.Textarea}
        labels = {
            "intervention_kind": "Kind of intervention",
            "responsible_person": "Responsible person",
            "due_date": "Due date",
            "cancel_reason": "Reason for cancelling",
        }
        help_texts = {
            "responsible_person": "Their name and role, if they have no account or are not listed.",
            "cancel_reason": "Needed only when the status is cancelled.",
        }
        error_messages = {
            "description": {"required": services.ACTION_DESCRIPTION_REQUIRED},
            "intervention_kind": {
                "required": services.ACTION_KIND_INVALID,
                "invalid_choice": services.ACTION_KIND_INVALID,
            },
            "due_date": {"required": services.ACTION_DUE_DATE_REQUIRED},
            "status": {"invalid_choice": services.ACTION_STATUS_INVALID},
        }

    def __init__(self, *args: Any, problem: Problem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The owning force, or any active organisation (services check the same rule).
        organisations = Organisation.objects.filter(Q(active=True) | Q(pk=problem.owning_organisation_id))
        self.fields["responsible_organisation"].queryset = organisations.annotate(  # type: ignore[attr-defined]
            has_users=has_active_users()
        ).order_by("name")
        self.fields["responsible_user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "full_name")
        )
        self.fields["data_category"] = data_category_field(
            DisclosurePart.ACTION,
            help_text=ACTION_CATEGORY_HELP,
        )
        _textareas(self)

    def clean(self) -> dict[str, Any]:
        # Checked here as well as in the service so that the model's check constraint never
        # produces its own (technical) message.
        data = super().clean() or {}
        if data.get("status") == ActionStatus.CANCELLED and not (data.get("cancel_reason") or "").strip():
            self.add_error("cancel_reason", services.ACTION_CANCEL_REASON_REQUIRED)
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.ACTION_FIELDS}


class AdvanceForm(forms.Form):
    # The stage the user saw (problems.services.stages: two moves at once end in one).
    seen_stage = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignOffForm(forms.Form):
    """A supervisor signs off the assessment: a note for the record and a confirmation (issue 20:
    it was one click, with nothing said)."""

    seen_stage = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    note = forms.CharField(
        label="Sign-off note (optional)",
        help_text="What you checked, and anything the team should know. Kept in the problem's history.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I have read the assessment and its results and sign it off",
        error_messages={"required": "Tick the box to confirm the sign-off."},
    )


class ReopenForm(forms.Form):
    seen_stage = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    to_stage = forms.ChoiceField(
        label="Reopen at stage",
        choices=(),
        error_messages={"required": "Choose the stage to reopen at.", "invalid_choice": "Choose an earlier stage."},
    )
    reason = forms.CharField(
        label="Reason for reopening",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Give the reason for reopening the problem."},
    )

    def __init__(self, *args: Any, stages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(stage, Stage(stage).label) for stage in stages]  # type: ignore[attr-defined]


class EmptyForm(forms.Form):
    """No fields: carries a refused move's errors into the shared error summary."""
