"""Every write to a survey: create (blank or from a shipped template), change, publish, close, copy
and new version (its questions: evaluation.services.surveys_questions). Each service
takes the acting user first, runs in a transaction and records an audit event.

Why questions lock: once a survey has responses, changing a question would change what earlier
answers mean, so results would mix two questionnaires. The builder makes a new version instead
(`survey_new_version`), a draft copy that points back at the survey it replaces."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes, recipient_of
from evaluation.models.surveys import (
    Audience,
    Question,
    QuestionOption,
    Survey,
    SurveyStatus,
)
from evaluation.selectors.surveys_access import (
    can_build_surveys,
    can_change_survey,
    neighbourhood_list_usable_for_surveys,
    partnership_list_usable_for_surveys,
)
from evaluation.services.survey_templates import TEMPLATES
from partnerships.models import Neighbourhood, Partnership, SeldomHeardGroup
from problems.selectors.access import problems_visible_to

if TYPE_CHECKING:
    from accounts.models import User
    from problems.models import Problem

SURVEY_CANNOT_BUILD = "Only police officers, supervisors and analysts, or a partner lead, can build surveys."
SURVEY_CANNOT_CHANGE = "Only the owning organisation's survey builders can change this survey."
TITLE_REQUIRED = "Enter a title for the survey."
DATES_ORDERED = "The closing date must be on or after the opening date."
AUDIENCE_INVALID = "Choose who answers the survey."
AUDIENCE_FIXED = "The audience cannot change once the survey is published."
NEIGHBOURHOOD_FIXED = (
    "Priorities were set from this survey's results in its neighbourhood: unlink them before moving the survey."
)
NEIGHBOURHOOD_NOT_USABLE = (
    "Choose a neighbourhood from the list: a survey can cover only a neighbourhood your organisation works in."
)
PARTNERSHIP_NOT_USABLE = (
    "Choose a partnership from the list: a survey can go only to a partnership your organisation is a member of."
)
PROBLEM_NOT_USABLE = "Choose a problem from the list: a survey can be about only a problem you can see."
TEMPLATE_UNKNOWN = "Choose a template from the list."
SURVEY_CLOSED = "This survey is closed: copy it to run it again."
QUESTIONS_LOCKED = "This survey has responses, so its questions cannot change: make a new version instead."
NO_QUESTIONS = "Add at least one question before publishing."
NOT_A_DRAFT = "Only a draft survey can be published."
NOT_PUBLISHED = "Only a published survey can be closed."

DETAIL_FIELDS = (
    "title",
    "introduction",
    "audience",
    "neighbourhood",
    "partnership",
    "problem",
    "opens_on",
    "closes_on",
    "consent_text",
)
QUESTION_FIELDS = ("kind", "text", "help_text", "required", "demographic", "min_value", "max_value")


def _snapshot(survey: Survey) -> dict[str, Any]:
    return {
        field: getattr(survey, f"{field}_id" if field in ("neighbourhood", "partnership", "problem") else field)
        for field in DETAIL_FIELDS
    }


def _check(survey: Survey) -> None:
    errors: dict[str, str] = {}
    if not survey.title.strip():
        errors["title"] = TITLE_REQUIRED
    if survey.audience not in Audience.values:
        errors["audience"] = AUDIENCE_INVALID
    if survey.opens_on and survey.closes_on and survey.closes_on < survey.opens_on:
        errors["closes_on"] = DATES_ORDERED
    if errors:
        raise ValidationError(errors)


def _check_usable(
    actor: User,
    *,
    neighbourhood: Neighbourhood | None = None,
    partnership: Partnership | None = None,
    problem: Problem | None = None,
) -> None:
    """Refuse a neighbourhood, partnership or problem the actor may not address a survey to: the
    same selectors give the form its choices (a partnership's members would answer, and the
    actor's organisation would read their answers)."""
    errors: dict[str, str] = {}
    if (
        neighbourhood is not None
        and not neighbourhood_list_usable_for_surveys(user=actor).filter(pk=neighbourhood.pk).exists()
    ):
        errors["neighbourhood"] = NEIGHBOURHOOD_NOT_USABLE
    if (
        partnership is not None
        and not partnership_list_usable_for_surveys(user=actor).filter(pk=partnership.pk).exists()
    ):
        errors["partnership"] = PARTNERSHIP_NOT_USABLE
    if problem is not None and not problems_visible_to(actor).filter(pk=problem.pk).exists():
        errors["problem"] = PROBLEM_NOT_USABLE
    if errors:
        raise ValidationError(errors)


def _require_change(actor: User, survey: Survey) -> None:
    if not can_change_survey(actor, survey):
        raise PermissionDenied(SURVEY_CANNOT_CHANGE)


def survey_has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def _require_questions_editable(survey: Survey) -> None:
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(SURVEY_CLOSED)
    if survey_has_responses(survey):
        raise ValidationError(QUESTIONS_LOCKED)


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: str,
    audience: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    introduction: str = "",
    neighbourhood: Neighbourhood | None = None,
    partnership: Partnership | None = None,
    problem: Problem | None = None,
    consent_text: str = "",
    template_key: str = "",
) -> Survey:
    if not can_build_surveys(actor):
        raise PermissionDenied(SURVEY_CANNOT_BUILD)
    if template_key and template_key not in TEMPLATES:
        raise ValidationError({"template": TEMPLATE_UNKNOWN})
    _check_usable(actor, neighbourhood=neighbourhood, partnership=partnership, problem=problem)
    survey = Survey(
        owner_id=actor.organisation_id,
        title=title.strip(),
        introduction=introduction.strip(),
        audience=audience,
        neighbourhood=neighbourhood,
        partnership=partnership,
        problem=problem,
        opens_on=opens_on,
        closes_on=closes_on,
        consent_text=consent_text.strip(),
        template_key=template_key,
        created_by=actor,
    )
    _check(survey)
    survey.save()
    if template_key:
        _add_template_questions(survey, template_key)
    audit_record(
        actor=actor,
        verb="evaluation.survey.created",
        target=survey,
        detail={**_snapshot(survey), "template": template_key},
    )
    return survey


