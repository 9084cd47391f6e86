"""`as_filter_field` (core.templatetags.filter_fields): the list pages' filter fields, remembered once
rendered, give exactly crispy-forms' HTML, never another force's choices, and no extra query."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.forms import Form

from core.templatetags import filter_fields
from core.templatetags.filter_fields import as_filter_field, as_form_field
from evaluation.forms.impact import ImpactReportForm
from problems.forms.problems import ProblemFilterForm
from problems.forms.sara import AdvanceForm, SignOffForm
from problems.forms.sharing import SharedWithUsFilterForm
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory

PROBLEM_FILTERS: list[dict[str, str] | None] = [
    None,
    {},
    {"q": "graffiti", "stage": "analysis", "owner": "me", "restricted": "yes", "overdue": "on"},
    {"q": "<script>alert(1)</script>", "stage": "no-such-stage", "owner": "someone", "restricted": "maybe"},
    {"category": "999999", "area": "999999"},
    {"q": "x" * 300},
]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    filter_fields._rendered.clear()


def _rendered(form: Form, render: Any) -> list[str]:
    return [str(render(field)) for field in form.visible_fields()]


@pytest.mark.django_db
@pytest.mark.parametrize("data", PROBLEM_FILTERS)
def test_problem_filters_render_as_crispy_forms_renders_them_first_time_and_after(
    world: World, data: dict[str, str] | None
) -> None:
    officer = world.users["officer"]
    NeighbourhoodFactory(organisation=world.force, name="Eastgate & Mill <Lane>")
    expected = _rendered(ProblemFilterForm(data, user=officer), as_crispy_field)
    assert _rendered(ProblemFilterForm(data, user=officer), as_filter_field) == expected
    assert _rendered(ProblemFilterForm(data, user=officer), as_filter_field) == expected
    assert filter_fields._rendered


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"q": "noise", "stage": "response"}, {"stage": "bogus"}])
def test_shared_with_us_filters_render_as_crispy_forms_renders_them(data: dict[str, str] | None) -> None:
    expected = _rendered(SharedWithUsFilterForm(data), as_crispy_field)
    for _ in range(2):
        assert _rendered(SharedWithUsFilterForm(data), as_filter_field) == expected


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"start": "2026-01-01", "end": "2026-06-30", "area": "n:1"},
        {"start": "not a date", "end": "2020-01-01", "area": "nowhere"},
        {"start": "2026-06-30", "end": "2026-01-01", "area": "n:1"},
    ],
)
def test_impact_report_fields_render_as_crispy_forms_renders_them(data: dict[str, str] | None) -> None:
    areas = [("n:1", "Eastgate", "Neighbourhoods"), ("p:2", "Northshire CSP", "Partnerships")]
    initial = {"start": datetime.date(2026, 1, 1), "end": datetime.date(2026, 12, 31)}

    def form() -> ImpactReportForm:
        return ImpactReportForm(data, initial=initial, areas=areas)

    expected = _rendered(form(), as_crispy_field)
    for _ in range(2):
        assert _rendered(form(), as_filter_field) == expected


@pytest.mark.django_db
def test_another_forces_neighbourhoods_are_never_offered(world: World) -> None:
    NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    other_force = PoliceForceFactory(name="Southshire Police")
    NeighbourhoodFactory(organisation=other_force, name="Harbourside")
    other_officer = UserFactory(organisation=other_force)
    ours = ProblemFilterForm(None, user=world.users["officer"])
    theirs = ProblemFilterForm(None, user=other_officer)
    assert "Harbourside" in str(as_filter_field(theirs["area"]))
    area = str(as_filter_field(ours["area"]))
    assert "Eastgate" in area
    assert "Harbourside" not in area


@pytest.mark.django_db
def test_a_renamed_neighbourhood_is_shown_by_its_new_name(world: World) -> None:
    area = NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    officer = world.users["officer"]
    assert "Eastgate" in str(as_filter_field(ProblemFilterForm(None, user=officer)["area"]))
    area.name = "East Gate"
    area.save()
    assert "East Gate" in str(as_filter_field(ProblemFilterForm(None, user=officer)["area"]))


@pytest.mark.django_db
def test_remembering_a_field_makes_no_extra_query(world: World, django_assert_num_queries: Any) -> None:
    officer = world.users["officer"]
    form = ProblemFilterForm(None, user=officer)
    # The category and neighbourhood choices: one query each, as crispy-forms' rendering makes.
    with django_assert_num_queries(2):
        _rendered(form, as_crispy_field)
    for _ in range(2):  # first rendered, then remembered
        with django_assert_num_queries(2):
            _rendered(ProblemFilterForm(None, user=officer), as_filter_field)


@pytest.mark.parametrize(
    ("form_class", "data", "initial", "remembered"),
    [
        (SignOffForm, None, {"seen_stage": "assessment"}, True),
        (AdvanceForm, None, {"seen_stage": "analysis"}, True),
        (AdvanceForm, None, {"note": "Case detail read from a record"}, False),
        (SignOffForm, {"note": "Typed by the supervisor", "confirm": ""}, None, False),
        (AdvanceForm, {"note": ""}, None, False),
    ],
)
def test_form_fields_render_as_crispy_forms_and_only_blank_unbound_ones_are_remembered(
    form_class: type[Form], data: dict[str, str] | None, initial: dict[str, str] | None, remembered: bool
) -> None:
    expected = _rendered(form_class(data, initial=initial), as_crispy_field)
    for _ in range(2):
        assert _rendered(form_class(data, initial=initial), as_form_field) == expected
    kept = list(filter_fields._rendered.values())
    assert bool(kept) is remembered
    assert not any("Typed by" in html or "Case detail" in html for html in kept)
