"""Sharing views, the partner's view of shared problems, and the canary test."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import URLPattern, reverse

from core.models import AuditEvent
from partnerships.models import AgreementStatus
from partnerships.selectors.agreements import GAP_NO_AGREEMENT
from partnerships.services.agreements import agreement_terminate
from problems.models import Stage
from problems.models.sara import ActionStatus, InterventionKind, ResponseAction
from problems.models.sharing import ProblemShare, ShareAccess
from problems.selectors.access import problems_visible_to
from problems.services.sharing import REVOKE_REASON_REQUIRED
from problems.urls import urlpatterns as problem_urls
from tests.conftest import sign_in
from tests.partnerships.factories_agreements import category, complete_agreement
from tests.problems.factories_sharing import active_agreement, canary_problem, share

pytestmark = pytest.mark.django_db


def reconcile_check() -> None:
    call_command("reconcile_shares", "--check", stdout=StringIO())


# --- sharing ----------------------------------------------------------------------------------


def test_the_owner_shares_a_problem_from_the_form(client, world):
    problem = canary_problem(world)
    agreement = active_agreement(world.force, world.partner)
    sign_in(client, world.users["officer"])
    url = reverse("problem-share", kwargs={"pk": problem.pk})
    page = client.get(url)
    assert agreement.reference in page.content.decode()
    response = client.post(
        url,
        {
            "organisation": world.partner.pk,
            "access_level": "contribute",
            "data_categories": [category("asb-reports").pk],
            "agreement": agreement.pk,
        },
    )
    assert response.status_code == 302
    share_row = ProblemShare.objects.get()
    assert share_row.access_level == ShareAccess.CONTRIBUTE
    assert share_row.agreement == agreement
    detail = client.get(reverse("problem-detail", kwargs={"pk": problem.pk})).content.decode()
    assert world.partner.name in detail
    assert reverse("share-revoke", kwargs={"pk": share_row.pk}) in detail
    reconcile_check()


def test_sharing_without_a_covering_agreement_shows_the_reason_and_keeps_the_choices(client, world):
    problem = canary_problem(world)
    other = complete_agreement(parties=[world.force, world.unrelated], status=AgreementStatus.ACTIVE)
    sign_in(client, world.users["officer"])
    response = client.post(
        reverse("problem-share", kwargs={"pk": problem.pk}),
        {
            "organisation": world.partner.pk,
            "access_level": "contribute",
            "data_categories": [category("asb-reports").pk],
            "agreement": other.pk,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content
    assert GAP_NO_AGREEMENT.format(owner=world.force.name, partner=world.partner.name) in content
    form = response.context["form"]
    assert form["organisation"].value() == str(world.partner.pk)
    assert form["access_level"].value() == "contribute"
    assert not ProblemShare.objects.exists()
    reconcile_check()


def test_sharing_with_nothing_chosen_shows_the_error_summary(client, world):
    problem = canary_problem(world)
    sign_in(client, world.users["officer"])
    response = client.post(reverse("problem-share", kwargs={"pk": problem.pk}), {"access_level": "bogus"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not ProblemShare.objects.exists()


def test_revoke_asks_for_a_reason_then_ends_access(client, world):
    s = share(world)
    url = reverse("share-revoke", kwargs={"pk": s.pk})
    sign_in(client, world.users["supervisor"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert REVOKE_REASON_REQUIRED in response.content.decode()
    s.refresh_from_db()
    assert s.ended_at is None
    assert client.post(url, {"reason": "Finished"}).status_code == 302
    s.refresh_from_db()
    assert s.ended_at is not None
    # The ended share: the page explains instead of offering the form again.
    assert "already ended" in client.get(url).content.decode()
    partner = sign_in(client.__class__(), world.users["partner_member"])
    assert partner.get(reverse("problem-detail", kwargs={"pk": s.problem_id})).status_code == 404
    reconcile_check()


@pytest.mark.parametrize("bad", ["/shares/999999/revoke/", "/problems/999999/share/"])
def test_bad_ids_give_404(client, world, bad):
    sign_in(client, world.users["supervisor"])
    assert client.get(bad).status_code == 404


# --- the partner's view -------------------------------------------------------------------------


def test_partner_sees_the_banner_naming_the_agreement(client, world):
    s = share(world, canary_problem(world))
    sign_in(client, world.users["partner_member"])
    content = client.get(reverse("problem-detail", kwargs={"pk": s.problem_id})).content.decode()
    assert f"Shared with {world.partner.name} under {s.agreement.reference}: {s.agreement.title}" in content
    assert "Share with a partner" not in content


def test_partner_sees_exactly_the_shared_problems_in_every_view(client, world):
    shared = share(world, canary_problem(world)).problem
    unshared = canary_problem(world)
    other = share(world, canary_problem(world), organisation=world.unrelated).problem
    sign_in(client, world.users["partner_member"])
    listing = client.get(reverse("shared-with-us")).content.decode()
    assert shared.title in listing
    assert unshared.title not in listing
    assert other.title not in listing
    search = client.get(reverse("shared-with-us"), {"q": shared.title[-10:]}).content.decode()
    assert shared.title in search
    assert shared.title not in client.get(reverse("shared-with-us"), {"q": "nothing-like-it"}).content.decode()
    for name in ("problem-detail", "problem-summary"):
        assert client.get(reverse(name, kwargs={"pk": shared.pk})).status_code == 200
        assert client.get(reverse(name, kwargs={"pk": unshared.pk})).status_code == 404
        assert client.get(reverse(name, kwargs={"pk": other.pk})).status_code == 404


def test_shared_with_us_filters_by_stage_and_puts_overdue_actions_first(client, world):
    import datetime

    from django.utils import timezone

    first = share(world, canary_problem(world, reference="PRB-A-1")).problem
    agreement = ProblemShare.objects.get(problem=first).agreement
    late = share(world, canary_problem(world, reference="PRB-Z-9", stage=Stage.ANALYSIS), agreement=agreement).problem
    ResponseAction.objects.create(
        problem=late,
        description="Clear the alley",
        intervention_kind=InterventionKind.ENVIRONMENTAL_DESIGN,
        responsible_organisation=world.partner,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
        status=ActionStatus.PLANNED,
    )
    sign_in(client, world.users["partner_lead"])
    rows = list(client.get(reverse("shared-with-us")).context["page"])
    assert rows == [late, first]
    assert list(client.get(reverse("shared-with-us"), {"stage": Stage.ANALYSIS}).context["page"]) == [late]
    assert client.get(reverse("shared-with-us"), {"stage": "nonsense", "page": "x"}).status_code == 200


def test_police_users_get_an_explanation_on_shared_with_us(client, world):
    share(world, canary_problem(world))
    sign_in(client, world.users["officer"])
    response = client.get(reverse("shared-with-us"))
    assert response.status_code == 200
    assert "partner organisation" in response.content.decode()
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("count", [1, 5, 50])
def test_shared_with_us_query_count_is_constant(client, world, count, django_assert_num_queries):
    agreement = active_agreement(world.force, world.partner)
    for _ in range(count):
        share(world, canary_problem(world), agreement=agreement)
    sign_in(client, world.users["partner_member"])
    client.get(reverse("shared-with-us"))  # warm the session and the user's organisation
    # Queries: session, user (with its organisation, whose group id the permission join uses),
    # OTP device, count for the paginator, the page of problems with agreement and access annotated,
    # the consultation of the problems on the page (one INSERT, DPA 2018 s.62).
    with django_assert_num_queries(6):
        response = client.get(reverse("shared-with-us"))
    assert len(response.context["page"]) == min(count, 25)


def _with_other_ids(pattern: URLPattern, pk: int, world) -> dict[str, int]:
    """The URL's arguments: `pk`, and a real id for any other one (a team member's user id)."""
    others = {name: world.users["officer"].pk for name in pattern.pattern.converters if name != "pk"}
    return {"pk": pk, **others}


def test_a_second_partner_gets_404_for_every_url_of_a_problem_shared_only_with_the_first(client, world):
    s = share(world, canary_problem(world), access_level=ShareAccess.CONTRIBUTE)
    sign_in(client, world.users["unrelated_partner"])
    for pattern in problem_urls:
        assert isinstance(pattern, URLPattern)
        if "pk" not in pattern.pattern.converters:
            continue
        pk = s.pk if pattern.name == "share-revoke" else s.problem_id
        url = reverse(pattern.name, kwargs=_with_other_ids(pattern, pk, world))
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code in (404, 405), url


def test_a_model_level_view_permission_changes_nothing_the_partner_sees(client, world):
    unshared = canary_problem(world)
    world.partner.group.permissions.add(Permission.objects.get(codename="view_problem"))
    world.partner.group.permissions.add(Permission.objects.get(codename="contribute_problem"))
    sign_in(client, world.users["partner_member"])
    assert client.get(reverse("problem-detail", kwargs={"pk": unshared.pk})).status_code == 404
    assert unshared.title not in client.get(reverse("shared-with-us")).content.decode()


def test_terminating_the_agreement_ends_access_on_the_next_request(client, world):
    s = share(world, canary_problem(world))
    sign_in(client, world.users["partner_member"])
    url = reverse("problem-detail", kwargs={"pk": s.problem_id})
    assert client.get(url).status_code == 200
    agreement_terminate(actor=world.users["supervisor"], agreement=s.agreement, reason="Ended by the council")
    assert client.get(url).status_code == 404
    assert s.problem.title not in client.get(reverse("shared-with-us")).content.decode()
    assert AuditEvent.objects.filter(verb="problems.share.suspended").count() == 1
    reconcile_check()


def test_suspending_the_agreement_status_ends_access_even_before_the_sweep(client, world):
    s = share(world, canary_problem(world))
    sign_in(client, world.users["partner_member"])
    url = reverse("problem-detail", kwargs={"pk": s.problem_id})
    s.agreement.__class__.objects.filter(pk=s.agreement_id).update(status=AgreementStatus.TERMINATED)
    assert client.get(url).status_code == 404


# --- canary -------------------------------------------------------------------------------------


def test_no_response_to_a_user_without_access_contains_another_problems_canary(client, world):
    shared = share(world, canary_problem(world), access_level=ShareAccess.CONTRIBUTE).problem
    elsewhere = share(world, canary_problem(world), organisation=world.unrelated).problem
    unshared = canary_problem(world)
    restricted = canary_problem(world, restricted=True)
    problems = [shared, elsewhere, unshared, restricted]
    for persona in ("partner_member", "partner_lead", "unrelated_partner", "administrator", "analyst"):
        user = world.users[persona]
        visible = set(problems_visible_to(user).values_list("pk", flat=True))
        secrets = [p.title for p in problems if p.pk not in visible]
        sign_in(client, user)
        urls = [reverse("shared-with-us"), reverse("home")]
        for pattern in problem_urls:
            if "pk" in pattern.pattern.converters and pattern.name != "share-revoke":
                urls += [reverse(pattern.name, kwargs=_with_other_ids(pattern, p.pk, world)) for p in problems]
            elif not pattern.pattern.converters:
                urls.append(reverse(pattern.name))
        for url in urls:
            content = client.get(url).content.decode()
            for secret in secrets:
                assert secret not in content, (persona, url)
