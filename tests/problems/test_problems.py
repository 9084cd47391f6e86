"""The problem record's services and selectors: logging a problem with its reference, owner, stage
and first review date; validating the details; editing with the restriction and named users
audited; the list's filters and overdue flag; the due-for-review and own-problems selectors."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEvent
from problems.models import Problem, ProblemCategory, ProblemSource, RiskLevel, Stage
from problems.selectors.problems import (
    problem_list_due_for_review,
    problem_list_owned_by,
    problem_list_visible_to,
)
from problems.services import problems as services
from tests.accounts.factories import UserFactory
from tests.conftest import World
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory, force_neighbourhood

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _category(code: str = "asb") -> ProblemCategory:
    return ProblemCategory.objects.get(code=code)


def _create(world: World, persona: str = "officer", **overrides: Any) -> Problem:
    values: dict[str, Any] = {
        "title": "Street drinking at Market Parade",
        "description": "Groups drinking outside the shops every evening.",
        "category": _category(),
        "neighbourhood": force_neighbourhood(world.force),
        "source": ProblemSource.COMMUNITY_REPORT,
        "risk_level": RiskLevel.MEDIUM,
    }
    values.update(overrides)
    return services.problem_create(actor=world.users[persona], **values)


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- creating -----------------------------------------------------------------------------------


def test_officer_logs_a_problem_with_reference_owner_force_scanning_stage_and_audit(world: World) -> None:
    officer = world.users["officer"]
    problem = _create(world, lsoa_code="e01012345", latitude=Decimal("53.480759"), longitude=Decimal("-2.242631"))
    assert problem.reference == f"PRB-{_today().year}-00001"
    assert problem.owner == officer
    assert problem.created_by == officer
    assert problem.owning_organisation == world.force
    assert problem.stage == Stage.SCANNING
    assert problem.opened_on == _today()
    assert problem.lsoa_code == "E01012345"
    event = AuditEvent.objects.get(verb="problems.problem.created")
    assert event.actor == officer
    assert event.target_id == str(problem.pk)
    assert event.detail["reference"] == problem.reference
    assert event.detail["title"] == "Street drinking at Market Parade"


def test_references_count_up_within_the_year(world: World) -> None:
    first = _create(world)
    second = _create(world, persona="supervisor")
    year = _today().year
    assert (first.reference, second.reference) == (f"PRB-{year}-00001", f"PRB-{year}-00002")


def test_reference_follows_the_highest_of_the_year(world: World) -> None:
    year = _today().year
    ProblemFactory(force=world.force, reference=f"PRB-{year}-00007")
    assert _create(world).reference == f"PRB-{year}-00008"


@pytest.mark.django_db(transaction=True)
def test_two_officers_logging_at_once_get_different_references(world: World) -> None:
    barrier = threading.Barrier(2)
    references: list[str] = []
    failures: list[BaseException] = []

    def log(persona: str) -> None:
        try:
            barrier.wait(timeout=10)
            references.append(_create(world, persona=persona).reference)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    force_neighbourhood(world.force)  # the area both log in, there before they start
    threads = [threading.Thread(target=log, args=(p,)) for p in ("officer", "supervisor")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(set(references)) == 2


@pytest.mark.parametrize(("risk", "days"), [(RiskLevel.HIGH, 14), (RiskLevel.MEDIUM, 28), (RiskLevel.LOW, 56)])
def test_first_review_date_is_set_by_the_risk_level(world: World, risk: str, days: int) -> None:
    problem = _create(world, risk_level=risk)
    assert problem.next_review_date == _days(days)


def test_first_review_date_counts_from_the_day_the_problem_was_opened(world: World) -> None:
    problem = _create(world, risk_level=RiskLevel.HIGH, opened_on=_days(-20))
    assert problem.next_review_date == _days(-6)


def test_review_intervals_are_configurable(world: World, settings: Any) -> None:
    settings.PROBLEM_REVIEW_INTERVAL_DAYS = {"high": 7, "medium": 21, "low": 42}
    assert _create(world, risk_level=RiskLevel.LOW).next_review_date == _days(42)


def test_named_users_are_set_on_a_restricted_problem(world: World) -> None:
    problem = _create(world, restricted=True, named_users=[world.users["analyst"]])
    assert list(problem.named_users.all()) == [world.users["analyst"]]
    assert AuditEvent.objects.get(verb="problems.problem.created").detail["named_users"] == [world.users["analyst"].pk]


@pytest.mark.parametrize("persona", ["analyst", "partner_lead", "administrator"])
def test_only_officers_and_supervisors_log_problems(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        _create(world, persona=persona)
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", services.TITLE_REQUIRED),
        ({"description": ""}, "description", services.DESCRIPTION_REQUIRED),
        ({"neighbourhood": None}, "neighbourhood", services.NEIGHBOURHOOD_REQUIRED),
        ({"source": "rumour"}, "source", services.SOURCE_INVALID),
        ({"risk_level": "extreme"}, "risk_level", services.RISK_LEVEL_INVALID),
        ({"opened_on": datetime.date(2999, 1, 1)}, "opened_on", services.OPENED_ON_IN_FUTURE),
        ({"latitude": Decimal("53.4")}, "longitude", services.LATITUDE_WITHOUT_LONGITUDE),
        ({"longitude": Decimal("-2.2")}, "latitude", services.LONGITUDE_WITHOUT_LATITUDE),
        ({"latitude": Decimal("91"), "longitude": Decimal("0")}, "latitude", services.LATITUDE_OUT_OF_RANGE),
        ({"latitude": Decimal("0"), "longitude": Decimal("-181")}, "longitude", services.LONGITUDE_OUT_OF_RANGE),
        ({"radius_m": 200}, "radius_m", services.RADIUS_WITHOUT_LOCATION),
        (
            {"radius_m": 5, "latitude": Decimal("53.4"), "longitude": Decimal("-2.2")},
            "radius_m",
            services.RADIUS_OUT_OF_RANGE,
        ),
        ({"lsoa_code": "S01012345"}, "lsoa_code", services.LSOA_CODE_INVALID),
        ({"lsoa_code": "E0101234"}, "lsoa_code", services.LSOA_CODE_INVALID),
        ({"lsoa_code": "E010123456"}, "lsoa_code", services.LSOA_CODE_INVALID),
    ],
)
def test_invalid_details_are_refused_with_a_clear_message_and_nothing_is_created(
    world: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _create(world, **overrides)
    assert _errors(excinfo)[field] == [message]
    assert not Problem.objects.exists()
    assert not AuditEvent.objects.filter(verb="problems.problem.created").exists()


def test_welsh_lsoa_codes_and_a_full_location_are_accepted(world: World) -> None:
    problem = _create(world, lsoa_code="W01001234", latitude=Decimal("51.48"), longitude=Decimal("-3.18"), radius_m=300)
    assert (problem.lsoa_code, problem.radius_m) == ("W01001234", 300)


def test_another_forces_neighbourhood_is_refused_and_nothing_is_created(world: World) -> None:
    elsewhere = NeighbourhoodFactory(name="Eastgate", organisation=PoliceForceFactory(name="Southshire Police"))
    with pytest.raises(ValidationError) as excinfo:
        _create(world, neighbourhood=elsewhere)
    assert _errors(excinfo)["neighbourhood"] == [
        services.NEIGHBOURHOOD_OTHER_FORCE.format(force="Northshire Police", name="Eastgate")
    ]
    assert not Problem.objects.exists()


def test_a_retired_neighbourhood_is_refused_for_a_new_problem(world: World) -> None:
    retired = NeighbourhoodFactory(name="Old Town", organisation=world.force, active=False)
    with pytest.raises(ValidationError) as excinfo:
        _create(world, neighbourhood=retired)
    assert _errors(excinfo)["neighbourhood"] == [services.NEIGHBOURHOOD_INACTIVE.format(name="Old Town")]


def test_a_problem_keeps_its_neighbourhood_retired_since_when_other_details_change(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], neighbourhood="Old Town")
    problem.neighbourhood.active = False
    problem.neighbourhood.save()
    services.problem_update(
        actor=world.users["officer"], problem=problem, title="New title", neighbourhood=problem.neighbourhood
    )
    problem.refresh_from_db()
    assert (problem.title, problem.neighbourhood.name) == ("New title", "Old Town")
    moved = ProblemFactory(force=world.force, owner=world.users["officer"])
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=world.users["officer"], problem=moved, neighbourhood=problem.neighbourhood)
    assert _errors(excinfo)["neighbourhood"] == [services.NEIGHBOURHOOD_INACTIVE.format(name="Old Town")]


def test_moving_a_problem_to_another_forces_neighbourhood_is_refused(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    elsewhere = NeighbourhoodFactory(name="Farfield", organisation=PoliceForceFactory(name="Southshire Police"))
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=world.users["officer"], problem=problem, neighbourhood=elsewhere)
    assert _errors(excinfo)["neighbourhood"] == [
        services.NEIGHBOURHOOD_OTHER_FORCE.format(force="Northshire Police", name="Farfield")
    ]
    problem.refresh_from_db()
    assert problem.neighbourhood.name == "Eastgate"


def test_an_inactive_category_is_refused(world: World) -> None:
    category = _category("drugs")
    category.active = False
    category.save()
    with pytest.raises(ValidationError) as excinfo:
        _create(world, category=category)
    assert _errors(excinfo)["category"] == [services.CATEGORY_INVALID]


@pytest.mark.parametrize("who", ["partner", "other_force_officer", "deactivated"])
def test_only_active_police_users_of_the_force_can_be_named(world: World, who: str) -> None:
    user = {
        "partner": lambda: world.users["partner_member"],
        "other_force_officer": lambda: UserFactory(role=Role.OFFICER),
        "deactivated": lambda: world.users["deactivated"],
    }[who]()
    if who == "deactivated":
        user.is_active = False
        user.save()
    with pytest.raises(ValidationError) as excinfo:
        _create(world, restricted=True, named_users=[user])
    assert _errors(excinfo)["named_users"] == [
        services.NAMED_USER_NOT_ALLOWED.format(name=user.full_name, force="Northshire Police")
    ]
    assert not Problem.objects.exists()


# --- editing ------------------------------------------------------------------------------------


def test_owner_edits_details_and_the_change_is_audited_with_before_and_after(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Old title")
    westgate = force_neighbourhood(world.force, "Westgate")
    services.problem_update(actor=world.users["officer"], problem=problem, title="New title", neighbourhood=westgate)
    problem.refresh_from_db()
    assert (problem.title, problem.neighbourhood) == ("New title", westgate)
    event = AuditEvent.objects.get(verb="problems.problem.updated")
    assert event.detail == {
        "title": {"before": "Old title", "after": "New title"},
        "neighbourhood": {"before": "Eastgate", "after": "Westgate"},
    }


def test_restricting_and_naming_users_is_audited_with_before_and_after(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    analyst = world.users["analyst"]
    services.problem_update(actor=world.users["supervisor"], problem=problem, restricted=True, named_users=[analyst])
    problem.refresh_from_db()
    assert problem.restricted
    assert list(problem.named_users.all()) == [analyst]
    event = AuditEvent.objects.get(verb="problems.problem.updated")
    assert event.actor == world.users["supervisor"]
    assert event.detail == {
        "restricted": {"before": False, "after": True},
        "named_users": {"before": [], "after": [analyst.pk]},
    }


def test_an_edit_that_changes_nothing_records_no_event(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    services.problem_update(actor=world.users["officer"], problem=problem, title=problem.title)
    assert not AuditEvent.objects.filter(verb="problems.problem.updated").exists()


def test_changing_the_risk_level_keeps_the_review_date_already_set(world: World) -> None:
    problem = ProblemFactory(
        force=world.force, owner=world.users["officer"], risk_level=RiskLevel.LOW, next_review_date=_days(40)
    )
    services.problem_update(actor=world.users["officer"], problem=problem, risk_level=RiskLevel.HIGH)
    problem.refresh_from_db()
    assert (problem.risk_level, problem.next_review_date) == (RiskLevel.HIGH, _days(40))


def test_the_review_date_moves_with_the_risk_level_when_asked(world: World) -> None:
    problem = ProblemFactory(
        force=world.force, owner=world.users["officer"], risk_level=RiskLevel.LOW, next_review_date=_days(40)
    )
    services.problem_update(
        actor=world.users["officer"], problem=problem, risk_level=RiskLevel.HIGH, reschedule_review=True
    )
    problem.refresh_from_db()
    assert problem.next_review_date == _days(14)
    assert AuditEvent.objects.get(verb="problems.problem.updated").detail["next_review_date"] == {
        "before": _days(40).isoformat(),
        "after": _days(14).isoformat(),
    }


def test_invalid_edit_changes_nothing(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Kept")
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=world.users["officer"], problem=problem, title="Changed", radius_m=100)
    assert _errors(excinfo)["radius_m"] == [services.RADIUS_WITHOUT_LOCATION]
    problem.refresh_from_db()
    assert problem.title == "Kept"
    assert not AuditEvent.objects.filter(verb="problems.problem.updated").exists()


def test_another_officer_cannot_edit_a_problem_they_do_not_own(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], title="Kept")
    other = UserFactory(role=Role.OFFICER, organisation=world.force)
    with pytest.raises(PermissionDenied):
        services.problem_update(actor=other, problem=problem, title="Changed")
    problem.refresh_from_db()
    assert problem.title == "Kept"


def test_a_closed_problem_is_not_edited(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], stage=Stage.CLOSED, title="Kept")
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=world.users["supervisor"], problem=problem, title="Changed")
    assert excinfo.value.messages == [services.PROBLEM_CLOSED]


def test_unknown_fields_are_refused(world: World) -> None:
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    with pytest.raises(TypeError):
        services.problem_update(actor=world.users["officer"], problem=problem, stage=Stage.CLOSED)


# --- the list selector --------------------------------------------------------------------------


def _refs(problems: Any) -> set[str]:
    return {p.reference for p in problems}


def test_list_search_matches_reference_title_and_description(world: World) -> None:
    officer = world.users["officer"]
    by_title = ProblemFactory(force=world.force, owner=officer, title="Graffiti on the bridge")
    by_description = ProblemFactory(force=world.force, owner=officer, description="Tags sprayed: graffiti again.")
    ProblemFactory(force=world.force, owner=officer, title="Speeding")
    assert _refs(problem_list_visible_to(user=officer, search="graffiti")) == {
        by_title.reference,
        by_description.reference,
    }
    assert _refs(problem_list_visible_to(user=officer, search=by_title.reference.lower())) == {by_title.reference}


def test_list_filters_by_stage_category_area_owner_restriction_and_overdue(world: World) -> None:
    officer, supervisor = world.users["officer"], world.users["supervisor"]
    a = ProblemFactory(force=world.force, owner=officer, stage=Stage.ANALYSIS, neighbourhood="Riverside")
    b = ProblemFactory(force=world.force, owner=supervisor, category=_category("drugs"), restricted=True)
    c = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(-1))
    ProblemFactory(force=world.force, owner=officer, stage=Stage.CLOSED, next_review_date=_days(-30))

    def refs(**filters: Any) -> set[str]:
        return _refs(problem_list_visible_to(user=supervisor, **filters))

    assert refs(stage=Stage.ANALYSIS) == {a.reference}
    assert refs(category=_category("drugs")) == {b.reference}
    assert refs(neighbourhood=a.neighbourhood) == {a.reference}
    assert refs(owner=supervisor) == {b.reference}
    assert refs(restricted=True) == {b.reference}
    assert b.reference not in refs(restricted=False)
    assert refs(overdue=True) == {c.reference}


def test_list_marks_only_open_problems_past_their_review_date_as_overdue(world: World) -> None:
    officer = world.users["officer"]
    overdue = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(-1))
    ProblemFactory(force=world.force, owner=officer, next_review_date=_today())
    ProblemFactory(force=world.force, owner=officer, next_review_date=None)
    ProblemFactory(force=world.force, owner=officer, stage=Stage.CLOSED, next_review_date=_days(-9))
    flags = {p.reference: p.is_overdue for p in problem_list_visible_to(user=officer)}
    assert [ref for ref, flag in flags.items() if flag] == [overdue.reference]
    assert all(flag is False for ref, flag in flags.items() if ref != overdue.reference)


def test_restricted_problems_are_absent_from_other_officers_lists(world: World) -> None:
    restricted = ProblemFactory(force=world.force, owner=world.users["officer"], restricted=True)
    other = UserFactory(role=Role.OFFICER, organisation=world.force)
    assert restricted.reference not in _refs(problem_list_visible_to(user=other))
    assert restricted.reference not in _refs(problem_list_visible_to(user=world.users["analyst"]))
    assert restricted.reference in _refs(problem_list_visible_to(user=world.users["supervisor"]))


# --- due for review and own problems --------------------------------------------------------------


def test_due_for_review_lists_open_problems_due_on_or_before_the_date_across_forces(world: World) -> None:
    officer = world.users["officer"]
    overdue = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(-3))
    due_today = ProblemFactory(force=world.force, owner=officer, next_review_date=_today())
    in_two_days = ProblemFactory(force=world.force, owner=officer, next_review_date=_days(2))
    elsewhere = ProblemFactory(next_review_date=_days(1))
    ProblemFactory(force=world.force, owner=officer, next_review_date=_days(5))
    ProblemFactory(force=world.force, owner=officer, stage=Stage.CLOSED, next_review_date=_days(-3))
    ProblemFactory(force=world.force, owner=officer, next_review_date=None)
    today_only = problem_list_due_for_review(on_date=_today())
    assert [p.reference for p in today_only] == [overdue.reference, due_today.reference]
    within = problem_list_due_for_review(on_date=_today(), within_days=2)
    assert [p.reference for p in within] == [
        overdue.reference,
        due_today.reference,
        elsewhere.reference,
        in_two_days.reference,
    ]


def test_due_for_review_uses_the_stage_and_review_date_index(world: World) -> None:
    query = str(problem_list_due_for_review(on_date=_today()).query)
    # `stage IN (...) AND next_review_date <= ...`: both columns of problem_review_due_idx, with
    # no condition on another column that would stop an index range scan.
    assert '"problems_problem"."stage" IN' in query
    assert '"problems_problem"."next_review_date" <=' in query


def test_own_problems_are_the_open_ones_owned_in_stage_order(world: World) -> None:
    officer = world.users["officer"]
    response = ProblemFactory(force=world.force, owner=officer, stage=Stage.RESPONSE)
    scanning = ProblemFactory(force=world.force, owner=officer, stage=Stage.SCANNING)
    ProblemFactory(force=world.force, owner=officer, stage=Stage.CLOSED)
    ProblemFactory(force=world.force, owner=world.users["supervisor"])
    assert [p.reference for p in problem_list_owned_by(officer)] == [scanning.reference, response.reference]
