"""Forms of the survey builder: a survey's details (optionally starting from a shipped template), a
question with its options, and the results filter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Model, QuerySet

from core.forms import DateInput
from evaluation.models.surveys import CHOICE_KINDS, Audience, Question, QuestionKind, Survey
from evaluation.selectors.surveys_access import (
    neighbourhood_list_usable_for_surveys,
    partnership_list_usable_for_surveys,
)
from evaluation.services.survey_templates import TEMPLATES, template_choices
from evaluation.services.surveys import NEIGHBOURHOOD_NOT_USABLE, PARTNERSHIP_NOT_USABLE, PROBLEM_NOT_USABLE
from evaluation.services.surveys_questions import OptionInput
from partnerships.models import Neighbourhood, Partnership, SeldomHeardGroup
from problems.models import Problem
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User

OPTION_GROUP_UNKNOWN = "Line {line}: there is no seldom-heard group called “{name}”."
OPTION_EMPTY = "Line {line}: give the option's text before the “|”."
PERIOD_ORDERED = "The end of the period must be on or after its start."


def _with_current[M: Model](choices: QuerySet[M], current_id: int | None) -> QuerySet[M]:
    """The choices and the row the survey already names (one query, as an OR of the two)."""
    return choices if current_id is None else choices | choices.model._default_manager.filter(pk=current_id)


class SurveyForm(forms.Form):
    template = forms.ChoiceField(choices=[("", "None")], required=False, widget=forms.HiddenInput)
    title = forms.CharField(max_length=200)
    introduction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label="Who answers", choices=Audience.choices, widget=forms.RadioSelect)
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        error_messages={"invalid_choice": NEIGHBOURHOOD_NOT_USABLE},
    )
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        error_messages={"invalid_choice": PARTNERSHIP_NOT_USABLE},
    )
    problem = forms.ModelChoiceField(
        queryset=Problem.objects.none(), required=False, error_messages={"invalid_choice": PROBLEM_NOT_USABLE}
    )
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(label="Closes on", widget=DateInput())
    consent_text = forms.CharField(
        label="Consent text",
        required=False,
        help_text="Shown before the first demographic question.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, survey: Survey | None = None, **kwargs: Any) -> None:
        """The choices are what the services accept (evaluation.selectors.surveys_access): another
        partnership's id is refused here and there. When editing, the survey's own values stay
        offered (its organisation may have left the partnership since; the service allows them)."""
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "None"), *template_choices()]  # type: ignore[attr-defined]
        neighbourhoods = neighbourhood_list_usable_for_surveys(user=user)
        partnerships = partnership_list_usable_for_surveys(user=user)
        problems: QuerySet[Problem] = problems_visible_to(user).only("pk", "reference", "title")
        if survey is not None:
            neighbourhoods = _with_current(neighbourhoods, survey.neighbourhood_id)
            partnerships = _with_current(partnerships, survey.partnership_id)
            problems = _with_current(problems, survey.problem_id)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        self.fields["problem"].queryset = problems  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "introduction": survey.introduction,
            "audience": survey.audience,
            "neighbourhood": survey.neighbourhood_id,
            "partnership": survey.partnership_id,
            "problem": survey.problem_id,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "consent_text": survey.consent_text,
        }

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "template"}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Type of question", choices=QuestionKind.choices)
    text = forms.CharField(label="Question", max_length=300)
    help_text = forms.CharField(label="Help text", max_length=300, required=False)
    required = forms.BooleanField(label="An answer is required", required=False)
    demographic = forms.BooleanField(label="A demographic question (asked after the consent text)", required=False)
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Single and multiple choice only: one option per line. To count an option as reaching a "
            "seldom-heard group, add “| group name”, for example “65 or over | Older people”."
        ),
    )
    min_value = forms.IntegerField(label="Smallest number accepted", required=False)
    max_value = forms.IntegerField(label="Largest number accepted", required=False)

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        lines = [
            f"{option.label} | {option.seldom_heard_group.name}" if option.seldom_heard_group else option.label
            for option in question.options.select_related("seldom_heard_group")
        ]
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "demographic": question.demographic,
            "options": "\n".join(lines),
            "min_value": question.min_value,
            "max_value": question.max_value,
        }

    def clean_options(self) -> list[OptionInput]:
        groups = {group.name.casefold(): group for group in SeldomHeardGroup.objects.filter(active=True)}
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _, group_name = line.partition("|")
            if not label.strip():
                raise forms.ValidationError(OPTION_EMPTY.format(line=number))
            group = None
            if group_name.strip():
                group = groups.get(group_name.strip().casefold())
                if group is None:
                    raise forms.ValidationError(OPTION_GROUP_UNKNOWN.format(line=number, name=group_name.strip()))
            options.append(OptionInput(label=label.strip()[:200], group=group))
        return options

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data["kind"] not in CHOICE_KINDS and not data["options"]:
            data["options"] = []
        return data


class ResultsFilterForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.all(),
        required=False,
        empty_label="All neighbourhoods",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(label="From", required=False, widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label="To", required=False, widget=DateInput(attrs={"class": "form-control"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", PERIOD_ORDERED)
        return cleaned

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def template_title(key: str) -> str:
    return TEMPLATES[key].title if key in TEMPLATES else ""


PRIORITY_INVALID = "Choose a priority from the list."


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}, {obj.neighbourhood.name}, set {obj.issue_date:%d %B %Y}"


class SurveyPriorityForm(forms.Form):
    """Link a community priority to the survey whose results set it: the priorities the user may
    link (evaluation.selectors.survey_priorities) are the choices."""

    priority = PriorityChoiceField(
        label="Priority set from these results",
        queryset=Survey.objects.none(),
        empty_label="Choose a priority",
        help_text="A priority of the survey's neighbourhood (or of one you work in), not set from another survey; "
        "it is then recorded as chosen by survey.",
        error_messages={"required": PRIORITY_INVALID, "invalid_choice": PRIORITY_INVALID},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = candidates  # type: ignore[attr-defined]
