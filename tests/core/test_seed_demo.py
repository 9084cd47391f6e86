"""The demo: idempotent, a force and six or more partners of different sectors, every role usable."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_BACKUP_CODES, DEMO_PASSWORD
from accounts.models import Role, User
from core.models import AuditEvent
from partnerships.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), User.objects.count(), AuditEvent.objects.count()


def test_seed_demo_is_idempotent_and_covers_every_role() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert _counts() == first
    assert Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).count() == 1
    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
    assert partners.count() >= 6
    assert set(partners.values_list("sector", flat=True)) >= {
        "statutory",
        "voluntary",
        "private",
        "academic",
        "community",
    }
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def test_every_demo_user_signs_in_with_password_and_a_backup_code() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    for user in User.objects.all():
        client = Client()
        response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        response = client.post(reverse("otp-verify"), {"code": DEMO_BACKUP_CODES[0]})
        assert response.status_code == 302, user.email
        assert client.get(reverse("home")).status_code == 200, user.email


def test_the_council_finds_one_demo_problem_shared_with_it() -> None:
    from problems.selectors.access import problems_visible_to

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    council_lead = User.objects.get(email="lead@council.example")
    housing_lead = User.objects.get(email="lead@housing.example")
    assert list(problems_visible_to(council_lead).values_list("title", flat=True)) == [
        "Repeat criminal damage to Eastgate bus shelters"
    ]
    assert not problems_visible_to(housing_lead).exists()


def test_every_demo_problem_is_in_a_neighbourhood_of_the_partnership_report() -> None:
    """Issue 17: demo problems typed in "University Quarter", an area not on the list, were missing
    from the partnership report."""
    import datetime

    from django.utils import timezone

    from evaluation.selectors.impact import impact_scope_for
    from partnerships.demo.neighbourhoods import CSP
    from partnerships.models import Partnership
    from problems.models import Problem

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    supervisor = User.objects.get(email="supervisor@police.example")
    partnership = Partnership.objects.get(name=CSP)
    scope = impact_scope_for(
        user=supervisor,
        area=f"partnership-{partnership.pk}",
        start=datetime.date(2000, 1, 1),
        end=timezone.localdate(),
    )
    assert not Problem.objects.filter(neighbourhood__isnull=True).exists()
    assert scope.problems().count() == Problem.objects.count() >= 20


def test_the_council_sees_the_safeguarding_update_withheld_and_the_officer_reads_it() -> None:
    from problems.demo.sharing import SAFEGUARDING_UPDATE
    from problems.models import Problem
    from problems.selectors.disclosure import withheld_note
    from tests.conftest import sign_in

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    problem = Problem.objects.get(title="Repeat criminal damage to Eastgate bus shelters")
    url = reverse("problem-detail", kwargs={"pk": problem.pk})
    council = sign_in(Client(), User.objects.get(email="member@council.example")).get(url).content.decode()
    assert SAFEGUARDING_UPDATE not in council
    assert withheld_note(1) in council
    officer = sign_in(Client(), User.objects.get(pk=problem.owner_id)).get(url).content.decode()
    assert SAFEGUARDING_UPDATE.replace("'", "&#x27;") in officer
