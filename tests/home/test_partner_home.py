"""The partner home pages. Both roles: "Shared problems" (problems shared with their organisation
under an agreement in force, most recently shared or changed first, with the access level) and
"Your actions" (open actions assigned to their organisation or to them on those problems, due
soonest first, overdue ones marked). The lead also: "Agreements" (drafts awaiting the
organisation's signature, agreements due for review within 30 days) and "Contacts" (current
contacts, SPOCs first, a warning when there is no active SPOC). Nothing from another
organisation, nothing the partner could not open."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Agreement, AgreementStatus
from problems.models import ActionStatus, Problem, ProblemShare
from problems.models.sharing import ShareAccess
from problems.services.sharing import share_revoke
from tests.conftest import World, sign_in
from tests.partnerships.factories_agreements import complete_agreement
from tests.partnerships.factories_contacts import ContactFactory, SpocFactory, days_ago
from tests.problems.factories import ProblemFactory
from tests.problems.factories_decisions import decision
from tests.problems.factories_referrals import referral
from tests.problems.factories_sara import ResponseActionFactory
from tests.problems.factories_sharing import canary, share

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _panel(text: str, marker: str) -> str:
    """The HTML of one list, from its data- attribute to the end of the list."""
    assert marker in text, f"{marker} not on the page"
    return text.split(marker, 1)[1].split("</ul>", 1)[0]


def _shared_at(shared: ProblemShare, days: int) -> None:
    """Back-date a share and its problem's last change (both set automatically on save)."""
    when = timezone.now() + datetime.timedelta(days=days)
    ProblemShare.objects.filter(pk=shared.pk).update(shared_at=when)
    Problem.objects.filter(pk=shared.problem_id).update(updated_at=when - datetime.timedelta(days=1))


# --- Shared problems ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead"])
def test_shared_problems_lists_what_the_organisation_may_see_latest_first_with_access(
    world: World, persona: str
) -> None:
    older = share(world, access_level=ShareAccess.CONTRIBUTE, title=f"Alley {canary()}")
    newer = share(world, access_level=ShareAccess.VIEW, title=f"Parade {canary()}")
    changed = share(world, access_level=ShareAccess.VIEW, title=f"Park {canary()}")
    _shared_at(older, -3)
    _shared_at(newer, -1)
    _shared_at(changed, -10)
    # Shared long ago, but the police changed the record since: it comes first.
    Problem.objects.filter(pk=changed.problem_id).update(updated_at=timezone.now())
    response = _client(world, persona).get(reverse("home"))
    assert [p.pk for p in response.context["shared_problems"]] == [
        changed.problem_id,
        newer.problem_id,
        older.problem_id,
    ]
    panel = _panel(response.text, "data-shared-problems")
    for shared in (older, newer, changed):
        assert f'href="{reverse("problem-detail", args=[shared.problem_id])}"' in panel
        assert shared.problem.title in panel
    older_line = panel.split(older.problem.title, 1)[1].split("</li>", 1)[0]
    newer_line = panel.split(newer.problem.title, 1)[1].split("</li>", 1)[0]
    changed_line = panel.split(changed.problem.title, 1)[1].split("</li>", 1)[0]
    assert "(view and contribute), shared" in older_line
    assert "(view only), shared" in newer_line
    assert "(view only), changed" in changed_line
    assert f'href="{reverse("shared-with-us")}"' in response.text


def test_shared_problems_leaves_out_what_the_organisation_may_not_see(world: World) -> None:
    visible = share(world, title=f"Visible {canary()}")
    unshared = ProblemFactory(force=world.force, owner=world.users["officer"], title=f"Unshared {canary()}")
    elsewhere = share(world, organisation=world.unrelated, title=f"Elsewhere {canary()}")
    revoked = share(world, title=f"Revoked {canary()}")
    share_revoke(actor=world.users["officer"], share=revoked, reason="No longer needed")
    lapsed = share(world, title=f"Lapsed {canary()}")
    # The agreement ended yesterday and no sweep has run: access ends on the next request anyway.
    Agreement.objects.filter(pk=lapsed.agreement_id).update(expiry_date=_days(-1))
    text = _client(world, "partner_member").get(reverse("home")).text
    panel = _panel(text, "data-shared-problems")
    assert visible.problem.title in panel
    for hidden in (unshared, elsewhere.problem, revoked.problem, lapsed.problem):
        assert hidden.title not in text


