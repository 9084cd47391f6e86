"""Personal API tokens: made on the account's page after the second factor, shown once, stored as a
hash, named, read only or read and write, lasting at most 90 days, listed with their last use,
revoked by their owner or an administrator; and refused once expired or revoked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_deactivate
from api.models import ApiToken, TokenScope
from api.selectors import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED, TOKEN_USER_INACTIVE
from api.services import LIFETIME_TOO_LONG, NAME_REQUIRED, token_create, token_digest, token_revoke
from api.throttling import TokenRateThrottle
from core.models import AuditEvent
from tests.api.factories import token_client
from tests.conftest import World, sign_in

SHARED = "/api/v1/shared-with-us/"


def _make_on_page(client: Client, **data: str) -> str:
    """Post the form; made, the page it redirects to (else the refused form)."""
    fields = {"name": "Council case system", "scope": "read", "lifetime_days": "90", **data}
    response = client.post(reverse("api-token-list"), fields, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_user_makes_a_token_on_their_account_page_and_sees_it_once(world: World) -> None:
    lead = world.users["partner_lead"]
    client = sign_in(Client(), lead)
    page = _make_on_page(client)
    token = ApiToken.objects.get(user=lead)
    text = page.split('data-testid="new-token">')[1].split("<")[0]
    assert text.startswith(f"cg_{token.prefix}_")
    # Stored as its SHA-256 digest only; the text is on that one response and never again.
    assert token.digest == token_digest(text) != text
    assert text not in client.get(reverse("api-token-list")).content.decode()
    assert token.name == "Council case system"
    assert token.scope == TokenScope.READ
    assert datetime.timedelta(days=89) < token.expires_at - timezone.now() <= datetime.timedelta(days=90)
    assert AuditEvent.objects.filter(verb="api.token.created", actor=lead, target_id=str(token.pk)).exists()
    # The token works, as the user who made it.
    assert Client(headers={"Authorization": f"Bearer {text}"}).get(SHARED).status_code == 200


def test_the_tokens_page_needs_the_second_factor(world: World) -> None:
    client = sign_in(Client(), world.users["officer"], verified=False)
    response = client.post(reverse("api-token-list"), {"name": "x", "scope": "read", "lifetime_days": "30"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp-verify"))
    assert not ApiToken.objects.exists()


def test_invalid_input_shows_the_error_summary_and_makes_nothing(world: World) -> None:
    client = sign_in(Client(), world.users["officer"])
    page = _make_on_page(client, name="", lifetime_days="365")
    assert "There is a problem" in page
    assert NAME_REQUIRED in page
    assert not ApiToken.objects.exists()


def test_a_token_lasts_at_most_90_days(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        token_create(actor=world.users["officer"], name="long", scope=TokenScope.READ, lifetime_days=91)
    assert refused.value.message_dict == {"lifetime_days": [LIFETIME_TOO_LONG]}


def test_the_page_lists_tokens_with_their_last_use(world: World) -> None:
    officer = world.users["officer"]
    api, made = token_client(officer)
    assert made.token.last_used_at is None
    assert api.get("/api/v1/problems/").status_code == 200
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None
    page = sign_in(Client(), officer).get(reverse("api-token-list")).content.decode()
    assert made.token.prefix in page
    assert "Never" not in page


def test_an_expired_token_is_refused(world: World) -> None:
    api, made = token_client(world.users["partner_member"])
    # Made 90 days ago, expired a second ago.
    now = timezone.now()
    ApiToken.objects.filter(pk=made.token.pk).update(
        created_at=now - datetime.timedelta(days=90), expires_at=now - datetime.timedelta(seconds=1)
    )
    response = api.get(SHARED)
    assert response.status_code == 401
    assert response.json() == {"detail": TOKEN_EXPIRED}


def test_a_revoked_token_is_refused_at_once(world: World) -> None:
    member = world.users["partner_member"]
    api, made = token_client(member)
    assert api.get(SHARED).status_code == 200
    response = sign_in(Client(), member).post(reverse("api-token-revoke", kwargs={"pk": made.token.pk}))
    assert response.status_code == 302
    refused = api.get(SHARED)
    assert refused.status_code == 401
    assert refused.json() == {"detail": TOKEN_REVOKED}
    assert AuditEvent.objects.filter(verb="api.token.revoked", actor=member).exists()


def test_a_wrong_secret_and_an_unknown_token_get_the_same_answer(world: World) -> None:
    _, made = token_client(world.users["officer"])
    wrong = made.text[:-4] + ("AAAA" if not made.text.endswith("AAAA") else "BBBB")
    for text in (wrong, "cg_000000000000_nothing", "not-a-token"):
        response = Client(headers={"Authorization": f"Bearer {text}"}).get(SHARED)
        assert response.status_code == 401
        assert response.json() == {"detail": TOKEN_INVALID}


def test_a_token_of_a_deactivated_user_is_refused(world: World) -> None:
    officer = world.users["officer"]
    api, _ = token_client(officer)
    user_deactivate(actor=None, user=officer)
    assert api.get(SHARED).json() == {"detail": TOKEN_USER_INACTIVE}


def test_nobody_revokes_another_users_token_but_an_administrator(world: World) -> None:
    _, made = token_client(world.users["partner_lead"])
    outsider = sign_in(Client(), world.users["officer"])
    assert outsider.post(reverse("api-token-revoke", kwargs={"pk": made.token.pk})).status_code == 404
    with pytest.raises(PermissionDenied):
        token_revoke(actor=world.users["officer"], token=made.token)
    token_revoke(actor=world.users["administrator"], token=made.token)
    made.token.refresh_from_db()
    assert made.token.revoked_by == world.users["administrator"]


def test_an_administrator_revokes_any_token_in_the_admin_site(world: World) -> None:
    api, made = token_client(world.users["partner_lead"])
    admin = sign_in(Client(), world.users["administrator"])
    changelist = reverse("admin:api_apitoken_changelist")
    assert admin.get(changelist).status_code == 200
    response = admin.post(changelist, {"action": "revoke", "_selected_action": [made.token.pk]})
    assert response.status_code == 302
    assert api.get(SHARED).status_code == 401


def test_a_read_only_token_may_not_write(world: World) -> None:
    from tests.problems.factories_sharing import canary_problem

    problem = canary_problem(world)
    api, _ = token_client(world.users["officer"], scope=TokenScope.READ)
    response = api.post(f"/api/v1/problems/{problem.pk}/updates/", {"text": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not problem.updates.exists()


def test_requests_past_the_rate_limit_are_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    api, _ = token_client(world.users["officer"])
    other, _ = token_client(world.users["officer"])
    assert [api.get(SHARED).status_code for _ in range(4)] == [200, 200, 200, 429]
    # Per token: another token of the same user is not held back.
    assert other.get(SHARED).status_code == 200


def test_the_documentation_is_served_from_this_site(world: World) -> None:
    client = sign_in(Client(), world.users["partner_member"])
    for name in ("api-docs", "api-redoc"):
        page = client.get(reverse(name)).content.decode()
        assert "drf_spectacular_sidecar" in page
        assert "cdn." not in page
        assert "unpkg" not in page
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/shared-with-us/" in schema.content.decode()
