"""Agreements, organisations and contacts."""

from __future__ import annotations

from rest_framework import serializers

from partnerships.models import Agreement, AgreementParty, Contact, Organisation


class AgreementPartySerializer(serializers.ModelSerializer[AgreementParty]):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    organisation_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ("organisation_id", "organisation", "controller_role", "lawful_basis", "signatory_name", "signed_at")
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    parties = AgreementPartySerializer(many=True, read_only=True)
    data_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = (
            "id",
            "reference",
            "version",
            "title",
            "status",
            "purpose",
            "data_categories",
            "data_items",
            "dpia_reference",
            "retention_and_deletion",
            "security_measures",
            "subject_access_contact",
            "sharing_frequency",
            "start_date",
            "review_date",
            "expiry_date",
            "parties",
        )
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    # Plain text: either may be empty, which is no email address or URL.
    email = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "name",
            "kind",
            "sector",
            "is_responsible_authority",
            "areas_covered",
            "address",
            "email",
            "phone",
            "website",
            "active",
        )
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer[Contact]):
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Contact
        fields = (
            "id",
            "name",
            "job_title",
            "email",
            "phone",
            "active_from",
            "active_to",
            "spoc_topics",
            "spoc_from",
            "spoc_to",
        )
        read_only_fields = fields