def test_shared_problems_marks_problems_with_overdue_actions_in_words(world: World) -> None:
    late = share(world)
    ResponseActionFactory(problem=late.problem, responsible_organisation=world.partner, due_date=_days(-2))
    text = _client(world, "partner_member").get(reverse("home")).text
    assert "Overdue actions</span>" in _panel(text, "data-shared-problems")


def test_shared_problems_shows_ten_and_links_to_the_full_list(world: World) -> None:
    agreement = share(world).agreement
    for _ in range(10):
        share(world, agreement=agreement)
    response = _client(world, "partner_member").get(reverse("home"))
    assert len(response.context["shared_problems"]) == 10
    assert response.context["more_shared_problems"] is True
    assert "See all the problems shared with your organisation" in response.text


# --- Your actions ---------------------------------------------------------------------------------


def test_your_actions_lists_open_actions_of_the_organisation_due_soonest_first(world: World) -> None:
    member = world.users["partner_member"]
    contribute = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    view_only = share(world, access_level=ShareAccess.VIEW).problem
    overdue = ResponseActionFactory(
        problem=contribute, responsible_organisation=world.partner, due_date=_days(-3), description="Fence the alley"
    )
    soon = ResponseActionFactory(
        problem=view_only,
        responsible_organisation=world.partner,
        due_date=_days(2),
        description="Clear the fly-tipping",
        status=ActionStatus.IN_PROGRESS,
    )
    # Assigned to the member by name, though the force is responsible for it.
    named = ResponseActionFactory(
        problem=contribute, responsible_user=member, due_date=_days(9), description="Join the walkabout"
    )
    response = _client(world, "partner_member").get(reverse("home"))
    assert [a.pk for a in response.context["partner_actions"]] == [overdue.pk, soon.pk, named.pk]
    panel = _panel(response.text, "data-partner-actions")
    lines = panel.split("<li>")[1:]
    assert "Fence the alley" in lines[0]
    assert "Overdue</span> was due" in lines[0]
    assert f'href="{reverse("problem-detail", args=[contribute.pk])}#updates"' in lines[0]
    assert contribute.reference in lines[0]
    assert "Clear the fly-tipping" in lines[1]
    assert "Overdue" not in lines[1]
    assert f'href="{reverse("problem-detail", args=[view_only.pk])}"' in lines[1]
    assert "view-only access" in lines[1]
    assert "Join the walkabout" in lines[2]
    assert panel.count("Overdue</span>") == 1


