"""Engagement events, community priorities, survey results and crime import runs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from engagement.models import CommunityPriority, EngagementEvent, PriorityAction
from evaluation.models import CrimeImportRun
from evaluation.models.surveys import Survey


class EventSerializer(serializers.ModelSerializer[EngagementEvent]):
    neighbourhood = serializers.CharField(source="neighbourhood.name", read_only=True)
    organisations_present = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    groups_represented = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = EngagementEvent
        fields = (
            "id",
            "neighbourhood",
            "kind",
            "held_on",
            "start_time",
            "place",
            "channel",
            "attendees",
            "organisations_present",
            "groups_represented",
            "issues_raised",
        )
        read_only_fields = fields


class PriorityActionSerializer(serializers.ModelSerializer[PriorityAction]):
    class Meta:
        model = PriorityAction
        fields = ("description", "taken_on")
        read_only_fields = fields


class PrioritySerializer(serializers.ModelSerializer[CommunityPriority]):
    neighbourhood = serializers.CharField(source="neighbourhood.name", read_only=True)
    actions = PriorityActionSerializer(many=True, read_only=True)

    class Meta:
        model = CommunityPriority
        fields = (
            "id",
            "neighbourhood",
            "issue",
            "issue_date",
            "chosen_by",
            "votes_for",
            "votes_cast",
            "status",
            "adopted_on",
            "not_adopted_reason",
            "actions",
        )
        read_only_fields = fields


class SurveySerializer(serializers.ModelSerializer[Survey]):
    owner = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Survey
        fields = ("id", "title", "owner", "audience", "status", "opens_on", "closes_on")
        read_only_fields = fields


class ResultRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class QuestionResultSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    rows = ResultRowSerializer(many=True)
    net_agreement = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    texts = serializers.ListField(child=serializers.CharField())


class SurveyResultsSerializer(serializers.Serializer[Any]):
    survey = SurveySerializer()
    responses = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class CrimeImportRunSerializer(serializers.ModelSerializer[CrimeImportRun]):
    class Meta:
        model = CrimeImportRun
        fields = (
            "id",
            "file_name",
            "state",
            "rows_total",
            "rows_done",
            "rows_loaded",
            "rows_skipped",
            "error_count",
            "message",
            "first_month",
            "last_month",
            "created_at",
            "finished_at",
        )
        read_only_fields = fields
