"""core.concurrency, the one mechanism against lost updates: the conditional claim of a version,
the conflict's message (who saved last and when, from the audit log), the form's hidden version,
and a refused form shown again with what was typed kept and the saved version beside it.
(A problem stands in for any versioned record.)"""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import timezone

from core.audit import audit_record
from core.concurrency import (
    EDITED_BY_SOMEONE_ELSE,
    SOMEONE,
    VERSION_FIELD,
    VERSION_INVALID,
    EditConflict,
    VersionedFormMixin,
    posted_version,
    version_claim,
    when,
)
from core.forms import form_add_service_errors
from problems.models import Problem
from tests.conftest import World
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db

VERBS = ("problems.problem.updated",)


class _StatementForm(VersionedFormMixin, forms.ModelForm[Problem]):
    class Meta:
        model = Problem
        fields = ("problem_statement", "risk_level")


def _problem(world: World) -> Problem:
    return ProblemFactory(owning_organisation=world.force, owner=world.users["officer"])


def test_a_claim_over_the_version_seen_moves_the_row_and_the_object_on(world: World) -> None:
    problem = _problem(world)
    version_claim(problem, seen=1, verbs=VERBS)
    assert problem.lock_version == 2
    assert Problem.objects.get(pk=problem.pk).lock_version == 2


def test_a_claim_over_an_older_version_is_refused_naming_who_saved_last_and_when(world: World) -> None:
    problem = _problem(world)
    version_claim(problem, seen=1, verbs=VERBS)
    event = audit_record(actor=world.users["supervisor"], verb=VERBS[0], target=problem, detail={})
    stale = Problem.objects.get(pk=problem.pk)

    with pytest.raises(EditConflict) as refused:
        version_claim(stale, seen=1, verbs=VERBS)

    assert refused.value.messages == [
        EDITED_BY_SOMEONE_ELSE.format(
            name=world.users["supervisor"].full_name, what="problem", when=when(event.created_at)
        )
    ]
    assert refused.value.current.lock_version == 2
    assert refused.value.value == 2
    assert Problem.objects.get(pk=problem.pk).lock_version == 2


def test_without_a_version_seen_the_row_must_still_be_as_it_was_read(world: World) -> None:
    """The UPDATE is conditional even when the caller took no lock (SQLite has none)."""
    problem = _problem(world)
    read_earlier = Problem.objects.get(pk=problem.pk)
    version_claim(problem, seen=None, verbs=VERBS)
    with pytest.raises(EditConflict) as refused:
        version_claim(read_earlier, seen=None, verbs=VERBS)
    assert SOMEONE in refused.value.messages[0]


def test_the_time_is_given_alone_today_and_with_the_date_otherwise() -> None:
    now = timezone.localtime()
    assert when(now) == f"at {now:%H:%M}"
    earlier = now - datetime.timedelta(days=3)
    assert when(earlier) == f"at {earlier:%H:%M} on {earlier.day} {earlier:%B %Y}"


def test_the_form_carries_the_version_seen_hidden_and_leaves_it_out_of_cleaned_data(world: World) -> None:
    problem = _problem(world)
    Problem.objects.filter(pk=problem.pk).update(lock_version=7)
    problem.refresh_from_db()
    assert f'type="hidden" name="{VERSION_FIELD}" value="7"' in str(_StatementForm(instance=problem))

    form = _StatementForm({"problem_statement": "Typed", "risk_level": "high", VERSION_FIELD: "7"}, instance=problem)
    assert form.is_valid()
    assert form.seen_version == 7
    assert VERSION_FIELD not in form.cleaned_data


@pytest.mark.parametrize("posted", ["seven", "0", "-1", "99999999999999999999"])
def test_a_version_that_is_not_a_positive_number_is_refused_with_a_message(world: World, posted: str) -> None:
    form = _StatementForm({"problem_statement": "Typed", "risk_level": "high", VERSION_FIELD: posted})
    assert not form.is_valid()
    assert form.errors[VERSION_FIELD] == [VERSION_INVALID]


def test_a_form_without_the_version_is_not_checked(world: World) -> None:
    form = _StatementForm({"problem_statement": "Typed", "risk_level": "high"}, instance=_problem(world))
    assert form.is_valid()
    assert form.seen_version is None


def test_a_refused_form_keeps_what_was_typed_shows_the_saved_version_and_moves_its_version_on(world: World) -> None:
    problem = _problem(world)
    form = _StatementForm(
        {"problem_statement": "What I typed", "risk_level": "high", VERSION_FIELD: "1"}, instance=problem
    )
    assert form.is_valid()
    Problem.objects.filter(pk=problem.pk).update(problem_statement="What they saved", risk_level="low", lock_version=2)
    with pytest.raises(EditConflict) as refused:
        version_claim(problem, seen=form.seen_version, verbs=VERBS)

    form_add_service_errors(form, refused.value)

    assert form.non_field_errors() == refused.value.messages
    assert form["problem_statement"].value() == "What I typed"
    assert form[VERSION_FIELD].value() == "2"
    assert form.edit_conflict == [("Problem statement", "What they saved"), ("Risk level", "Low")]


def test_the_version_posted_by_a_button_is_read_when_it_is_a_number() -> None:
    assert posted_version({VERSION_FIELD: "3"}) == 3
    assert posted_version({VERSION_FIELD: "x"}) is None
    assert posted_version({VERSION_FIELD: "99999999999999999999"}) is None
    assert posted_version({VERSION_FIELD: "٣"}) is None  # an Arabic-Indic digit
    assert posted_version({}) is None
