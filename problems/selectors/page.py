"""The problem page, read in one place: `problem_page_get_for_user` fetches the problem with
everything its page shows, and `problem_page_context` builds the page from it (a frozen
`ProblemPage`): the SARA stages as a task list with the one next step, each section's content,
the panels, and what the user may do, each rule asked once (problems.selectors.access). The
template and its tags only present: they ask the database nothing.

The page's queries for the problem's lead (tests/problems/test_sara_views.py counts them):
the problem with its category, organisation, people, its panels' one-to-one rows (problems.panels:
the evaluation's design and EMMIE), whether the user follows it and how often they viewed its page
(one query); its controllers, hypotheses, objectives, actions and stage moves (one each); the lead
history and the team; updates; attachments; the decision log (and its partners, corrections and
confirmations when it has entries); the shares; and one page of who has seen or received it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Count, DateTimeField, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.query import MAX_GET_RESULTS
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from core.compiled import CompiledQuery
from core.models import AuditEvent
from problems.models import OPEN_ACTION_STATUSES, DisclosurePart, Problem, ProblemFollower, Stage
from problems.panels import PanelContext, panel_select_related, stage_panel_contexts
from problems.selectors import sara
from problems.selectors.access import (
    can_change_problem,
    can_contribute_to_problem,
    can_edit_problem_sections,
    can_record_decision,
    can_review_problem,
    can_sign_off_problem,
    problem_get_for_user,
    problems_visible_to,
)
from problems.selectors.contributions import (
    SEEN_PAGE_SIZE,
    attachment_list_for_problem,
    disclosure_events_for_problem,
    own_page_views,
    update_list_for_problem,
)
from problems.selectors.decisions import DecisionLog, decision_log_for
from problems.selectors.disclosure import (
    WITHHELD_TEXT,
    Disclosed,
    ProblemDisclosure,
    problem_disclosure,
)
from problems.selectors.leads import ProblemPeople, problem_people
from problems.selectors.sharing import can_manage_shares, share_for_partner_view, share_list_for_problem
from problems.services.sara import PART_STAGES, part_not_editable_reason

if TYPE_CHECKING:
    from problems.models import ProblemAttachment, ProblemUpdate, ResponseAction
    from problems.models.sharing import ProblemShare

# The page's sections, in order: each SARA stage, with the objectives (set during analysis, before
# the response: OSARA) in a section of their own. Their keys are the sections' anchors.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("scanning", "Scanning", Stage.SCANNING),
    ("analysis", "Analysis", Stage.ANALYSIS),
    ("objectives", "Objectives", Stage.ANALYSIS),
    ("response", "Response", Stage.RESPONSE),
    ("assessment", "Assessment", Stage.ASSESSMENT),
)
MAIN_SECTION = {Stage.SCANNING: "scanning", Stage.ANALYSIS: "analysis", Stage.RESPONSE: "response"}
STATUS_LABELS = {"complete": "Complete", "in_progress": "In progress", "not_started": "Not started"}

# The one next step, said at the top of the page (tests assert them).
NEXT_SCANNING = "Next: complete the scanning"
NEXT_ANALYSIS = "Next: record the analysis"
NEXT_OBJECTIVES = "Next: set an objective with a baseline"
NEXT_PLAN_RESPONSE = "Next: plan the response"
NEXT_FINISH_RESPONSE = "Next: finish the response actions"
NEXT_ASSESSMENT = "Next: record the assessment"
NEXT_SIGN_OFF = "Next: sign off the assessment"
AWAITING_SIGN_OFF = "Awaiting sign-off by a supervisor"
NEXT_MOVE = "Next: move the problem to {stage}"
READY_TO_MOVE = "Ready to move to {stage}: its lead moves it on"
CLOSED = "Closed: nothing more to do"


@dataclass(frozen=True)
class PagePermissions:
    """What the user may do on the page: each rule of problems.selectors.access asked once."""

    change: bool
    edit_sections: bool
    contribute: bool
    review: bool
    sign_off: bool
    record_decision: bool
    manage_shares: bool
    # Who has seen or received the problem: its lead and the owning force's supervisors.
    see_who_has_seen: bool


@dataclass(frozen=True)
class SectionStep:
    """A section of the page as the progress list shows it."""

    key: str
    label: str
    status: str  # "complete", "in_progress" or "not_started"
    open: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class NextStep:
    text: str
    section: str  # the anchor of the section where the work is ("" for none)


@dataclass(frozen=True)
class Follow:
    """The user's follow of the problem (the Follow box)."""

    digest: bool


