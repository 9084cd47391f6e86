"""Every write to a problem's assessment: its before/after design (areas, crime types, months,
Maryland level), the costs of its response, its EMMIE record; and the unit costs of crime.

Who: a problem's design, costs and EMMIE are written by those who may change the problem (its
owner, a supervisor of the owning force) and by the owning force's analysts, who build the
comparisons; unit costs by analysts and supervisors of any force (the rules:
evaluation.selectors.assessment_access)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record, changes
from evaluation.models import EMMIE_PARTS, CrimeUnitCost, EmmieAssessment, EvaluationDesign
from evaluation.selectors.areas import month_start
from evaluation.selectors.assessment_access import can_assess_problem, can_edit_unit_costs
from problems.services.problems import LSOA_CODE_PATTERN

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem

RESPONSE_START_REQUIRED = "Enter the month the response began."
REASON_REQUIRED = "Give the reason for setting the Maryland level yourself."
RING_ORDER = "The comparison ring must end further out than it starts."
RING_OVERLAPS = "The comparison ring must start beyond the displacement buffer ({metres} metres from the location)."
LOCATION_NEEDED = "A ring or buffer needs the problem's location and radius; give comparison LSOA codes instead."
NO_TARGET = "The problem has neither a location with a radius nor an LSOA code: list the target LSOA codes."
BAD_LSOA = "Not LSOA codes (E01 or W01 and six digits): {codes}."
MISSING_ZERO_REASON_REQUIRED = (
    "Give the reason the months with no crime data held truly had no crime (for example, the force "
    "confirmed no crime was recorded there), or untick the box and shorten the periods to the months held."
)
UNIT_COST_NEGATIVE = "A unit cost cannot be negative."
SOURCE_REQUIRED = "Say where the unit cost of {crime_type} comes from."
EMMIE_FIELDS = tuple(name for part, _ in EMMIE_PARTS for name in (part, f"{part}_rating"))
DESIGN_FIELDS = (
    "crime_types",
    "response_start",
    "months_before",
    "months_after",
    "target_lsoa_codes",
    "comparison_lsoa_codes",
    "comparison_inner_m",
    "comparison_outer_m",
    "buffer_m",
    "maryland_level",
    "maryland_reason",
    "missing_months_are_zero",
    "missing_months_reason",
)
COST_FIELDS = (
    "officer_hours",
    "officer_hourly_cost",
    "partner_hours",
    "partner_hourly_cost",
    "money_spent",
    "costs_notes",
)


def _codes(text: str, field: str, errors: dict[str, str]) -> str:
    codes = EvaluationDesign.code_list(text)
    bad = [code for code in codes if not LSOA_CODE_PATTERN.match(code)]
    if bad:
        errors[field] = BAD_LSOA.format(codes=", ".join(bad))
    return "\n".join(dict.fromkeys(codes))


def _clean_design(problem: Problem, fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not fields.get("response_start"):
        errors["response_start"] = RESPONSE_START_REQUIRED
    else:
        fields["response_start"] = month_start(fields["response_start"])
    fields["target_lsoa_codes"] = _codes(fields.get("target_lsoa_codes", ""), "target_lsoa_codes", errors)
    fields["comparison_lsoa_codes"] = _codes(fields.get("comparison_lsoa_codes", ""), "comparison_lsoa_codes", errors)
    by_radius = problem.latitude is not None and problem.longitude is not None and bool(problem.radius_m)
    if not by_radius and not fields["target_lsoa_codes"] and not problem.lsoa_code:
        errors["target_lsoa_codes"] = NO_TARGET
    inner, outer, buffer = fields.get("comparison_inner_m"), fields.get("comparison_outer_m"), fields.get("buffer_m")
    if (buffer or outer) and not by_radius:
        errors["buffer_m" if buffer else "comparison_outer_m"] = LOCATION_NEEDED
    elif outer is not None and not fields["comparison_lsoa_codes"]:
        edge = (problem.radius_m or 0) + (buffer or 0)
        if outer <= (inner or 0):
            errors["comparison_outer_m"] = RING_ORDER
        elif (inner or 0) < edge:
            errors["comparison_inner_m"] = RING_OVERLAPS.format(metres=edge)
    if fields.get("maryland_level") and not (fields.get("maryland_reason") or "").strip():
        errors["maryland_reason"] = REASON_REQUIRED
    if not fields.get("maryland_level"):
        fields["maryland_level"], fields["maryland_reason"] = None, ""
    # Months with no data held count as zero only on the analyst's word, with the reason (the
    # effect size is withheld otherwise: evaluation.selectors.coverage).
    fields["missing_months_are_zero"] = bool(fields.get("missing_months_are_zero"))
    fields["missing_months_reason"] = (fields.get("missing_months_reason") or "").strip()
    if fields["missing_months_are_zero"] and not fields["missing_months_reason"]:
        errors["missing_months_reason"] = MISSING_ZERO_REASON_REQUIRED
    if not fields["missing_months_are_zero"]:
        fields["missing_months_reason"] = ""
    if errors:
        raise ValidationError(errors)
    return fields


def _snapshot(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


@transaction.atomic
def evaluation_design_save(*, actor: User, problem: Problem, **fields: Any) -> EvaluationDesign:
    """Create or change the problem's before/after design."""
    if not can_assess_problem(actor, problem):
        raise PermissionDenied
    fields = _clean_design(problem, {name: fields.get(name) for name in DESIGN_FIELDS})
    fields["crime_types"] = sorted(fields.get("crime_types") or [])
    for name in ("months_before", "months_after"):
        fields[name] = fields[name] or 6
    design = EvaluationDesign.objects.select_for_update().filter(problem=problem).first()
    before = _snapshot(design, DESIGN_FIELDS) if design else {}
    if design is None:
        design = EvaluationDesign(problem=problem, updated_by=actor, **fields)
    else:
        for name, value in fields.items():
            setattr(design, name, value)
        design.updated_by = actor
    design.save()
    audit_record(
        actor=actor,
        verb="evaluation.design.saved",
        target=problem,
        detail=changes(before, _snapshot(design, DESIGN_FIELDS)),
    )
    return design


