"""Problems and their parts, as the problem page shows them to the same person: visibility from
problems.selectors.access, what a partner reads from problems.selectors.disclosure, and every
response that returns case data logged as a consultation (DPA 2018 s.62)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.problems import (
    ActionSerializer,
    DecisionSerializer,
    ObjectiveSerializer,
    ProblemDetailSerializer,
    ProblemListSerializer,
    ReviewSerializer,
    SharedWithUsSerializer,
    ShareSerializer,
    UpdateCreateSerializer,
    UpdateSerializer,
)
from api.services import api_problem_consulted, api_problems_listed
from api.views.base import api_user, entries_of
from problems.models import DisclosurePart, Problem
from problems.selectors.access import problem_get_for_user
from problems.selectors.contributions import action_get_for_contributor, update_list_for_problem
from problems.selectors.decisions import decision_list_for_problem
from problems.selectors.disclosure import disclosure_for, problem_disclosure
from problems.selectors.problems import problem_list_visible_to, review_list_for_problem
from problems.selectors.sara import problem_detail_queryset
from problems.selectors.sharing import (
    can_manage_shares,
    share_for_partner_view,
    share_list_for_problem,
    shared_with_us_list,
)
from problems.services.contributions import action_complete_by_partner, problem_update_add

STATEMENT_FIELDS = (
    "problem_statement",
    "cheers_community",
    "cheers_harm",
    "cheers_expectation",
    "cheers_events",
    "cheers_recurring",
    "cheers_similarity",
    "evidence_sources",
)
TRIANGLE_FIELDS = ("pat_offender", "pat_victim", "pat_location")
PLAIN_FIELDS = (
    "id",
    "reference",
    "title",
    "stage",
    "address",
    "lsoa_code",
    "latitude",
    "longitude",
    "radius_m",
    "source",
    "risk_level",
    "restricted",
    "opened_on",
    "next_review_date",
    "closed_at",
    "data_sources_used",
    "process_evaluation",
    "displacement",
    "diffusion_of_benefits",
    "lessons_learned",
    "signed_off_at",
)


def _problem(request: Request, pk: int, action: str = "view", queryset: QuerySet[Problem] | None = None) -> Problem:
    """The problem if the user may see it (else 404) and may do `action` (else 403)."""
    return problem_get_for_user(user=api_user(request), pk=pk, action=action, queryset=queryset)


def _problem_record(problem: Problem, request: Request) -> dict[str, Any]:
    """The problem's record with each part the viewer's share withholds as null."""
    shown = problem_disclosure(user=api_user(request), problem=problem)
    record: dict[str, Any] = {name: getattr(problem, name) for name in PLAIN_FIELDS}
    record.update(
        category=problem.category.name,
        owning_organisation=problem.owning_organisation.name,
        neighbourhood=problem.neighbourhood_label,
        description=problem.description if shown.description else None,
        withheld={
            "description": not shown.description,
            "statement": not shown.statement,
            "triangle": not shown.triangle,
            "actions": shown.actions.withheld,
        },
    )
    record.update({name: getattr(problem, name) if shown.statement else None for name in STATEMENT_FIELDS})
    record.update({name: getattr(problem, name) if shown.triangle else None for name in TRIANGLE_FIELDS})
    return record


class ProblemList(generics.ListAPIView[Problem]):
    """The problems you may see: your force's (police), or those shared with your organisation
    (partners). Titles are case data: each problem listed is logged as consulted."""

    serializer_class = ProblemListSerializer

    def get_queryset(self) -> QuerySet[Problem]:
        return problem_list_visible_to(user=api_user(self.request)).order_by("-opened_on", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        api_problems_listed(actor=api_user(request), problems=rows, endpoint="problem-list")
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class SharedWithUs(generics.ListAPIView[Problem]):
    """ "Shared with us": the problems shared with your organisation, problems with your overdue
    actions first, each with the share's access level and agreement (police users: none)."""

    serializer_class = SharedWithUsSerializer

    def get_queryset(self) -> QuerySet[Problem]:
        return shared_with_us_list(user=api_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        api_problems_listed(actor=api_user(request), problems=rows, endpoint="shared-with-us")
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class ProblemDetail(APIView):
    @extend_schema(responses=ProblemDetailSerializer, summary="A problem, as its page shows it to you")
    def get(self, request: Request, pk: int) -> Response:
        problem = _problem(request, pk, queryset=problem_detail_queryset())
        if problem.disposed_at is not None:
            # Metadata only (problems.services.retention), as the page: nothing left to consult.
            raise Http404
        api_problem_consulted(actor=api_user(request), problem=problem, endpoint="problem-detail")
        return Response(ProblemDetailSerializer(_problem_record(problem, request)).data)


ObjectiveList = entries_of(ObjectiveSerializer, "ObjectiveEntries")
ActionList = entries_of(ActionSerializer, "ActionEntries")
UpdateList = entries_of(UpdateSerializer, "UpdateEntries")
DecisionList = entries_of(DecisionSerializer, "DecisionEntries")
ReviewList = entries_of(ReviewSerializer, "ReviewEntries")
ShareList = entries_of(ShareSerializer, "ShareEntries")


def _consulted_part(request: Request, pk: int, endpoint: str) -> Problem:
    problem = _problem(request, pk)
    if problem.disposed_at is not None:
        raise Http404
    api_problem_consulted(actor=api_user(request), problem=problem, endpoint=endpoint)
    return problem


class ProblemObjectives(APIView):
    @extend_schema(responses=ObjectiveList, summary="The problem's objectives")
    def get(self, request: Request, pk: int) -> Response:
        problem = _consulted_part(request, pk, "problem-objectives")
        rows = problem.objectives.order_by("pk")
        return Response(ObjectiveList({"results": rows, "withheld": 0}).data)


class ProblemActions(APIView):
    @extend_schema(responses=ActionList, summary="The problem's response actions your share discloses")
    def get(self, request: Request, pk: int) -> Response:
        problem = _consulted_part(request, pk, "problem-actions")
        rows = problem.actions.select_related("responsible_organisation").order_by("due_date", "pk")
        shown = disclosure_for(user=api_user(request), problem=problem).split(DisclosurePart.ACTION, rows)
        return Response(ActionList({"results": shown.entries, "withheld": shown.withheld}).data)


class ProblemUpdates(APIView):
    @extend_schema(responses=UpdateList, summary="The problem's updates your share discloses")
    def get(self, request: Request, pk: int) -> Response:
        problem = _consulted_part(request, pk, "problem-updates")
        shown = disclosure_for(user=api_user(request), problem=problem).split(
            DisclosurePart.UPDATE, update_list_for_problem(problem=problem)
        )
        return Response(UpdateList({"results": shown.entries, "withheld": shown.withheld}).data)

    @extend_schema(
        request=UpdateCreateSerializer,
        responses={201: UpdateSerializer},
        summary="Add an update (as the page's Add an update: who may contribute, the same checks)",
    )
    def post(self, request: Request, pk: int) -> Response:
        problem = _problem(request, pk, action="contribute")
        form = UpdateCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        update = problem_update_add(actor=api_user(request), problem=problem, text=form.validated_data["text"])
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class ProblemDecisions(APIView):
    @extend_schema(responses=DecisionList, summary="The problem's decision log entries your share discloses")
    def get(self, request: Request, pk: int) -> Response:
        problem = _consulted_part(request, pk, "problem-decisions")
        shown = disclosure_for(user=api_user(request), problem=problem).split(
            DisclosurePart.DECISION, decision_list_for_problem(problem=problem)
        )
        return Response(DecisionList({"results": shown.entries, "withheld": shown.withheld}).data)


class ProblemReviews(APIView):
    @extend_schema(responses=ReviewList, summary="The problem's reviews (as its printable summary)")
    def get(self, request: Request, pk: int) -> Response:
        problem = _consulted_part(request, pk, "problem-reviews")
        return Response(ReviewList({"results": review_list_for_problem(problem=problem), "withheld": 0}).data)


class ProblemShares(APIView):
    @extend_schema(
        responses=ShareList,
        summary="The problem's shares: all of them for its lead and supervisors; a partner, its own",
    )
    def get(self, request: Request, pk: int) -> Response:
        user = api_user(request)
        problem = _problem(request, pk)
        if can_manage_shares(user, problem):
            rows = list(share_list_for_problem(problem=problem).prefetch_related("data_categories"))
        else:
            own = share_for_partner_view(user=user, problem=problem)
            rows = [own] if own is not None else []
        return Response(ShareList({"results": rows, "withheld": 0}).data)


class ActionCompleted(APIView):
    @extend_schema(
        request=None,
        responses={200: ActionSerializer},
        summary="Mark an action of your organisation done (as the page's Mark as done)",
    )
    def post(self, request: Request, pk: int, action_pk: int) -> Response:
        user = api_user(request)
        action = action_get_for_contributor(user=user, pk=action_pk)
        if action.problem_id != pk:
            raise Http404
        action = action_complete_by_partner(actor=user, action=action)
        if not disclosure_for(user=user, problem=action.problem).entry(DisclosurePart.ACTION, action):
            # The action is theirs to complete, but its text is not theirs to read.
            action.description = ""
        return Response(ActionSerializer(action).data)