@dataclass(frozen=True)
class SeenPanel:
    """One page of who has seen or received the problem, the user's own views of its page counted
    on one line instead of listed."""

    events: list[AuditEvent]
    own_views: int
    own_last_view: datetime.datetime | None
    page: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class ProblemPage:
    problem: Problem
    may: PagePermissions
    shown: ProblemDisclosure
    sections: list[SectionStep]
    tasks: dict[str, sara.StageTask]
    next_step: NextStep
    next_stage_label: str
    missing: list[str]
    editable: dict[str, bool]
    with_results: bool
    awaiting_sign_off: bool
    can_advance: bool
    can_sign_off: bool
    can_reopen: bool
    can_hand_over: bool
    people: ProblemPeople
    follower: Follow | None
    partner_share: ProblemShare | None
    shares: list[ProblemShare] | None
    updates: Disclosed[ProblemUpdate]
    own_actions: list[tuple[ResponseAction, bool]]
    attachments: Disclosed[ProblemAttachment]
    decisions: DecisionLog
    seen: SeenPanel | None
    assessment_panels: list[PanelContext]
    withheld_text: str = WITHHELD_TEXT

    @property
    def open_sections(self) -> frozenset[str]:
        return frozenset(section.key for section in self.sections if section.open)


# --- the problem ---------------------------------------------------------------------------------