def test_your_actions_leaves_out_finished_others_and_unseeable_actions(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    ResponseActionFactory(problem=problem, responsible_organisation=world.partner, description="Shown action")
    ResponseActionFactory(
        problem=problem,
        responsible_organisation=world.partner,
        status=ActionStatus.DONE,
        completed_at=timezone.now(),
        description="Finished action",
    )
    ResponseActionFactory(
        problem=problem,
        responsible_organisation=world.partner,
        status=ActionStatus.CANCELLED,
        cancel_reason="Not needed",
        description="Cancelled action",
    )
    ResponseActionFactory(problem=problem, responsible_organisation=world.force, description="Police action")
    ResponseActionFactory(problem=problem, responsible_organisation=world.unrelated, description="Unrelated action")
    unshared = ProblemFactory(force=world.force, owner=world.users["officer"])
    ResponseActionFactory(problem=unshared, responsible_organisation=world.partner, description="Unshared action")
    revoked = share(world)
    ResponseActionFactory(problem=revoked.problem, responsible_organisation=world.partner, description="Revoked one")
    share_revoke(actor=world.users["officer"], share=revoked, reason="Ended")
    text = _client(world, "partner_member").get(reverse("home")).text
    panel = _panel(text, "data-partner-actions")
    assert "Shown action" in panel
    for hidden in ("Finished action", "Cancelled action", "Police action", "Unrelated action", "Unshared action"):
        assert hidden not in panel
    assert "Revoked one" not in text


def test_member_home_says_plainly_when_there_is_nothing(world: World) -> None:
    response = _client(world, "partner_member").get(reverse("home"))
    text = response.text
    assert "No problems are shared with your organisation at the moment." in text
    assert "No open actions are assigned to your organisation or to you." in text
    assert "will be listed here" not in text
    # The lead's panels are not the member's.
    assert 'id="panel-agreements"' not in text
    assert 'id="panel-contacts"' not in text


def test_member_home_keeps_the_same_query_count_with_1_and_with_5_shares_and_actions(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "partner_member")
    agreement = share(world).agreement
    ProblemShare.objects.all().delete()

    def count_queries(rows: int) -> None:
        while ProblemShare.objects.count() < rows:
            shared = share(world, agreement=agreement, access_level=ShareAccess.CONTRIBUTE)
            ResponseActionFactory(problem=shared.problem, responsible_organisation=world.partner, due_date=_days(-1))
            referral(world)
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the shared
        # problems with access level and agreement, 5 the open actions with their problems, 6 the
        # consultation of the problems both panels name (one INSERT, DPA 2018 s.62), 7 the
        # organisation's referrals with their recipients and problems.
        with django_assert_num_queries(7):
            response = client.get(reverse("home"))
        assert len(response.context["shared_problems"]) == rows
        assert len(response.context["partner_actions"]) == rows
        assert len(response.context["referrals"]) == rows

    count_queries(1)
    count_queries(5)


# --- Agreements (lead) ----------------------------------------------------------------------------


def _sign_for(agreement: Agreement, organisation_id: int) -> None:
    agreement.parties.filter(organisation_id=organisation_id).update(signatory_name="Someone", signed_at=timezone.now())


def test_lead_sees_drafts_awaiting_their_organisations_signature(world: World) -> None:
    ready = complete_agreement(parties=[world.force, world.partner], signed=False, title=f"Ready {canary()}")
    _sign_for(ready, world.force.pk)
    unfinished = complete_agreement(
        parties=[world.force, world.partner], signed=False, purpose="", dpia_reference="", title=f"Draft {canary()}"
    )
    signed = complete_agreement(parties=[world.force, world.partner], signed=False, title=f"Signed {canary()}")
    _sign_for(signed, world.partner.pk)
    other = complete_agreement(parties=[world.force, world.unrelated], signed=False, title=f"Other {canary()}")
    active = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    response = _client(world, "partner_lead").get(reverse("home"))
    assert {row["agreement"].pk for row in response.context["awaiting_signature"]} == {ready.pk, unfinished.pk}
    panel = _panel(response.text, "data-awaiting-signature")
    ready_line = panel.split(ready.title, 1)[1].split("</li>", 1)[0]
    unfinished_line = panel.split(unfinished.title, 1)[1].split("</li>", 1)[0]
    assert f'href="{reverse("agreement-detail", args=[ready.pk])}"' in panel
    assert f'href="{reverse("agreement-detail", args=[unfinished.pk])}"' in panel
    assert "signed by 1 of 2 parties. Complete apart from signatures." in ready_line
    assert "signed by 0 of 2 parties. Still being drafted: 2 other items missing." in unfinished_line
    assert "Your organisation's lead signs it" not in panel
    for hidden in (signed, other):
        assert hidden.title not in response.text
    assert f'href="{reverse("agreement-detail", args=[active.pk])}"' not in panel


def test_lead_sees_agreements_due_for_review_within_30_days_or_overdue(world: World) -> None:
    parties = [world.force, world.partner]
    overdue = complete_agreement(parties=parties, status=AgreementStatus.ACTIVE, review_date=_days(-5))
    soon = complete_agreement(parties=parties, status=AgreementStatus.UNDER_REVIEW, review_date=_days(30))
    later = complete_agreement(parties=parties, status=AgreementStatus.ACTIVE, review_date=_days(31))
    expired = complete_agreement(parties=parties, status=AgreementStatus.EXPIRED, review_date=_days(3))
    other = complete_agreement(
        parties=[world.force, world.unrelated], status=AgreementStatus.ACTIVE, review_date=_days(3)
    )
    response = _client(world, "partner_lead").get(reverse("home"))
    assert [a.pk for a in response.context["review_due"]] == [overdue.pk, soon.pk]
    panel = _panel(response.text, "data-review-due")
    overdue_line = panel.split(overdue.reference, 1)[1].split("</li>", 1)[0]
    soon_line = panel.split(soon.reference, 1)[1].split("</li>", 1)[0]
    assert "Review overdue</span> since" in overdue_line
    assert "review due" in soon_line
    assert "overdue" not in soon_line.lower()
    assert f'href="{reverse("agreement-detail", args=[soon.pk])}"' in panel
    for hidden in (later, expired, other):
        assert hidden.reference not in panel


# --- Contacts (lead) ------------------------------------------------------------------------------


def test_lead_sees_current_contacts_with_the_spoc_first_and_marked(world: World) -> None:
    ContactFactory(organisation=world.partner, name="Aaron Able")
    SpocFactory(organisation=world.partner, name="Zoe Zed", spoc_topics="ASB in Eastgate")
    ContactFactory(organisation=world.partner, name="Len Leaver", active_to=days_ago(10))
    ContactFactory(organisation=world.unrelated, name="Olga Outsider")
    SpocFactory(organisation=world.unrelated, name="Sam Stranger")
    response = _client(world, "partner_lead").get(reverse("home"))
    panel = _panel(response.text, "data-contacts")
    lines = panel.split("<li>")[1:]
    assert len(lines) == 2
    assert "Zoe Zed" in lines[0]
    assert "Single point of contact</span> for ASB in Eastgate" in lines[0]
    assert "Aaron Able" in lines[1]
    assert "Single point of contact" not in lines[1]
    for hidden in ("Len Leaver", "Olga Outsider", "Sam Stranger"):
        assert hidden not in response.text
    assert "data-no-spoc" not in response.text
    assert f'href="{reverse("organisation-detail", args=[world.partner.pk])}"' in response.text


def test_lead_is_warned_when_the_organisation_has_no_active_spoc(world: World) -> None:
    ContactFactory(organisation=world.partner, name="Aaron Able")
    # Was a SPOC until last week: nobody is one today.
    SpocFactory(organisation=world.partner, name="Former Spoc", spoc_to=days_ago(7))
    SpocFactory(organisation=world.unrelated)  # another organisation's SPOC does not count
    response = _client(world, "partner_lead").get(reverse("home"))
    assert response.context["has_active_spoc"] is False
    warning = response.text.split("data-no-spoc", 1)[1].split("</p>", 1)[0]
    assert "No active single point of contact." in warning
    assert "Single point of contact</span>" not in _panel(response.text, "data-contacts")


def test_lead_home_says_plainly_when_there_is_nothing(world: World) -> None:
    text = _client(world, "partner_lead").get(reverse("home")).text
    assert "No problems are shared with your organisation at the moment." in text
    assert "No open actions are assigned to your organisation or to you." in text
    assert "No draft agreement is waiting for your organisation's signature." in text
    assert "No agreement is due for review in the next 30 days." in text
    assert "No contacts are recorded for your organisation." in text
    assert "No active single point of contact." in text
    assert "will be listed here" not in text


def test_lead_home_keeps_the_same_query_count_with_1_and_with_5_of_everything(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = _client(world, "partner_lead")
    agreement = share(world).agreement
    ProblemShare.objects.all().delete()
    parties = [world.force, world.partner]

    def count_queries(rows: int) -> None:
        while ProblemShare.objects.count() < rows:
            shared = share(world, agreement=agreement)
            ResponseActionFactory(problem=shared.problem, responsible_organisation=world.partner)
            decision(
                problem=shared.problem,
                author=world.users["officer"],
                is_joint=True,
                partner_organisations=[world.partner],
            )
            complete_agreement(parties=parties, signed=False)
            complete_agreement(parties=parties, status=AgreementStatus.ACTIVE, review_date=_days(10))
            SpocFactory(organisation=world.partner)
            referral(world, by="partner_lead")
        client.get(reverse("home"))  # the session's last-seen time is written once
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the joint
        # decisions awaiting the organisation's confirmation with their problems, 5 the shared
        # problems, 6 the open actions with their problems, 7 the consultation of the problems
        # the panels name (one INSERT), 8 the drafts awaiting signature, 9 their parties with
        # organisations, 10 their data categories, 11 the agreements due for review, 12 the
        # current contacts, 13 the organisation's referrals with their recipients and problems.
        with django_assert_num_queries(13):
            response = client.get(reverse("home"))
        context = response.context
        assert len(context["decisions_to_confirm"]) == rows
        assert len(context["shared_problems"]) == rows
        assert len(context["partner_actions"]) == rows
        assert len(context["awaiting_signature"]) == rows
        assert len(context["review_due"]) == rows
        assert len(context["contacts"]) == rows
        assert len(context["referrals"]) == rows

    count_queries(1)
    count_queries(5)