def _add_template_questions(survey: Survey, template_key: str) -> None:
    spec = TEMPLATES[template_key]
    groups = {group.name: group for group in SeldomHeardGroup.objects.all()}
    questions = Question.objects.bulk_create(
        Question(
            survey=survey,
            order=order,
            kind=item.kind,
            text=item.text,
            help_text=item.help_text,
            required=item.required,
            demographic=item.demographic,
            min_value=item.min_value,
            max_value=item.max_value,
            item_key=item.key,
        )
        for order, item in enumerate(spec.questions, start=1)
    )
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, order=order, label=option.label, seldom_heard_group=groups.get(option.group))
        for question, item in zip(questions, spec.questions, strict=True)
        for order, option in enumerate(item.options, start=1)
    )


def survey_template_defaults(template_key: str) -> dict[str, Any]:
    """What a template sets on the details form before the builder changes anything."""
    spec = TEMPLATES[template_key]
    return {
        "title": spec.title,
        "introduction": spec.introduction,
        "audience": spec.audience,
        "consent_text": spec.consent_text,
    }


@transaction.atomic
def survey_update(*, actor: User, survey: Survey, **fields: Any) -> Survey:
    _require_change(actor, survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(SURVEY_CLOSED)
    before = _snapshot(survey)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Unknown survey fields: {sorted(unknown)}")
    if survey.status != SurveyStatus.DRAFT and fields.get("audience", survey.audience) != survey.audience:
        raise ValidationError({"audience": AUDIENCE_FIXED})
    # A value the survey already has stays allowed (the builder's organisation may have left the
    # partnership since); a new one must be usable now.
    _check_usable(
        actor,
        **{
            name: fields[name]
            for name in ("neighbourhood", "partnership", "problem")
            if name in fields and fields[name] is not None and fields[name].pk != getattr(survey, f"{name}_id")
        },
    )
    moved = "neighbourhood" in fields and fields["neighbourhood"] != survey.neighbourhood
    if moved and survey.priorities.exists():
        raise ValidationError({"neighbourhood": NEIGHBOURHOOD_FIXED})
    for name, value in fields.items():
        setattr(survey, name, value.strip() if isinstance(value, str) else value)
    _check(survey)
    survey.save()
    audit_record(
        actor=actor, verb="evaluation.survey.updated", target=survey, detail=changes(before, _snapshot(survey))
    )
    return survey


# --- lifecycle ---------------------------------------------------------------------------------


@transaction.atomic
def survey_publish(*, actor: User, survey: Survey) -> Survey:
    _require_change(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    if not survey.questions.exists():
        raise ValidationError(NO_QUESTIONS)
    # A copy, or a draft kept a while, may name a partnership the organisation has since left.
    _check_usable(actor, neighbourhood=survey.neighbourhood, partnership=survey.partnership, problem=survey.problem)
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = timezone.now()
    if survey.audience == Audience.PUBLIC and not survey.public_token:
        # 192 random bits: the link is the only secret between a poster and the form.
        survey.public_token = secrets.token_urlsafe(24)
    survey.save(update_fields=["status", "published_at", "public_token"])
    audit_record(actor=actor, verb="evaluation.survey.published", target=survey)
    return survey


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    _require_change(actor, survey)
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED)
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, verb="evaluation.survey.closed", target=survey)
    return survey


def _clone(actor: User, survey: Survey, **overrides: Any) -> Survey:
    copy = Survey.objects.get(pk=survey.pk)
    copy.pk = None
    copy.status = SurveyStatus.DRAFT
    copy.public_token = None
    copy.published_at = copy.closed_at = None
    copy.created_by = actor
    for name, value in overrides.items():
        setattr(copy, name, value)
    copy.save()
    questions = list(survey.questions.prefetch_related("options"))
    new_questions = Question.objects.bulk_create(
        Question(
            survey=copy,
            **{field: getattr(q, field) for field in (*QUESTION_FIELDS, "order", "item_key")},
        )
        for q in questions
    )
    QuestionOption.objects.bulk_create(
        QuestionOption(question=new, order=o.order, label=o.label, seldom_heard_group_id=o.seldom_heard_group_id)
        for old, new in zip(questions, new_questions, strict=True)
        for o in old.options.all()
    )
    return copy


@transaction.atomic
def survey_copy(*, actor: User, survey: Survey) -> Survey:
    """A new draft with the same questions, for another round or another neighbourhood."""
    _require_change(actor, survey)
    copy = _clone(actor, survey, title=f"Copy of {survey.title}"[:200], version=1, previous_version=None)
    audit_record(actor=actor, verb="evaluation.survey.copied", target=copy, detail={"from": survey.pk})
    return copy


@transaction.atomic
def survey_new_version(*, actor: User, survey: Survey) -> Survey:
    """A draft copy whose questions may change, replacing a survey that already has responses."""
    _require_change(actor, survey)
    copy = _clone(actor, survey, version=survey.version + 1, previous_version=survey)
    audit_record(actor=actor, verb="evaluation.survey.versioned", target=copy, detail={"from": survey.pk})
    return copy


def survey_exported(*, actor: User, survey: Survey, rows: int) -> None:
    """Record the disclosure of a survey's responses as CSV, naming its recipient (DPA 2018 s.62)."""
    audit_record(
        actor=actor,
        verb="evaluation.survey.exported",
        target=survey,
        detail={"rows": rows, "recipient": recipient_of(actor)},
    )
