"""Problems and their parts. What a partner's share does not disclose is never serialized: the
views pass the entries `problems.selectors.disclosure` lets through, and the problem's withheld
parts as null with a count of withheld entries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from problems.models import (
    DecisionLogEntry,
    Objective,
    Problem,
    ProblemShare,
    ProblemUpdate,
    ResponseAction,
    ReviewEntry,
)
from problems.services.contributions import UPDATE_TEXT_MAX_LENGTH


class ProblemListSerializer(serializers.ModelSerializer[Problem]):
    category = serializers.CharField(source="category.name", read_only=True)
    owning_organisation = serializers.CharField(source="owning_organisation.name", read_only=True)
    neighbourhood = serializers.CharField(source="neighbourhood_label", read_only=True)

    class Meta:
        model = Problem
        fields = (
            "id",
            "reference",
            "title",
            "stage",
            "category",
            "owning_organisation",
            "neighbourhood",
            "risk_level",
            "restricted",
            "opened_on",
            "next_review_date",
            "closed_at",
        )
        read_only_fields = fields


class WithheldSerializer(serializers.Serializer[Any]):
    """Which parts of the problem the viewer's share does not disclose."""

    description = serializers.BooleanField()
    statement = serializers.BooleanField()
    triangle = serializers.BooleanField()
    actions = serializers.IntegerField(help_text="Response actions withheld.")


class ProblemDetailSerializer(serializers.Serializer[Any]):
    """A problem as its page shows it to the viewer: a withheld part is null."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    stage = serializers.CharField()
    category = serializers.CharField()
    owning_organisation = serializers.CharField()
    neighbourhood = serializers.CharField()
    address = serializers.CharField()
    lsoa_code = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    radius_m = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    risk_level = serializers.CharField()
    restricted = serializers.BooleanField()
    opened_on = serializers.DateField()
    next_review_date = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    problem_statement = serializers.CharField(allow_null=True)
    cheers_community = serializers.CharField(allow_null=True)
    cheers_harm = serializers.CharField(allow_null=True)
    cheers_expectation = serializers.CharField(allow_null=True)
    cheers_events = serializers.CharField(allow_null=True)
    cheers_recurring = serializers.CharField(allow_null=True)
    cheers_similarity = serializers.CharField(allow_null=True)
    evidence_sources = serializers.CharField(allow_null=True)
    pat_offender = serializers.CharField(allow_null=True)
    pat_victim = serializers.CharField(allow_null=True)
    pat_location = serializers.CharField(allow_null=True)
    data_sources_used = serializers.CharField()
    process_evaluation = serializers.CharField()
    displacement = serializers.CharField()
    diffusion_of_benefits = serializers.CharField()
    lessons_learned = serializers.CharField()
    signed_off_at = serializers.DateTimeField(allow_null=True)
    withheld = WithheldSerializer()


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    class Meta:
        model = Objective
        fields = ("id", "description", "measure", "baseline", "target", "target_date", "result", "met")
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer[ResponseAction]):
    responsible_organisation = serializers.CharField(source="responsible_organisation.name", read_only=True)
    responsible_organisation_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = ResponseAction
        fields = (
            "id",
            "description",
            "intervention_kind",
            "responsible_organisation",
            "responsible_organisation_id",
            "responsible_person",
            "due_date",
            "status",
            "completed_at",
        )
        read_only_fields = fields


class UpdateSerializer(serializers.ModelSerializer[ProblemUpdate]):
    author = serializers.CharField(source="author.full_name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProblemUpdate
        fields = ("id", "text", "author", "organisation", "created_at")
        read_only_fields = fields


class UpdateCreateSerializer(serializers.Serializer[Any]):
    """Parsing only: the rules (who may add, what text) are the service's
    (problems.services.contributions.problem_update_add)."""

    text = serializers.CharField(max_length=UPDATE_TEXT_MAX_LENGTH * 2, allow_blank=True, trim_whitespace=False)


class DecisionSerializer(serializers.ModelSerializer[DecisionLogEntry]):
    author = serializers.CharField(source="author.full_name", read_only=True)
    partner_organisations = serializers.SerializerMethodField()
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)

    class Meta:
        model = DecisionLogEntry
        fields = (
            "id",
            "created_at",
            "author",
            "information",
            "threat_and_risk",
            "powers_and_policy",
            "options",
            "decision_and_action",
            "review",
            "code_of_ethics",
            "is_joint",
            "partner_organisations",
            "corrects",
        )
        read_only_fields = fields

    def get_partner_organisations(self, entry: DecisionLogEntry) -> list[str]:
        return [organisation.name for organisation in entry.partner_organisations.all()]


class ReviewSerializer(serializers.ModelSerializer[ReviewEntry]):
    reviewed_by = serializers.CharField(source="reviewed_by.full_name", read_only=True)

    class Meta:
        model = ReviewEntry
        fields = ("id", "reviewed_at", "reviewed_by", "notes", "next_review_date")
        read_only_fields = fields


class ShareSerializer(serializers.ModelSerializer[ProblemShare]):
    problem = serializers.IntegerField(source="problem_id", read_only=True)
    problem_reference = serializers.CharField(source="problem.reference", read_only=True)
    problem_title = serializers.CharField(source="problem.title", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    agreement = serializers.CharField(source="agreement.reference", read_only=True)
    data_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ProblemShare
        fields = (
            "id",
            "problem",
            "problem_reference",
            "problem_title",
            "organisation",
            "access_level",
            "agreement",
            "data_categories",
            "shared_at",
            "ended_at",
        )
        read_only_fields = fields


class SharedWithUsSerializer(serializers.ModelSerializer[Problem]):
    """A row of "Shared with us": the problem, and the share it is seen through."""

    neighbourhood = serializers.CharField(source="neighbourhood_label", read_only=True)
    access_level = serializers.CharField(source="share_access", read_only=True, allow_null=True)
    agreement = serializers.CharField(source="share_agreement", read_only=True, allow_null=True)
    has_overdue_actions = serializers.BooleanField(source="has_overdue", read_only=True)

    class Meta:
        model = Problem
        fields = (
            "id",
            "reference",
            "title",
            "stage",
            "neighbourhood",
            "next_review_date",
            "access_level",
            "agreement",
            "has_overdue_actions",
        )
        read_only_fields = fields
