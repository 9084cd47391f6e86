"""The award-ready summary of a closed problem, in the shape of a Tilley Award entry: a summary of
at most 400 words and a description of the work through SARA of at most 4,000 words.

The first version is drafted from the record (scanning, analysis, response and assessment
fields, objectives and actions); the officer edits it, and each save is kept as the problem's
draft (one per problem) and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit_record
from evaluation.models import AwardDraft
from problems.models import Problem, Stage
from problems.selectors.access import can_change_problem

if TYPE_CHECKING:
    from accounts.models import User

SUMMARY_MAX_WORDS = 400
SARA_MAX_WORDS = 4000
AWARD_PROBLEM_OPEN = (
    "An award entry can be drafted only from a closed problem. Close the problem after its "
    "assessment, then come back to draft the entry."
)
SUMMARY_REQUIRED = "Write the summary of the entry."
SARA_REQUIRED = "Write the SARA description of the entry."
SUMMARY_TOO_LONG = "The summary must be at most 400 words: it has {count}. Shorten it by {over}."
SARA_TOO_LONG = "The SARA description must be at most 4,000 words: it has {count}. Shorten it by {over}."
NOT_EDITOR = "Only the problem's owner or a supervisor of its force may edit the award entry."
SAVED_VERB = "evaluation.award_draft.saved"


def word_count(text: str) -> int:
    return len(text.split())


def _limit(text: str, limit: int) -> str:
    """The first `limit` words of a drafted text (the officer sees and edits the result)."""
    words = text.split(" ")
    if word_count(text) <= limit:
        return text
    kept: list[str] = []
    count = 0
    for word in words:
        count += len(word.split())
        if count > limit:
            break
        kept.append(word)
    return " ".join(kept).rstrip() + " …"


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def award_text_drafted(problem: Problem) -> tuple[str, str]:
    """The summary and SARA description drafted from the record. `problem` should come with its
    objectives, actions (and their organisations) and hypotheses prefetched."""
    objectives = list(problem.objectives.all())
    actions = [a for a in problem.actions.all() if a.status != "cancelled"]
    hypotheses = list(problem.hypotheses.all())
    organisations = sorted({a.responsible_organisation.name for a in actions})
    met = sum(1 for o in objectives if o.met is True)

    summary = _paragraphs(
        f"{problem.title} ({problem.neighbourhood_label}).",
        problem.problem_statement or problem.description,
        (
            f"The response had {len(actions)} action{'s' if len(actions) != 1 else ''}"
            + (f", carried out by {', '.join(organisations)}." if organisations else ".")
        ),
        f"{met} of {len(objectives)} objective{'s' if len(objectives) != 1 else ''} were met." if objectives else "",
        problem.lessons_learned,
    )

    cheers = [
        ("Community", problem.cheers_community),
        ("Harm", problem.cheers_harm),
        ("Expectation", problem.cheers_expectation),
        ("Events", problem.cheers_events),
        ("Recurring", problem.cheers_recurring),
        ("Similarity", problem.cheers_similarity),
    ]
    scanning = _paragraphs(
        "Scanning",
        problem.problem_statement,
        problem.description,
        *(f"{label}: {text}" for label, text in cheers if text.strip()),
        f"Evidence: {problem.evidence_sources}" if problem.evidence_sources.strip() else "",
    )
    analysis = _paragraphs(
        "Analysis",
        f"Offender: {problem.pat_offender}" if problem.pat_offender.strip() else "",
        f"Victim or target: {problem.pat_victim}" if problem.pat_victim.strip() else "",
        f"Location: {problem.pat_location}" if problem.pat_location.strip() else "",
        f"Data used: {problem.data_sources_used}" if problem.data_sources_used.strip() else "",
        *(f"Hypothesis ({h.get_status_display().lower()}): {h.statement}" for h in hypotheses),
    )
    response = _paragraphs(
        "Response",
        *(
            f"Objective: {o.description} Measure: {o.measure}; target {o.target} by {o.target_date:%d %B %Y}."
            for o in objectives
        ),
        *(
            f"Action ({a.get_intervention_kind_display().lower()}, {a.responsible_organisation.name}, "
            f"{a.get_status_display().lower()}): {a.description}"
            for a in actions
        ),
    )
    assessment = _paragraphs(
        "Assessment",
        *(
            f"{o.description}: {'met' if o.met else 'not met' if o.met is False else 'not assessed'}."
            + (f" {o.result}" if o.result.strip() else "")
            for o in objectives
        ),
        f"Delivery: {problem.process_evaluation}" if problem.process_evaluation.strip() else "",
        f"Displacement: {problem.displacement}" if problem.displacement.strip() else "",
        f"Diffusion of benefits: {problem.diffusion_of_benefits}" if problem.diffusion_of_benefits.strip() else "",
        f"Lessons learned: {problem.lessons_learned}" if problem.lessons_learned.strip() else "",
    )
    sara = _paragraphs(scanning, analysis, response, assessment)
    return _limit(summary, SUMMARY_MAX_WORDS), _limit(sara, SARA_MAX_WORDS)


def award_word_errors(*, summary: str, sara_description: str) -> dict[str, str]:
    """The word-limit messages, by field (empty when both fit)."""
    errors: dict[str, str] = {}
    for field, text, limit, required, too_long in (
        ("summary", summary, SUMMARY_MAX_WORDS, SUMMARY_REQUIRED, SUMMARY_TOO_LONG),
        ("sara_description", sara_description, SARA_MAX_WORDS, SARA_REQUIRED, SARA_TOO_LONG),
    ):
        count = word_count(text)
        if count == 0:
            errors[field] = required
        elif count > limit:
            errors[field] = too_long.format(count=f"{count:,}", over=f"{count - limit:,}")
    return errors


@transaction.atomic
def award_draft_save(*, actor: User, problem: Problem, summary: str, sara_description: str) -> AwardDraft:
    """Save the officer's edited entry for a closed problem."""
    if problem.stage != Stage.CLOSED:
        raise ValidationError(AWARD_PROBLEM_OPEN)
    if not can_change_problem(actor, problem):
        raise PermissionDenied(NOT_EDITOR)
    summary, sara_description = summary.strip(), sara_description.strip()
    errors = award_word_errors(summary=summary, sara_description=sara_description)
    if errors:
        raise ValidationError(errors)
    draft, created = AwardDraft.objects.update_or_create(
        problem=problem, defaults={"summary": summary, "sara_description": sara_description, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        verb=SAVED_VERB,
        target=draft,
        detail={
            "problem": problem.reference,
            "created": created,
            "summary_words": word_count(summary),
            "sara_words": word_count(sara_description),
        },
    )
    return draft
