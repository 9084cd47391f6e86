"""Agreements (parties only for partners), organisations and their contacts, engagement events and
priorities, survey results and crime import runs: each through its app's selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.engagement import (
    CrimeImportRunSerializer,
    EventSerializer,
    PrioritySerializer,
    SurveyResultsSerializer,
    SurveySerializer,
)
from api.serializers.registry import AgreementSerializer, ContactSerializer, OrganisationSerializer
from api.views.base import api_user, entries_of
from engagement.models import CommunityPriority, EngagementEvent
from engagement.selectors.access import event_get_for_user, priority_get_for_user
from engagement.selectors.lists import (
    event_detail_queryset,
    event_list_visible_to,
    priority_detail_queryset,
    priority_list_visible_to,
)
from evaluation.models import CrimeImportRun
from evaluation.models.surveys import Survey
from evaluation.selectors.crime import (
    crime_import_require_analyst,
    crime_import_run_get_for_user,
    crime_import_runs_visible_to,
)
from evaluation.selectors.surveys import survey_list_visible_to
from evaluation.selectors.surveys_access import survey_get_for_user
from evaluation.selectors.surveys_results import survey_results
from partnerships.models import Agreement, Organisation
from partnerships.selectors.agreements import agreement_get_for_user, agreement_list_visible_to
from partnerships.selectors.contacts import contact_list_for_organisation
from partnerships.selectors.organisations import organisation_get_for_user, organisation_list_visible_to

ContactList = entries_of(ContactSerializer, "ContactEntries")


class AgreementList(generics.ListAPIView[Agreement]):
    """Information-sharing agreements: every one for police users; a partner, those its
    organisation is party to."""

    serializer_class = AgreementSerializer

    def get_queryset(self) -> QuerySet[Agreement]:
        return agreement_list_visible_to(user=api_user(self.request))


class AgreementDetail(APIView):
    @extend_schema(responses=AgreementSerializer, summary="One agreement")
    def get(self, request: Request, pk: int) -> Response:
        return Response(AgreementSerializer(agreement_get_for_user(user=api_user(request), pk=pk)).data)


class OrganisationList(generics.ListAPIView[Organisation]):
    """The partner registry: every organisation for police users; a partner, its own and those it
    shares a partnership with."""

    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisation_list_visible_to(user=api_user(self.request))


class OrganisationDetail(APIView):
    @extend_schema(responses=OrganisationSerializer, summary="One organisation")
    def get(self, request: Request, pk: int) -> Response:
        return Response(OrganisationSerializer(organisation_get_for_user(user=api_user(request), pk=pk)).data)


class OrganisationContacts(APIView):
    @extend_schema(responses=ContactList, summary="An organisation's contacts (as its page lists them)")
    def get(self, request: Request, pk: int) -> Response:
        organisation = organisation_get_for_user(user=api_user(request), pk=pk)
        rows = contact_list_for_organisation(organisation=organisation)
        return Response(ContactList({"results": rows, "withheld": 0}).data)


class EventList(generics.ListAPIView[EngagementEvent]):
    """Engagement events of the neighbourhoods you may see."""

    serializer_class = EventSerializer

    def get_queryset(self) -> QuerySet[EngagementEvent]:
        return event_list_visible_to(user=api_user(self.request)).prefetch_related(
            "organisations_present", "groups_represented"
        )


class EventDetail(APIView):
    @extend_schema(responses=EventSerializer, summary="One engagement event")
    def get(self, request: Request, pk: int) -> Response:
        event = event_get_for_user(user=api_user(request), pk=pk, queryset=event_detail_queryset())
        return Response(EventSerializer(event).data)


class PriorityList(generics.ListAPIView[CommunityPriority]):
    """Community priorities of the neighbourhoods you may see, with what was done."""

    serializer_class = PrioritySerializer

    def get_queryset(self) -> QuerySet[CommunityPriority]:
        return priority_list_visible_to(user=api_user(self.request)).prefetch_related("actions")


class PriorityDetail(APIView):
    @extend_schema(responses=PrioritySerializer, summary="One community priority")
    def get(self, request: Request, pk: int) -> Response:
        priority = priority_get_for_user(user=api_user(request), pk=pk, queryset=priority_detail_queryset())
        return Response(PrioritySerializer(priority).data)


class SurveyList(generics.ListAPIView[Survey]):
    """The surveys whose results you may see."""

    serializer_class = SurveySerializer

    def get_queryset(self) -> QuerySet[Survey]:
        return survey_list_visible_to(user=api_user(self.request))


class SurveyResults(APIView):
    @extend_schema(responses=SurveyResultsSerializer, summary="A survey's results, aggregated")
    def get(self, request: Request, pk: int) -> Response:
        survey = survey_get_for_user(
            user=api_user(request), pk=pk, queryset=Survey.objects.select_related("owner", "neighbourhood")
        )
        return Response(SurveyResultsSerializer(survey_results(survey=survey)).data)


class CrimeImportRunList(generics.ListAPIView[CrimeImportRun]):
    """Crime import runs (police analysts)."""

    serializer_class = CrimeImportRunSerializer

    def get_queryset(self) -> QuerySet[CrimeImportRun]:
        return crime_import_runs_visible_to(user=api_user(self.request)).order_by("-created_at", "-pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        crime_import_require_analyst(api_user(request))
        return super().list(request, *args, **kwargs)


class CrimeImportRunDetail(APIView):
    @extend_schema(responses=CrimeImportRunSerializer, summary="One crime import run")
    def get(self, request: Request, pk: int) -> Response:
        return Response(CrimeImportRunSerializer(crime_import_run_get_for_user(user=api_user(request), pk=pk)).data)
