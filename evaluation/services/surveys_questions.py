"""Every write to a survey's questions: added, changed, removed and moved, each with its options.
Questions lock once the survey has responses (evaluation.services.surveys explains why)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core.audit import audit_record
from evaluation.models.surveys import CHOICE_KINDS, Question, QuestionKind, QuestionOption, Survey
from evaluation.services.surveys import QUESTION_FIELDS, _require_change, _require_questions_editable

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import SeldomHeardGroup

QUESTION_TEXT_REQUIRED = "Enter the question."
QUESTION_KIND_INVALID = "Choose a type of question from the list."
OPTIONS_NEEDED = "Give at least two options, one per line."
OPTIONS_ONLY_FOR_CHOICE = "Only single and multiple choice questions have options."
NUMBER_RANGE_ORDERED = "The smallest number must not be more than the largest."


@dataclass(frozen=True)
class OptionInput:
    label: str
    group: SeldomHeardGroup | None = None


def _check_question(question: Question, options: list[OptionInput] | None) -> None:
    errors: dict[str, str] = {}
    if not question.text.strip():
        errors["text"] = QUESTION_TEXT_REQUIRED
    if question.kind not in QuestionKind.values:
        errors["kind"] = QUESTION_KIND_INVALID
    elif question.kind in CHOICE_KINDS and len(options or []) < 2:
        errors["options"] = OPTIONS_NEEDED
    elif question.kind not in CHOICE_KINDS and options:
        errors["options"] = OPTIONS_ONLY_FOR_CHOICE
    if question.kind == QuestionKind.NUMBER:
        if (
            question.min_value is not None
            and question.max_value is not None
            and question.min_value > question.max_value
        ):
            errors["max_value"] = NUMBER_RANGE_ORDERED
    else:
        question.min_value = question.max_value = None
    if errors:
        raise ValidationError(errors)


def _replace_options(question: Question, options: list[OptionInput]) -> None:
    question.options.all().delete()
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, order=order, label=option.label.strip(), seldom_heard_group=option.group)
        for order, option in enumerate(options, start=1)
    )


def _question_detail(question: Question, options: list[OptionInput]) -> dict[str, Any]:
    detail = {field: getattr(question, field) for field in QUESTION_FIELDS}
    detail["options"] = [option.label for option in options]
    return detail


@transaction.atomic
def question_add(*, actor: User, survey: Survey, options: list[OptionInput] | None = None, **fields: Any) -> Question:
    _require_change(actor, survey)
    _require_questions_editable(survey)
    options = options or []
    last = survey.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(survey=survey, order=last + 1, **{k: v for k, v in fields.items() if k in QUESTION_FIELDS})
    _check_question(question, options)
    question.save()
    _replace_options(question, options)
    audit_record(
        actor=actor, verb="evaluation.question.added", target=question, detail=_question_detail(question, options)
    )
    return question


@transaction.atomic
def question_update(
    *, actor: User, question: Question, options: list[OptionInput] | None = None, **fields: Any
) -> Question:
    survey = question.survey
    _require_change(actor, survey)
    _require_questions_editable(survey)
    options = options or []
    for name, value in fields.items():
        if name in QUESTION_FIELDS:
            setattr(question, name, value)
    _check_question(question, options)
    question.save()
    _replace_options(question, options)
    audit_record(
        actor=actor, verb="evaluation.question.updated", target=question, detail=_question_detail(question, options)
    )
    return question


@transaction.atomic
def question_remove(*, actor: User, question: Question) -> None:
    survey = question.survey
    _require_change(actor, survey)
    _require_questions_editable(survey)
    audit_record(actor=actor, verb="evaluation.question.removed", target=question, detail={"text": question.text})
    question.delete()
    _renumber(survey)


@transaction.atomic
def question_move(*, actor: User, question: Question, up: bool) -> None:
    survey = question.survey
    _require_change(actor, survey)
    _require_questions_editable(survey)
    ordered = list(survey.questions.select_for_update().order_by("order", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(survey, ordered)
        audit_record(
            actor=actor, verb="evaluation.question.moved", target=question, detail={"to": other + 1, "from": index + 1}
        )


def _renumber(survey: Survey, ordered: list[Question] | None = None) -> None:
    ordered = ordered if ordered is not None else list(survey.questions.order_by("order", "id"))
    # Two passes: the (survey, order) constraint would refuse a swap done in place.
    offset = len(ordered) + 1000
    for position, question in enumerate(ordered, start=1):
        question.order = position + offset
    Question.objects.bulk_update(ordered, ["order"])
    for position, question in enumerate(ordered, start=1):
        question.order = position
    Question.objects.bulk_update(ordered, ["order"])
