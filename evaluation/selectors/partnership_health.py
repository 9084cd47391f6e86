"""Partnership health over time (issue 21): the partnership health-check survey's results by
round (each published or closed survey of the partnership built from the health-check template),
the mean rating of each of its six aspects, and an action plan drawn from the latest round: the
aspects rated below ACTION_THRESHOLD, weakest first, each with the step the plan proposes.

Who sees it: police officers, supervisors and analysts, and the users of the partnership's current
member organisations (as they see the partnership); only means and counts are shown, never a
member's own answers or comments. Administrators and data protection officers get 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q

from core.access import get_visible_or_404
from evaluation.models.surveys import Answer, QuestionKind, Survey, SurveyStatus
from evaluation.services.survey_templates import PARTNERSHIP_HEALTH, TEMPLATES
from partnerships.models import Partnership
from partnerships.selectors.partnerships import partnership_visible

if TYPE_CHECKING:
    from accounts.models import User

# On the 1-10 scale, an aspect whose mean is below this goes into the action plan.
ACTION_THRESHOLD = 6.5

# The step the action plan proposes for a weak aspect (the health-check's own items).
ACTIONS: dict[str, str] = {
    "shared_goals": "Revisit the terms of reference together and agree two or three shared priorities for the year.",
    "communication": "Agree who tells whom what between meetings; circulate minutes within a week.",
    "data_sharing": "Review the information-sharing agreements: are the right data categories covered and in date?",
    "trust": "Hold a facilitated session on how members work together; follow up on missed commitments openly.",
    "decision_making": "Record decisions at tasking meetings as joint decisions and review their actions each time.",
    "contribution": "Map each member's actions on the partnership's problems and rebalance at the next meeting.",
}


def health_items() -> list[tuple[str, str]]:
    return [(q.key, q.text) for q in TEMPLATES[PARTNERSHIP_HEALTH].questions if q.kind == QuestionKind.RATING]


@dataclass(frozen=True)
class HealthRound:
    survey: Survey
    responses: int
    means: dict[str, float | None]

    @property
    def overall(self) -> float | None:
        values = [v for v in self.means.values() if v is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def cells(self) -> list[float | None]:
        return [self.means[key] for key, _ in health_items()]


@dataclass(frozen=True)
class PlanStep:
    key: str
    aspect: str
    mean: float
    action: str


@dataclass(frozen=True)
class PartnershipHealth:
    rounds: list[HealthRound]
    plan: list[PlanStep]

    @property
    def latest(self) -> HealthRound | None:
        return self.rounds[-1] if self.rounds else None


def can_see_partnership_health(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_police or user.is_partner))


def partnership_for_health(*, user: User, pk: object) -> Partnership:
    if not can_see_partnership_health(user):
        return get_visible_or_404(Partnership.objects.none(), pk=pk)
    return get_visible_or_404(partnership_visible(user=user), pk=pk)


def partnership_health(*, partnership: Partnership) -> PartnershipHealth:
    """Two queries: the rounds with their response counts, and the mean of each aspect in each."""
    rounds = list(
        Survey.objects.filter(partnership=partnership, template_key=PARTNERSHIP_HEALTH)
        .exclude(status=SurveyStatus.DRAFT)
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("opens_on", "id")
    )
    grouped = (
        Answer.objects.filter(
            Q(value_int__isnull=False),
            response__survey__in=[s.pk for s in rounds],
            question__kind=QuestionKind.RATING,
        )
        .values("response__survey_id", "question__item_key")
        .annotate(mean=Avg("value_int"))
        .order_by()
        if rounds
        else []
    )
    means = {(g["response__survey_id"], g["question__item_key"]): round(float(g["mean"]), 1) for g in grouped}
    items = health_items()
    built = [
        HealthRound(
            survey=s,
            responses=s.response_count,
            means={key: means.get((s.pk, key)) for key, _ in items},
        )
        for s in rounds
    ]
    plan: list[PlanStep] = []
    if built:
        latest = built[-1]
        texts = dict(items)
        weak = [(mean, key) for key, mean in latest.means.items() if mean is not None and mean < ACTION_THRESHOLD]
        plan = [PlanStep(key=key, aspect=texts[key], mean=mean, action=ACTIONS[key]) for mean, key in sorted(weak)]
    return PartnershipHealth(rounds=built, plan=plan)


def partnership_health_panel(*, partnership: Partnership, user: User) -> dict[str, object] | None:
    """The partnership page's "Health over time" panel (partnerships.panels)."""
    if not can_see_partnership_health(user):
        return None
    return {
        "partnership": partnership,
        "health": partnership_health(partnership=partnership),
        "items": health_items(),
        "threshold": ACTION_THRESHOLD,
    }
