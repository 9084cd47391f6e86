"""Every write to the problem record itself (its details, restriction and named users) and to its
reviews. Each service takes the acting user first, runs in a transaction and records an audit
event. SARA content and stage moves are in problems.services.sara; the decision log in
problems.services.decisions.

The review date: a new problem's first review falls the risk level's interval after the day it was
opened (settings.PROBLEM_REVIEW_INTERVAL_DAYS); each review sets the next. Changing a problem's
risk level does NOT move a review date already set, unless the editor asks for it
(`reschedule_review=True`, which sets it to today plus the new level's interval): the date was
agreed at the last review, and silently moving it (perhaps later, when the risk is lowered) would
let a problem escape a review someone is expecting."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, changes
from core.concurrency import version_claim
from partnerships.models import DataCategory, Neighbourhood
from problems.models import (
    DemandSourceKind,
    Problem,
    ProblemCategory,
    ProblemDemandSource,
    ProblemSource,
    ReviewEntry,
    RiskLevel,
    Stage,
)
from problems.selectors.access import can_change_problem, can_create_problem, can_review_problem
from problems.services.sara.common import PROBLEM_CONTENT_VERBS
from problems.services.sharing import shares_end_for_restricted_problem

if TYPE_CHECKING:
    from accounts.models import User

# Messages raised by the services (tests assert them).
PROBLEM_CANNOT_CREATE = "Only officers and supervisors of a police force can log a problem."
PROBLEM_CANNOT_CHANGE = "Only the problem's owner or a supervisor of its force can change it."
PROBLEM_CLOSED = "This problem is closed: reopen it before changing it."
TITLE_REQUIRED = "Enter a title for the problem."
DESCRIPTION_REQUIRED = "Describe the problem."
NEIGHBOURHOOD_REQUIRED = "Choose the neighbourhood or ward from the list."
NEIGHBOURHOOD_OTHER_FORCE = "Choose one of {force}'s neighbourhoods: {name} is another force's."
NEIGHBOURHOOD_INACTIVE = "{name} is no longer in use: choose another neighbourhood from the list."
CATEGORY_INVALID = "Choose a category from the list."
SOURCE_INVALID = "Choose where the problem came from."
RISK_LEVEL_INVALID = "Choose a risk level from the list."
OPENED_ON_IN_FUTURE = "The date the problem was opened cannot be in the future."
LATITUDE_WITHOUT_LONGITUDE = "Enter the longitude as well as the latitude, or neither."
LONGITUDE_WITHOUT_LATITUDE = "Enter the latitude as well as the longitude, or neither."
LATITUDE_OUT_OF_RANGE = "Enter a latitude between -90 and 90."
LONGITUDE_OUT_OF_RANGE = "Enter a longitude between -180 and 180."
RADIUS_WITHOUT_LOCATION = "A radius needs a location: enter the latitude and longitude, or leave the radius empty."
RADIUS_OUT_OF_RANGE = "Enter a radius from 10 to 20,000 metres."
LSOA_CODE_INVALID = "Enter an LSOA code as E01 or W01 followed by 6 digits, for example E01012345."
NAMED_USER_NOT_ALLOWED = "{name} cannot be named: only active police users of {force} can be named on its problems."
DEMAND_SOURCE_INVALID = "Choose who asked for the problem to be worked from the list."
REVIEW_CANNOT_RECORD = "Only the organisation leading this problem can record a review."
REVIEW_PROBLEM_CLOSED = "A closed problem has no reviews: reopen it to review it."
REVIEW_NOTES_REQUIRED = "Write notes on the review."
REVIEW_DATE_NOT_IN_FUTURE = "The next review date must be after today."
REVIEW_DATE_TOO_FAR = "The next review date must be no more than a year away (on or before {date:%d %B %Y})."

LSOA_CODE_PATTERN = re.compile(r"^[EW]01\d{6}$")
RADIUS_RANGE = (10, 20000)

DETAIL_FIELDS = (
    "title",
    "description",
    "description_category",
    "category",
    "neighbourhood",
    "address",
    "lsoa_code",
    "latitude",
    "longitude",
    "radius_m",
    "source",
    "risk_level",
    "opened_on",
    "restricted",
    # The demand and the problem as first reported (issue 20); its sources are rows.
    "demand_note",
    "perceived_problem",
    "demand_category",
)
UPDATABLE_FIELDS = (*DETAIL_FIELDS, "named_users", "demand_sources")
# The data categories among the details: stored by id in the audit snapshot.
CATEGORY_DETAIL_FIELDS = ("description_category", "demand_category")

REFERENCE_PREFIX = "PRB"
REFERENCE_ATTEMPTS = 20


# --- helpers ----------------------------------------------------------------------------------


def review_interval(risk_level: str) -> datetime.timedelta:
    """The time between reviews for a risk level (configurable: PROBLEM_REVIEW_INTERVAL_DAYS)."""
    return datetime.timedelta(days=settings.PROBLEM_REVIEW_INTERVAL_DAYS[risk_level])


def latest_review_date(today: datetime.date) -> datetime.date:
    """A year from today (28 February when today is 29 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def _snapshot(problem: Problem) -> dict[str, Any]:
    data: dict[str, Any] = {
        field: getattr(problem, field)
        for field in DETAIL_FIELDS
        if field not in ("category", "neighbourhood", *CATEGORY_DETAIL_FIELDS)
    }
    for field in CATEGORY_DETAIL_FIELDS:
        data[field] = getattr(problem, f"{field}_id")
    data["category"] = problem.category.code if problem.category_id else None
    data["neighbourhood"] = problem.neighbourhood_label if problem.neighbourhood_id else None
    data["next_review_date"] = problem.next_review_date
    data["named_users"] = sorted(problem.named_users.values_list("pk", flat=True)) if problem.pk else []
    data["demand_sources"] = _demand_sources(problem)
    return data


def _demand_sources(problem: Problem) -> list[str]:
    """The problem's demand sources, in the order of the list (DemandSourceKind)."""
    if not problem.pk:
        return []
    kinds = set(problem.demand_sources.values_list("kind", flat=True))
    return [kind for kind in DemandSourceKind.values if kind in kinds]


def _check_demand_sources(sources: Iterable[str]) -> list[str]:
    chosen = set(sources)
    if chosen - set(DemandSourceKind.values):
        raise ValidationError({"demand_sources": DEMAND_SOURCE_INVALID})
    return [kind for kind in DemandSourceKind.values if kind in chosen]


def _set_demand_sources(problem: Problem, kinds: list[str]) -> None:
    """The problem's demand sources become `kinds`: rows of other kinds go, missing ones are added."""
    problem.demand_sources.exclude(kind__in=kinds).delete()
    kept = set(problem.demand_sources.values_list("kind", flat=True))
    ProblemDemandSource.objects.bulk_create(
        [ProblemDemandSource(problem=problem, kind=kind) for kind in kinds if kind not in kept]
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def _neighbourhood_error(problem: Problem, *, unchanged_id: int | None) -> str | None:
    """A problem is in one of its owning force's neighbourhoods; a newly chosen one must be in use
    (one kept from before may since have been retired: editing other details keeps it)."""
    neighbourhood = problem.neighbourhood if problem.neighbourhood_id else None
    if neighbourhood is None or not isinstance(neighbourhood, Neighbourhood):
        return NEIGHBOURHOOD_REQUIRED
    if neighbourhood.organisation_id != problem.owning_organisation_id:
        return NEIGHBOURHOOD_OTHER_FORCE.format(force=problem.owning_organisation.name, name=neighbourhood.name)
    if not neighbourhood.active and neighbourhood.pk != unchanged_id:
        return NEIGHBOURHOOD_INACTIVE.format(name=neighbourhood.name)
    return None


def _check_details(problem: Problem, *, unchanged_neighbourhood_id: int | None = None) -> None:
    """Every rule on the record's details, all reported at once (a form shows them together)."""
    errors: dict[str, str] = {}
    if not problem.title:
        errors["title"] = TITLE_REQUIRED
    if not problem.description:
        errors["description"] = DESCRIPTION_REQUIRED
    neighbourhood_error = _neighbourhood_error(problem, unchanged_id=unchanged_neighbourhood_id)
    if neighbourhood_error:
        errors["neighbourhood"] = neighbourhood_error
    category = problem.category if problem.category_id else None
    if category is None or not isinstance(category, ProblemCategory) or not category.active:
        errors["category"] = CATEGORY_INVALID
    if problem.source not in ProblemSource.values:
        errors["source"] = SOURCE_INVALID
    if problem.risk_level not in RiskLevel.values:
        errors["risk_level"] = RISK_LEVEL_INVALID
    if problem.opened_on > timezone.localdate():
        errors["opened_on"] = OPENED_ON_IN_FUTURE
    if problem.lsoa_code and not LSOA_CODE_PATTERN.match(problem.lsoa_code):
        errors["lsoa_code"] = LSOA_CODE_INVALID
    latitude, longitude = problem.latitude, problem.longitude
    if latitude is not None and longitude is None:
        errors["longitude"] = LATITUDE_WITHOUT_LONGITUDE
    elif longitude is not None and latitude is None:
        errors["latitude"] = LONGITUDE_WITHOUT_LATITUDE
    if latitude is not None and not -90 <= Decimal(latitude) <= 90:
        errors["latitude"] = LATITUDE_OUT_OF_RANGE
    if longitude is not None and not -180 <= Decimal(longitude) <= 180:
        errors["longitude"] = LONGITUDE_OUT_OF_RANGE
    if problem.radius_m is not None:
        if latitude is None or longitude is None:
            errors["radius_m"] = RADIUS_WITHOUT_LOCATION
        elif not RADIUS_RANGE[0] <= problem.radius_m <= RADIUS_RANGE[1]:
            errors["radius_m"] = RADIUS_OUT_OF_RANGE
    if errors:
        raise ValidationError(errors)


def _check_named_users(problem: Problem, users: Iterable[User]) -> list[User]:
    """Named users see a restricted problem: only police users of the owning force may be named,
    so that naming someone can never disclose a problem outside the force."""
    chosen = list(dict.fromkeys(users))
    for user in chosen:
        if not (user.is_active and user.is_police and user.organisation_id == problem.owning_organisation_id):
            force = problem.owning_organisation.name
            raise ValidationError({"named_users": NAMED_USER_NOT_ALLOWED.format(name=user.full_name, force=force)})
    return chosen


def _next_reference_number(year: int) -> int:
    # Five digits, zero-padded: the highest reference of the year is also the highest string.
    highest = Problem.objects.filter(reference__regex=rf"^{REFERENCE_PREFIX}-{year}-[0-9]{{5}}$").aggregate(
        highest=Max("reference")
    )["highest"]
    return int(highest.rsplit("-", 1)[1]) + 1 if highest else 1


def _insert_with_new_reference(problem: Problem) -> None:
    """Give a new problem the next free reference of this year (PRB-2026-00001, ...).

    Race: two officers logging problems at the same moment both read the same highest number. The
    unique constraint on reference lets only one INSERT win (the other waits for the winner to
    commit, then fails); the loser's INSERT runs in its own savepoint, so its outer transaction
    survives, and it tries again with a higher number: at least one past the number it just lost,
    since the winner's row may not be visible yet. Numbers are unique, not necessarily gapless."""
    year = timezone.localdate().year
    number = 0
    for _attempt in range(REFERENCE_ATTEMPTS):
        number = max(_next_reference_number(year), number + 1)
        problem.reference = f"{REFERENCE_PREFIX}-{year}-{number:05d}"
        try:
            with transaction.atomic():
                problem.save()
        except IntegrityError:
            problem.pk = None
            continue
        return
    raise IntegrityError("Could not find a free problem reference; try again.")


# --- the record ---------------------------------------------------------------------------------


@transaction.atomic
def problem_create(
    *,
    actor: User,
    title: str,
    description: str,
    category: ProblemCategory,
    neighbourhood: Neighbourhood | None,
    source: str,
    risk_level: str,
    restricted: bool = False,
    named_users: Iterable[User] = (),
    address: str = "",
    lsoa_code: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    radius_m: int | None = None,
    opened_on: datetime.date | None = None,
    description_category: DataCategory | None = None,
    demand_sources: Iterable[str] = (),
    demand_note: str = "",
    perceived_problem: str = "",
    demand_category: DataCategory | None = None,
) -> Problem:
    """Log a problem, owned by `actor` for their force, at the scanning stage, with the next free
    reference and its first review date set by its risk level. The neighbourhood is one of the
    force's, in use. The demand (who asked for it to be worked: `demand_sources`, kinds of
    DemandSourceKind, and a note) and the problem as first reported are optional."""
    if not can_create_problem(actor):
        raise PermissionDenied(PROBLEM_CANNOT_CREATE)
    problem = Problem(
        title=_text(title),
        description=_text(description),
        description_category=description_category,
        category=category,
        neighbourhood=neighbourhood,
        address=_text(address),
        lsoa_code=_text(lsoa_code).upper(),
        latitude=latitude,
        longitude=longitude,
        radius_m=radius_m,
        source=source,
        risk_level=risk_level,
        restricted=restricted,
        demand_note=_text(demand_note),
        perceived_problem=_text(perceived_problem),
        demand_category=demand_category,
        opened_on=opened_on or timezone.localdate(),
        stage=Stage.SCANNING,
        owner=actor,
        owning_organisation=actor.organisation,
        created_by=actor,
    )
    _check_details(problem)
    chosen = _check_named_users(problem, named_users)
    sources = _check_demand_sources(demand_sources)
    problem.next_review_date = problem.opened_on + review_interval(problem.risk_level)
    _insert_with_new_reference(problem)
    problem.named_users.set(chosen)
    _set_demand_sources(problem, sources)
    audit_record(
        actor=actor,
        verb="problems.problem.created",
        target=problem,
        detail={"reference": problem.reference, **_snapshot(problem)},
    )
    return problem


@transaction.atomic
def problem_update(
    *,
    actor: User,
    problem: Problem,
    reschedule_review: bool = False,
    seen_version: int | None = None,
    **fields: Any,
) -> Problem:
    """Change a problem's details (not its SARA content or stage). The review date stays as it is
    unless `reschedule_review` (see the module's docstring). A change of the restriction or of the
    named users is in the audit event with its before and after, like every other field.
    `seen_version` is the `lock_version` the editor saw: a change over a later one is refused
    (core.concurrency); None saves without checking."""
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    # Locked so that two editors' changes are applied one after the other, each audited against
    # the state it actually changed.
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("owning_organisation", "category", "neighbourhood")
        .get(pk=problem.pk)
    )
    if not can_change_problem(actor, problem):
        raise PermissionDenied(PROBLEM_CANNOT_CHANGE)
    if not problem.is_open:
        raise ValidationError(PROBLEM_CLOSED)
    before = _snapshot(problem)
    named_users = fields.pop("named_users", None)
    demand_sources = fields.pop("demand_sources", None)
    kept_neighbourhood_id = problem.neighbourhood_id
    for field in ("title", "description", "address", "demand_note", "perceived_problem"):
        if field in fields:
            fields[field] = _text(fields[field])
    if "lsoa_code" in fields:
        fields["lsoa_code"] = _text(fields["lsoa_code"]).upper()
    if "opened_on" in fields and fields["opened_on"] is None:
        fields.pop("opened_on")
    for field, value in fields.items():
        setattr(problem, field, value)
    _check_details(problem, unchanged_neighbourhood_id=kept_neighbourhood_id)
    sources = _check_demand_sources(demand_sources) if demand_sources is not None else None
    if named_users is not None:
        problem.named_users.set(_check_named_users(problem, named_users))
    if sources is not None:
        _set_demand_sources(problem, sources)
    if reschedule_review:
        problem.next_review_date = timezone.localdate() + review_interval(problem.risk_level)
    diff = changes(before, _snapshot(problem))
    if diff:
        version_claim(problem, seen=seen_version, verbs=PROBLEM_CONTENT_VERBS)
    problem.save()
    if diff:
        audit_record(actor=actor, verb="problems.problem.updated", target=problem, detail=diff)
    if problem.restricted and not before["restricted"]:
        shares_end_for_restricted_problem(actor=actor, problem=problem)
    return problem


# --- reviews ------------------------------------------------------------------------------------


@transaction.atomic
def problem_review_record(
    *, actor: User, problem: Problem, notes: str, next_review_date: datetime.date | None = None
) -> ReviewEntry:
    """Record a review of an open problem and set its next review date: the one given (after
    today, within a year) or today plus the risk level's interval."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if not can_review_problem(actor, problem):
        raise PermissionDenied(REVIEW_CANNOT_RECORD)
    if not problem.is_open:
        raise ValidationError(REVIEW_PROBLEM_CLOSED)
    notes = _text(notes)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not notes:
        errors["notes"] = REVIEW_NOTES_REQUIRED
    if next_review_date is None:
        next_review_date = today + review_interval(problem.risk_level)
    elif next_review_date <= today:
        errors["next_review_date"] = REVIEW_DATE_NOT_IN_FUTURE
    elif next_review_date > latest_review_date(today):
        errors["next_review_date"] = REVIEW_DATE_TOO_FAR.format(date=latest_review_date(today))
    if errors:
        raise ValidationError(errors)
    previous = problem.next_review_date
    review = ReviewEntry.objects.create(
        problem=problem, reviewed_by=actor, notes=notes, next_review_date=next_review_date
    )
    problem.next_review_date = next_review_date
    problem.save(update_fields=["next_review_date", "updated_at"])
    audit_record(
        actor=actor,
        verb="problems.review.recorded",
        target=problem,
        detail={
            "review": review.pk,
            "next_review_date": {"before": previous, "after": next_review_date},
            "notes": notes,
        },
    )
    return review