@transaction.atomic
def evaluation_costs_save(*, actor: User, problem: Problem, **fields: Any) -> EvaluationDesign:
    """The costs of the response (they live on the design: no design, no cost-benefit)."""
    if not can_assess_problem(actor, problem):
        raise PermissionDenied
    design = EvaluationDesign.objects.select_for_update().filter(problem=problem).first()
    if design is None:
        raise ValidationError("Set up the before/after design first: the benefits come from it.")
    before = _snapshot(design, COST_FIELDS)
    for name in COST_FIELDS:
        value = fields.get(name)
        setattr(design, name, value if value is not None else ("" if name == "costs_notes" else Decimal("0")))
    design.updated_by = actor
    design.save()
    audit_record(
        actor=actor,
        verb="evaluation.costs.saved",
        target=problem,
        detail=changes(before, _snapshot(design, COST_FIELDS)),
    )
    return design


@transaction.atomic
def emmie_save(*, actor: User, problem: Problem, **fields: Any) -> EmmieAssessment:
    if not can_assess_problem(actor, problem):
        raise PermissionDenied
    emmie = EmmieAssessment.objects.select_for_update().filter(problem=problem).first()
    before = _snapshot(emmie, EMMIE_FIELDS) if emmie else {}
    values = {name: fields.get(name) if name.endswith("_rating") else fields.get(name) or "" for name in EMMIE_FIELDS}
    if emmie is None:
        emmie = EmmieAssessment(problem=problem, updated_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(emmie, name, value)
        emmie.updated_by = actor
    emmie.save()
    audit_record(
        actor=actor,
        verb="evaluation.emmie.saved",
        target=problem,
        detail=changes(before, _snapshot(emmie, EMMIE_FIELDS)),
    )
    return emmie


@transaction.atomic
def unit_cost_save(
    *, actor: User, crime_type: str, cost: Decimal | None, source: str, year: int | None
) -> CrimeUnitCost:
    """Set (or clear) the unit cost of a crime type, with its source and price year."""
    if not can_edit_unit_costs(actor):
        raise PermissionDenied
    if cost is not None and cost < 0:
        raise ValidationError({"cost": UNIT_COST_NEGATIVE})
    if cost is not None and not source.strip():
        raise ValidationError({"source": SOURCE_REQUIRED.format(crime_type=crime_type)})
    unit, _ = CrimeUnitCost.objects.select_for_update().get_or_create(crime_type=crime_type)
    before = _snapshot(unit, ("cost", "source", "year"))
    unit.cost, unit.source, unit.year, unit.updated_by = cost, source.strip(), year, actor
    unit.save()
    audit_record(
        actor=actor,
        verb="evaluation.unit_cost.saved",
        target=unit,
        detail=changes(before, _snapshot(unit, ("cost", "source", "year"))),
    )
    return unit


def unit_costs_ensure(*, crime_types: list[str]) -> int:
    """Rows (with no cost) for crime types that have none yet, so that the table lists them for an
    analyst to fill in. No figure is entered here. Returns how many rows were added."""
    held = set(CrimeUnitCost.objects.filter(crime_type__in=crime_types).values_list("crime_type", flat=True))
    missing = [CrimeUnitCost(crime_type=kind) for kind in crime_types if kind not in held]
    CrimeUnitCost.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
