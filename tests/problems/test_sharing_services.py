"""Sharing services: share, revoke, suspend; the guardian projection; the access selector."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from guardian.models import GroupObjectPermission

from core.models import AuditEvent
from partnerships.models import AgreementStatus
from partnerships.selectors.agreements import GAP_CATEGORIES, GAP_NO_AGREEMENT
from partnerships.services.agreements import agreement_terminate, agreements_expire_lapsed
from problems.models import Problem
from problems.models.sharing import ProblemGroupObjectPermission, ProblemShare, ShareAccess, ShareEnd
from problems.selectors.access import can_change_problem, can_contribute_to_problem, problems_visible_to
from problems.services.sharing import (
    REVOKE_REASON_REQUIRED,
    SHARE_ALREADY_SHARED,
    SHARE_NO_CATEGORIES,
    SHARE_NOT_PARTNER,
    SHARE_RESTRICTED,
    share_create,
    share_revoke,
    shares_suspend_lapsed,
)
from tests.conftest import World
from tests.partnerships.factories_agreements import category, complete_agreement
from tests.problems.factories import ProblemFactory
from tests.problems.factories_sharing import active_agreement, share

pytestmark = pytest.mark.django_db


def reconcile_check() -> str:
    out = StringIO()
    call_command("reconcile_shares", "--check", stdout=out)
    return out.getvalue()


def group_perms(problem: Problem, organisation) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        ProblemGroupObjectPermission.objects.filter(content_object=problem, group=organisation.group).values_list(
            "permission__codename", flat=True
        )
    )


def test_sharing_grants_view_on_the_partner_group_through_the_direct_table_only(world):
    s = share(world)
    assert group_perms(s.problem, world.partner) == {"view_problem"}
    assert not GroupObjectPermission.objects.exists()
    assert reconcile_check()


def test_contribute_share_grants_view_and_contribute_and_the_partner_may_contribute(world):
    s = share(world, access_level=ShareAccess.CONTRIBUTE)
    assert group_perms(s.problem, world.partner) == {"view_problem", "contribute_problem"}
    assert can_contribute_to_problem(world.users["partner_member"], s.problem)
    assert not can_change_problem(world.users["partner_member"], s.problem)
    reconcile_check()


def test_view_share_does_not_let_the_partner_contribute(world):
    s = share(world)
    assert not can_contribute_to_problem(world.users["partner_member"], s.problem)


def test_sharing_is_audited_as_a_disclosure_naming_the_recipient(world):
    s = share(world)
    event = AuditEvent.objects.get(verb="problems.share.created")
    assert event.detail["recipients"] == [world.partner.name]
    assert event.detail["agreement"] == s.agreement.reference
    assert event.detail["categories"] == ["asb-reports"]
    assert event.detail["access_level"] == "view"


def test_partner_sees_exactly_the_problems_shared_with_their_organisation(world):
    shared = share(world).problem
    ProblemFactory(force=world.force, owner=world.users["officer"])
    assert list(problems_visible_to(world.users["partner_member"])) == [shared]
    assert list(problems_visible_to(world.users["unrelated_partner"])) == []


def test_a_model_level_view_permission_on_the_partner_group_changes_nothing(world):
    shared = share(world).problem
    ProblemFactory(force=world.force, owner=world.users["officer"])
    world.partner.group.permissions.add(Permission.objects.get(codename="view_problem"))
    world.unrelated.group.permissions.add(Permission.objects.get(codename="view_problem"))
    assert list(problems_visible_to(world.users["partner_member"])) == [shared]
    assert list(problems_visible_to(world.users["unrelated_partner"])) == []


def test_a_permission_row_without_an_active_share_gives_no_access(world):
    from guardian.shortcuts import assign_perm

    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    assign_perm("problems.view_problem", world.partner.group, problem)
    assert not problems_visible_to(world.users["partner_member"]).exists()


def test_sharing_is_refused_without_any_agreement_with_the_reason(world):
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    other = complete_agreement(parties=[world.force, world.unrelated], status=AgreementStatus.ACTIVE)
    with pytest.raises(ValidationError) as error:
        share_create(
            actor=world.users["officer"],
            problem=problem,
            organisation=world.partner,
            access_level=ShareAccess.VIEW,
            agreement=other,
            data_categories=[category("asb-reports")],
        )
    assert error.value.message_dict["agreement"] == [
        GAP_NO_AGREEMENT.format(owner=world.force.name, partner=world.partner.name)
    ]
    assert not ProblemShare.objects.exists()
    assert not ProblemGroupObjectPermission.objects.exists()


def test_sharing_is_refused_when_the_agreement_does_not_cover_the_categories(world):
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    agreement = active_agreement(world.force, world.partner)
    extra = category("asb-reports").__class__.objects.exclude(code="asb-reports").first()
    with pytest.raises(ValidationError) as error:
        share_create(
            actor=world.users["officer"],
            problem=problem,
            organisation=world.partner,
            access_level=ShareAccess.VIEW,
            agreement=agreement,
            data_categories=[category("asb-reports"), extra],
        )
    assert error.value.message_dict["agreement"] == [
        GAP_CATEGORIES.format(
            owner=world.force.name, partner=world.partner.name, references=agreement.reference, categories=extra.name
        )
    ]


@pytest.mark.parametrize("case", ["restricted", "police", "inactive", "no_categories", "twice"])
def test_sharing_is_refused_with_a_reason(world, case):
    problem = ProblemFactory(force=world.force, owner=world.users["officer"], restricted=case == "restricted")
    organisation = world.partner
    categories = [category("asb-reports")]
    if case == "police":
        organisation = world.force
    if case == "inactive":
        world.partner.active = False
        world.partner.save()
    if case == "no_categories":
        categories = []
    agreement = active_agreement(world.force, world.partner)
    if case == "twice":
        share(world, problem, agreement=agreement)
    expected = {
        "restricted": SHARE_RESTRICTED,
        "police": SHARE_NOT_PARTNER,
        "inactive": SHARE_NOT_PARTNER,
        "no_categories": SHARE_NO_CATEGORIES,
        "twice": SHARE_ALREADY_SHARED.format(organisation=world.partner.name),
    }[case]
    with pytest.raises(ValidationError) as error:
        share_create(
            actor=world.users["officer"],
            problem=problem,
            organisation=organisation,
            access_level=ShareAccess.VIEW,
            agreement=agreement,
            data_categories=categories,
        )
    assert expected in error.value.messages
    assert ProblemShare.objects.count() == (1 if case == "twice" else 0)


@pytest.mark.parametrize("persona", ["analyst", "partner_lead", "unrelated_partner"])
def test_only_the_owner_or_a_supervisor_may_share(world, persona):
    problem = ProblemFactory(force=world.force, owner=world.users["officer"])
    with pytest.raises(PermissionDenied):
        share_create(
            actor=world.users[persona],
            problem=problem,
            organisation=world.partner,
            access_level=ShareAccess.VIEW,
            agreement=active_agreement(world.force, world.partner),
            data_categories=[category("asb-reports")],
        )


def test_revoking_ends_the_share_removes_the_permissions_and_is_audited(world):
    s = share(world, access_level=ShareAccess.CONTRIBUTE)
    with pytest.raises(ValidationError) as error:
        share_revoke(actor=world.users["supervisor"], share=s, reason=" ")
    assert error.value.message_dict["reason"] == [REVOKE_REASON_REQUIRED]
    share_revoke(actor=world.users["supervisor"], share=s, reason="Work finished")
    s.refresh_from_db()
    assert s.end_kind == ShareEnd.REVOKED
    assert s.ended_by == world.users["supervisor"]
    assert s.ended_at
    assert group_perms(s.problem, world.partner) == set()
    assert not problems_visible_to(world.users["partner_member"]).exists()
    event = AuditEvent.objects.get(verb="problems.share.revoked")
    assert event.detail["recipients"] == [world.partner.name]
    reconcile_check()


def test_terminating_the_agreement_by_hand_suspends_its_shares(world):
    s = share(world)
    agreement_terminate(actor=world.users["supervisor"], agreement=s.agreement, reason="Council withdrew")
    s.refresh_from_db()
    assert s.end_kind == ShareEnd.SUSPENDED
    assert "Council withdrew" in s.end_reason
    assert group_perms(s.problem, world.partner) == set()
    assert AuditEvent.objects.filter(verb="problems.share.suspended").count() == 1
    reconcile_check()


def test_expiring_agreements_suspends_their_shares(world):
    s = share(world)
    agreements_expire_lapsed(on_date=s.agreement.expiry_date + datetime.timedelta(days=1))
    s.refresh_from_db()
    assert s.end_kind == ShareEnd.SUSPENDED
    reconcile_check()


def test_access_ends_when_the_agreement_lapses_even_before_the_sweep(world):
    s = share(world)
    s.agreement.__class__.objects.filter(pk=s.agreement_id).update(
        expiry_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not problems_visible_to(world.users["partner_member"]).exists()
    assert shares_suspend_lapsed(on_date=timezone.localdate()) == 1
    assert shares_suspend_lapsed(on_date=timezone.localdate()) == 0
    reconcile_check()


# --- who suspended a share, and why (DPA 2018 s.62) -----------------------------------------------


def _suspension(s: ProblemShare) -> AuditEvent:
    return AuditEvent.objects.get(verb="problems.share.suspended", target_id=str(s.pk))


def test_a_share_suspended_because_its_agreement_expired_records_the_system_and_the_cause(world):
    s = share(world)
    agreements_expire_lapsed(on_date=s.agreement.expiry_date + datetime.timedelta(days=1))
    event = _suspension(s)
    assert event.actor is None
    assert event.detail["by"] == "system"
    assert event.detail["cause"] == "agreement_expired"
    assert event.detail["agreement"] == s.agreement.reference
    assert event.detail["agreement_ended_by"] is None


def test_a_share_suspended_because_its_agreement_was_terminated_names_who_terminated_it(world):
    s = share(world)
    supervisor = world.users["supervisor"]
    agreement_terminate(actor=supervisor, agreement=s.agreement, reason="Council withdrew")
    event = _suspension(s)
    assert event.actor is None
    assert {key: event.detail[key] for key in ("by", "cause", "agreement", "agreement_ended_by")} == {
        "by": "system",
        "cause": "agreement_terminated",
        "agreement": s.agreement.reference,
        "agreement_ended_by": supervisor.pk,
    }


def test_the_daily_sweep_records_the_system_and_why_the_agreement_is_no_longer_in_force(world):
    s = share(world)
    s.agreement.__class__.objects.filter(pk=s.agreement_id).update(
        expiry_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert shares_suspend_lapsed(on_date=timezone.localdate()) == 1
    event = _suspension(s)
    assert event.actor is None
    assert (event.detail["by"], event.detail["cause"], event.detail["agreement"]) == (
        "system",
        "agreement_expired",
        s.agreement.reference,
    )


def test_reconcile_check_fails_when_a_permission_row_is_deleted_and_reconcile_repairs_it(world):
    s = share(world)
    ProblemGroupObjectPermission.objects.all().delete()
    with pytest.raises(CommandError):
        reconcile_check()
    call_command("reconcile_shares", stdout=StringIO())
    assert group_perms(s.problem, world.partner) == {"view_problem"}
    reconcile_check()


def test_reconcile_check_lists_an_extra_row_inserted_by_hand(world):
    from guardian.shortcuts import assign_perm

    s = share(world)
    assign_perm("problems.view_problem", world.unrelated.group, s.problem)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("reconcile_shares", "--check", stdout=out)
    assert f"extra: {s.problem.reference} {world.unrelated.name} problems.view_problem" in out.getvalue()
    assert ProblemGroupObjectPermission.objects.count() == 2  # --check changed nothing
    call_command("reconcile_shares", stdout=StringIO())
    reconcile_check()


def test_deleting_a_problem_leaves_no_permission_rows(world):
    s = share(world, access_level=ShareAccess.CONTRIBUTE)
    Problem.objects.filter(pk=s.problem_id).delete()
    assert not ProblemGroupObjectPermission.objects.exists()


def test_deleting_an_organisation_leaves_no_permission_rows(world):
    # An organisation party to an agreement cannot be deleted (PROTECT), so it can have no share;
    # a permission row of its group (put there by hand) still goes with it.
    from guardian.shortcuts import assign_perm

    from tests.partnerships.factories import OrganisationFactory

    kept = share(world)
    doomed = OrganisationFactory(name="Short-lived Trust")
    assign_perm("problems.view_problem", doomed.group, kept.problem)
    doomed.delete()
    assert set(ProblemGroupObjectPermission.objects.values_list("group_id", flat=True)) == {world.partner.group_id}
    reconcile_check()


def test_the_daily_task_suspends_lapsed_shares_and_is_scheduled(world, settings):
    from problems.tasks import suspend_lapsed_shares

    s = share(world)
    s.agreement.__class__.objects.filter(pk=s.agreement_id).update(
        expiry_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert suspend_lapsed_shares() == 1
    s.refresh_from_db()
    assert s.end_kind == ShareEnd.SUSPENDED
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "problems.tasks.suspend_lapsed_shares" in tasks


def test_restricting_a_shared_problem_revokes_its_shares_and_their_permissions(world: World) -> None:
    from problems.services.problems import problem_update
    from problems.services.sharing import RESTRICTED_REASON

    active = share(world, access_level=ShareAccess.CONTRIBUTE)
    problem_update(actor=world.users["officer"], problem=active.problem, restricted=True)
    active.refresh_from_db()
    assert active.ended_at is not None
    assert (active.end_kind, active.end_reason) == (ShareEnd.REVOKED, RESTRICTED_REASON)
    assert not ProblemGroupObjectPermission.objects.filter(content_object=active.problem).exists()
    assert not problems_visible_to(world.users["partner_member"]).exists()
    assert AuditEvent.objects.filter(verb="problems.share.revoked", target_id=str(active.pk)).count() == 1
    reconcile_check()
