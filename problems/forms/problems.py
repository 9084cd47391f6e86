"""Forms for the problem record, the problem list's filters and reviews: parsing and field
validation only (the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import POLICE_ROLES, User
from core.concurrency import VERSION_FIELD, VersionedFormMixin
from core.forms import DateInput, latitude_field, longitude_field
from partnerships.models import DataCategory, Neighbourhood, Organisation
from problems.forms.disclosure import data_category_field
from problems.models import (
    DemandSourceKind,
    DisclosurePart,
    Problem,
    ProblemCategory,
    ProblemSource,
    RiskLevel,
    Stage,
)
from problems.selectors.problems import neighbourhoods_for_problem, problem_list_neighbourhoods_for

DATE_INVALID = "Enter a real date, for example 2026-04-30."
RADIUS_INVALID = "Enter the radius as a whole number of metres from 10 to 20,000."
CATEGORY_CHOICE_INVALID = "Choose a category from the list."
STAGE_CHOICE_INVALID = "Choose a stage from the list."
OWNER_CHOICE_INVALID = "Choose whose problems to show from the list."
RESTRICTED_CHOICE_INVALID = "Choose restricted or not restricted from the list."
NEIGHBOURHOOD_CHOICE_INVALID = "Choose the neighbourhood or ward from the list."

PROBLEM_FORM_FIELDS = (
    "title",
    "description",
    "description_category",
    "category",
    "source",
    "risk_level",
    "opened_on",
    "neighbourhood",
    "address",
    "lsoa_code",
    "latitude",
    "longitude",
    "radius_m",
    "restricted",
    "named_users",
)
# The demand and the problem as first reported (issue 20), after "Where it came from" on the form.
DEMAND_FORM_FIELDS = ("demand_sources", "demand_note", "perceived_problem", "demand_category")
DEMAND_SOURCE_CHOICE_INVALID = "Choose who asked for the problem to be worked from the list."

# What a link may fill in on a new problem's form (ProblemForm.initial_from_query).
PREFILL_FIELDS = ("description", "category", "source", "address", "lsoa_code", "latitude", "longitude", "radius_m")


class NamedUserField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class ProblemForm(VersionedFormMixin, forms.Form):
    """The record's details. On an existing problem, also whether to move the review date."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the problem."}
    )
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Describe the problem."},
    )
    # Made in __init__ (problems.forms.disclosure): declared here for its place on the form.
    description_category = forms.ModelChoiceField(queryset=DataCategory.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label="Category",
        queryset=ProblemCategory.objects.none(),
        empty_label="Choose a category",
        error_messages={"required": CATEGORY_CHOICE_INVALID, "invalid_choice": CATEGORY_CHOICE_INVALID},
    )
    source = forms.ChoiceField(
        label="Where it came from",
        choices=[("", "Choose a source"), *ProblemSource.choices],
        error_messages={
            "required": "Choose where the problem came from.",
            "invalid_choice": "Choose where the problem came from.",
        },
    )
    demand_sources = forms.MultipleChoiceField(
        label="Who asked for the problem to be worked (the demand)",
        choices=DemandSourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every source of the demand.",
        error_messages={"invalid_choice": DEMAND_SOURCE_CHOICE_INVALID, "invalid_list": DEMAND_SOURCE_CHOICE_INVALID},
    )
    demand_note = forms.CharField(
        label="Demand notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who asked, when and how: the ward panel meeting, the councillor's email, the analyst's report.",
    )
    perceived_problem = forms.CharField(
        label="The perceived problem, as first reported",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The problem as those asking see it, in their words. Scanning records it as defined.",
    )
    # Made in __init__ (problems.forms.disclosure): declared here for its place on the form.
    demand_category = forms.ModelChoiceField(queryset=DataCategory.objects.none(), required=False)
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        initial=RiskLevel.MEDIUM,
        widget=forms.RadioSelect,
        help_text="Sets how often the problem is reviewed: high every 14 days, medium 28, low 56.",
        error_messages={"required": "Choose a risk level.", "invalid_choice": "Choose a risk level from the list."},
    )
    opened_on = forms.DateField(
        label="Date opened",
        required=False,
        widget=DateInput(),
        help_text="Leave empty for today.",
        error_messages={"invalid": DATE_INVALID},
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood or ward",
        queryset=Neighbourhood.objects.none(),
        empty_label="Choose a neighbourhood or ward",
        help_text="Your force's neighbourhoods. Not listed? Ask an administrator to add it.",
        error_messages={"required": NEIGHBOURHOOD_CHOICE_INVALID, "invalid_choice": NEIGHBOURHOOD_CHOICE_INVALID},
    )
    address = forms.CharField(label="Address or place", max_length=250, required=False)
    lsoa_code = forms.CharField(
        label="LSOA code",
        max_length=20,
        required=False,
        help_text="The Lower layer Super Output Area, for example E01012345 (E01 or W01 and 6 digits).",
    )
    latitude = latitude_field()
    longitude = longitude_field()
    radius_m = forms.IntegerField(
        label="Radius (metres)",
        required=False,
        min_value=10,
        max_value=20000,
        help_text="The area around the location used for crime comparisons. Needs a latitude and longitude.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), RADIUS_INVALID),
    )
    restricted = forms.BooleanField(
        label="Restricted",
        required=False,
        help_text="Only you, your force's supervisors and the people named below will see a restricted problem.",
    )
    named_users = NamedUserField(
        label="People named on the problem",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Police colleagues who may see the problem when it is restricted.",
        error_messages={
            "invalid_choice": "Choose people from the list.",
            "invalid_pk_value": "Choose people from the list.",
        },
    )
    reschedule_review = forms.BooleanField(
        label="Set the next review date from today by the risk level",
        required=False,
        help_text="Leave unticked to keep the review date already set, even if you change the risk level.",
    )

    def __init__(self, *args: Any, force: Organisation, problem: Problem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["description_category"] = data_category_field(
            DisclosurePart.DESCRIPTION, label="Kind of personal data in the text above (for sharing)"
        )
        self.fields["demand_category"] = data_category_field(
            DisclosurePart.DEMAND, label="Kind of personal data in the demand notes and perceived problem (for sharing)"
        )
        self.fields["neighbourhood"].queryset = neighbourhoods_for_problem(  # type: ignore[attr-defined]
            force=force, problem=problem
        )
        self.fields["named_users"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            organisation=force, role__in=POLICE_ROLES, is_active=True
        ).order_by("full_name")
        if problem is None:
            del self.fields["reschedule_review"]
        else:
            self.fields["opened_on"].help_text = ""

    @classmethod
    def initial_from_query(cls, query: Any) -> dict[str, Any]:
        """A new problem's form filled in from a link ("open as a problem" on the crime hotspot
        page): only these fields, shown for the officer to check; nothing is saved until they do."""
        initial: dict[str, Any] = {name: str(query[name])[:10000] for name in PREFILL_FIELDS if query.get(name)}
        if "category" in initial:
            initial["category"] = (
                ProblemCategory.objects.filter(code=initial["category"], active=True)
                .values_list("pk", flat=True)
                .first()
            )
        return initial

    @classmethod
    def initial_for(cls, problem: Problem) -> dict[str, Any]:
        initial: dict[str, Any] = {field: getattr(problem, field) for field in PROBLEM_FORM_FIELDS[:-1]}
        initial["neighbourhood"] = problem.neighbourhood_id
        initial["description_category"] = problem.description_category_id
        initial["named_users"] = [user.pk for user in problem.named_users.all()]
        initial["demand_sources"] = [source.kind for source in problem.demand_sources.all()]
        initial["demand_note"] = problem.demand_note
        initial["perceived_problem"] = problem.perceived_problem
        initial["demand_category"] = problem.demand_category_id
        initial[VERSION_FIELD] = problem.lock_version
        return initial

    def service_fields(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in (*PROBLEM_FORM_FIELDS, *DEMAND_FORM_FIELDS)}


class ProblemFilterForm(forms.Form):
    """The problem list's search and filters. An invalid value is reported and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Reference, title or description")
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *Stage.choices],
        error_messages={"invalid_choice": STAGE_CHOICE_INVALID},
    )
    category = forms.ModelChoiceField(
        label="Category",
        required=False,
        queryset=ProblemCategory.objects.all(),
        empty_label="Any category",
        error_messages={"invalid_choice": CATEGORY_CHOICE_INVALID},
    )
    area = forms.ModelChoiceField(
        label="Neighbourhood or ward",
        required=False,
        queryset=Neighbourhood.objects.none(),
        empty_label="Any neighbourhood",
        error_messages={"invalid_choice": NEIGHBOURHOOD_CHOICE_INVALID},
    )
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        choices=[("", "Anyone"), ("me", "Me")],
        error_messages={"invalid_choice": OWNER_CHOICE_INVALID},
    )
    restricted = forms.ChoiceField(
        label="Restriction",
        required=False,
        choices=[("", "Restricted or not"), ("yes", "Restricted only"), ("no", "Not restricted")],
        error_messages={"invalid_choice": RESTRICTED_CHOICE_INVALID},
    )
    overdue = forms.BooleanField(label="Only overdue reviews", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = problem_list_neighbourhoods_for(user)  # type: ignore[attr-defined]

    def filters(self, user: User) -> dict[str, Any]:
        """The selector's arguments from the values that are valid (invalid ones are left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        restricted = {"yes": True, "no": False}.get(data.get("restricted") or "")
        return {
            "search": data.get("q") or "",
            "stage": data.get("stage") or "",
            "category": data.get("category"),
            "neighbourhood": data.get("area"),
            "owner": user if data.get("owner") == "me" else None,
            "overdue": bool(data.get("overdue")),
            "restricted": restricted,
        }


class ReviewForm(forms.Form):
    notes = forms.CharField(
        label="Review notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Write notes on the review."},
        help_text="What has changed since the last review, and what happens next.",
    )
    next_review_date = forms.DateField(
        label="Next review date",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to set it by the problem's risk level.",
        error_messages={"invalid": DATE_INVALID},
    )
