"""A problem's controllers (Problem Analysis Triangle: handler, guardian, manager)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import changes, snapshot
from core.concurrency import version_claim
from partnerships.models import DataCategory, PatController
from problems.models import (
    Controller,
    Problem,
)

if TYPE_CHECKING:
    from accounts.models import User

from problems.services.sara.common import (
    CONTROLLER_FIELDS,
    CONTROLLER_KIND_INVALID,
    CONTROLLER_WHO_REQUIRED,
    check_unknown_fields,
    clean_text,
    clean_value,
    editable_problem,
    record_change,
)


def _clean_controller(controller: Controller) -> None:
    errors = {}
    if controller.kind not in PatController.values:
        errors["kind"] = CONTROLLER_KIND_INVALID
    if not controller.who:
        errors["who"] = CONTROLLER_WHO_REQUIRED
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def controller_add(
    *,
    actor: User,
    problem: Problem,
    kind: str,
    who: str,
    engaged: bool = False,
    notes: str = "",
    data_category: DataCategory | None = None,
) -> Controller:
    problem = editable_problem(actor=actor, problem=problem, part="Controllers")
    controller = Controller(
        problem=problem,
        kind=kind,
        who=clean_text(who),
        engaged=bool(engaged),
        notes=clean_text(notes),
        data_category=data_category,
    )
    _clean_controller(controller)
    controller.save()
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.controller.added",
        target=controller,
        detail={"problem": problem.reference, **snapshot(controller, CONTROLLER_FIELDS)},
    )
    return controller


@transaction.atomic
def controller_update(
    *, actor: User, controller: Controller, seen_version: int | None = None, **fields: Any
) -> Controller:
    check_unknown_fields(fields, CONTROLLER_FIELDS)
    problem = editable_problem(actor=actor, problem=controller.problem, part="Controllers")
    controller = Controller.objects.select_for_update().get(pk=controller.pk)
    before = snapshot(controller, CONTROLLER_FIELDS)
    for name, value in fields.items():
        setattr(controller, name, bool(value) if name == "engaged" else clean_value(name, value))
    _clean_controller(controller)
    diff = changes(before, snapshot(controller, CONTROLLER_FIELDS))
    if diff:
        version_claim(controller, seen=seen_version, verbs=("problems.controller.updated",))
        controller.save()
        record_change(
            problem=problem,
            actor=actor,
            verb="problems.controller.updated",
            target=controller,
            detail={"problem": problem.reference, **diff},
        )
    return controller


@transaction.atomic
def controller_remove(*, actor: User, controller: Controller) -> None:
    problem = editable_problem(actor=actor, problem=controller.problem, part="Controllers")
    removed = snapshot(controller, CONTROLLER_FIELDS)
    record_change(
        problem=problem,
        actor=actor,
        verb="problems.controller.removed",
        target=controller,
        detail={"problem": problem.reference, **removed},
    )
    controller.delete()