def problem_page_queryset(*, user: User) -> QuerySet[Problem]:
    """The problem with everything its page shows: the SARA parts' prefetches, the panels'
    one-to-one rows, and, as columns of the same row, the user's follow and their earlier views of
    the page (the who-has-seen panel counts them on one line)."""
    follow = ProblemFollower.objects.filter(problem_id=OuterRef("pk"), user_id=user.pk)
    views = own_page_views(user=user, problem_ref=OuterRef("pk")).order_by()
    return (
        sara.problem_detail_queryset()
        .select_related(*panel_select_related("assessment"))
        .annotate(
            page_follow_digest=Subquery(follow.values("digest")[:1], output_field=BooleanField()),
            page_own_views=Coalesce(
                Subquery(views.values("actor_id").annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            page_own_last_view=Subquery(
                views.order_by("-created_at").values("created_at")[:1], output_field=DateTimeField()
            ),
        )
    )


def _police_page_query(role: str, *, pk: int, user_id: int, organisation_id: int) -> QuerySet[Problem]:
    """problem_get_for_user's query for a police user's page (its `queryset & visible`, then `.get`'s
    filter, order and limit), from the ids alone: police visibility is a function of the role and
    these ids (problems.selectors.access.problems_visible_to), with no date in it."""
    user: Any = User(pk=user_id, organisation_id=organisation_id, role=role)
    visible = problem_page_queryset(user=user) & problems_visible_to(user)
    return visible.filter(pk=pk).order_by()[:MAX_GET_RESULTS]


# The page's main query, compiled once per role (core.compiled): building and compiling it took about
# a sixth of the page's CPU (benchmarks/page_cpu.py), for the same SQL every time.
_POLICE_PAGE_QUERY: CompiledQuery[Problem] = CompiledQuery(_police_page_query)


def problem_page_get_for_user(*, user: User, pk: object) -> Problem:
    """The problem for its page if the user may see it (else 404)."""
    if user.is_authenticated and user.is_police and type(pk) is int and 0 < pk < 2**31:
        found = _POLICE_PAGE_QUERY.fetch(user.role, pk=pk, user_id=user.pk, organisation_id=user.organisation_id)
        if len(found) != 1:
            raise Http404
        return found[0]
    return problem_get_for_user(user=user, pk=pk, queryset=problem_page_queryset(user=user))


# --- the page --------------------------------------------------------------------------------------


def _permissions(user: User, problem: Problem) -> PagePermissions:
    change = can_change_problem(user, problem)
    sign_off = can_sign_off_problem(user, problem)
    return PagePermissions(
        change=change,
        edit_sections=change or can_edit_problem_sections(user, problem),
        contribute=can_contribute_to_problem(user, problem),
        review=can_review_problem(user, problem),
        sign_off=sign_off,
        record_decision=can_record_decision(user, problem),
        manage_shares=can_manage_shares(user, problem),
        see_who_has_seen=change or sign_off,
    )


def _sections(problem: Problem) -> list[SectionStep]:
    current = sara.STAGE_ORDER.index(problem.stage)
    # Closed: the assessment (the results) is where the record ends.
    working = Stage.ASSESSMENT if problem.stage == Stage.CLOSED else problem.stage
    steps = []
    for key, label, stage in SECTIONS:
        index = sara.STAGE_ORDER.index(stage)
        status = "complete" if index < current else "in_progress" if index == current else "not_started"
        steps.append(SectionStep(key=key, label=label, status=status, open=stage == working))
    return steps


def _next_step(problem: Problem, missing: list[str], *, may_move: bool, may_sign_off: bool) -> NextStep:
    """The one thing to do next, and the section where it is done."""
    if problem.stage == Stage.CLOSED:
        return NextStep(CLOSED, "assessment")
    following = sara.next_stage(problem)
    if not missing:
        label = Stage(following).label.lower() if following else ""
        return NextStep((NEXT_MOVE if may_move else READY_TO_MOVE).format(stage=label), "moves")
    if problem.stage == Stage.SCANNING:
        return NextStep(NEXT_SCANNING, "scanning")
    if problem.stage == Stage.ANALYSIS:
        if missing == [sara.MISSING_OBJECTIVE_WITH_BASELINE]:
            return NextStep(NEXT_OBJECTIVES, "objectives")
        return NextStep(NEXT_ANALYSIS, "analysis")
    if problem.stage == Stage.RESPONSE:
        return NextStep(NEXT_PLAN_RESPONSE if missing == [sara.MISSING_ACTION] else NEXT_FINISH_RESPONSE, "response")
    if missing == [sara.MISSING_SIGN_OFF]:
        return NextStep(NEXT_SIGN_OFF if may_sign_off else AWAITING_SIGN_OFF, "moves" if may_sign_off else "assessment")
    return NextStep(NEXT_ASSESSMENT, "assessment")


def _editable_parts(problem: Problem, can_edit: bool) -> dict[str, bool]:
    """For each part's links on the page: may it be changed now?"""
    return {
        part.lower().replace(" ", "_"): can_edit and part_not_editable_reason(problem, part) is None
        for part in PART_STAGES
    }


def seen_panel_for(*, user: User, problem: Problem, page: int = 1, this_view_recorded: bool = False) -> SeenPanel:
    """One page of who has seen or received `problem` (fetched by problem_page_get_for_user, whose
    row counted the user's views of its page), for its lead or a supervisor: one query."""
    own_views = int(getattr(problem, "page_own_views", 0))
    own_last = getattr(problem, "page_own_last_view", None)
    if this_view_recorded:
        # The problem's row counted the user's views before this request's was recorded.
        own_views += 1
        own_last = timezone.now()
    # One more than a page: whether there are older events, without counting them all.
    events = disclosure_events_for_problem(
        problem=problem,
        limit=SEEN_PAGE_SIZE + 1,
        offset=(page - 1) * SEEN_PAGE_SIZE,
        without_page_views_of=user,
    )
    return SeenPanel(
        events=events[:SEEN_PAGE_SIZE],
        own_views=own_views,
        own_last_view=own_last,
        page=page,
        has_older=len(events) > SEEN_PAGE_SIZE,
    )


def problem_page_context(
    *, user: User, problem: Problem, seen_page: int = 1, this_view_recorded: bool = False
) -> ProblemPage:
    """The problem page for `user`, who may see `problem` (fetched by problem_page_get_for_user).
    `seen_page` is the page of the who-has-seen panel; `this_view_recorded` says this request's
    view of the page was recorded after the problem was fetched (the panel counts it)."""
    may = _permissions(user, problem)
    shown = problem_disclosure(user=user, problem=problem)
    disclosure = shown.disclosure
    withheld = None if disclosure.everything else (lambda action: action not in shown.actions.entries)
    following = sara.next_stage(problem)
    missing = sara.problem_missing_for_next_stage(problem, withheld)
    awaiting_sign_off = problem.stage == Stage.ASSESSMENT and problem.signed_off_at is None
    can_advance = may.change and following is not None
    can_sign_off = may.sign_off and awaiting_sign_off
    # Actions the user's organisation is responsible for, when it is not the owner (the owner
    # completes actions through the action form): read from the problem's prefetched actions.
    own_actions = (
        sorted(
            (
                action
                for action in problem.actions.all()
                if action.responsible_organisation_id == user.organisation_id and action.status in OPEN_ACTION_STATUSES
            ),
            key=lambda action: (action.due_date, action.pk),
        )
        if may.contribute and user.organisation_id != problem.owning_organisation_id
        else []
    )
    digest = getattr(problem, "page_follow_digest", None)
    return ProblemPage(
        problem=problem,
        may=may,
        shown=shown,
        sections=_sections(problem),
        tasks={task.stage: task for task in sara.problem_stage_tasks(problem, withheld)},
        next_step=_next_step(problem, missing, may_move=can_advance, may_sign_off=can_sign_off),
        next_stage_label=Stage(following).label if following else "",
        missing=missing,
        editable=_editable_parts(problem, may.edit_sections),
        with_results=sara.stage_reached(problem, Stage.ASSESSMENT),
        awaiting_sign_off=awaiting_sign_off,
        can_advance=can_advance,
        can_sign_off=can_sign_off,
        can_reopen=may.change and bool(sara.earlier_stages(problem)),
        can_hand_over=may.change and problem.is_open,
        people=problem_people(problem=problem),
        follower=None if digest is None else Follow(digest=bool(digest)),
        partner_share=share_for_partner_view(user=user, problem=problem),
        shares=list(share_list_for_problem(problem=problem)) if may.manage_shares else None,
        updates=disclosure.split(DisclosurePart.UPDATE, update_list_for_problem(problem=problem)),
        own_actions=[(action, disclosure.entry(DisclosurePart.ACTION, action)) for action in own_actions],
        attachments=disclosure.split(DisclosurePart.ATTACHMENT, attachment_list_for_problem(problem=problem)),
        decisions=decision_log_for(user=user, problem=problem),
        seen=seen_panel_for(user=user, problem=problem, page=seen_page, this_view_recorded=this_view_recorded)
        if may.see_who_has_seen
        else None,
        assessment_panels=stage_panel_contexts("assessment", problem=problem, user=user),
    )


def page_number(value: Any) -> int:
    """A page number from the query string: 1 for anything that is not a whole number from 1."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10_000 else 1
