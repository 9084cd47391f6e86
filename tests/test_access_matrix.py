"""Every URL x every persona gets the outcome the access policy says (DESIGN.md section 4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import user_deactivate
from tests.access_matrix import LOGIN, MATRIX, OTP, PERSONAS, REDIRECT, Entry, Outcome, uncovered_url_names
from tests.conftest import World, sign_in


def test_every_url_pattern_has_an_access_matrix_entry() -> None:
    assert uncovered_url_names() == []


def _client_for(persona: str, world: World, entry: Entry) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if entry.auth == "token" and persona != "unverified":
        # An API endpoint: the persona's own read-write token (the unverified persona has only a
        # session without the second factor, which the API does not accept).
        from api.services import token_create

        made = token_create(actor=world.users[persona], name="matrix", scope="read_write", lifetime_days=1)
        client = Client(headers={"Authorization": f"Bearer {made.text}"})
        if persona == "deactivated":
            user_deactivate(actor=None, user=world.users[persona])
        return client
    user = world.users[persona]
    sign_in(client, user, verified=persona != "unverified")
    if persona == "deactivated":
        # Signed in and verified, then deactivated: the session must end at the next request.
        user_deactivate(actor=None, user=user)
    return client


def _assert_outcome(response, expected: Outcome, url: str) -> None:  # type: ignore[no-untyped-def]
    where = f"{response.request['REQUEST_METHOD']} {url}"
    if expected in (LOGIN, OTP, REDIRECT):
        assert response.status_code == 302, f"{where}: expected a redirect ({expected}), got {response.status_code}"
        location = response["Location"]
        login, otp = reverse("login"), reverse("otp-verify")
        if expected == LOGIN:
            assert location.startswith(login), f"{where}: expected the sign-in page, went to {location}"
        elif expected == OTP:
            assert location.startswith(otp), f"{where}: expected the second-factor page, went to {location}"
        else:
            assert not location.startswith((login, otp)), f"{where}: expected to be sent on, went to {location}"
    else:
        assert response.status_code == expected, f"{where}: expected {expected}, got {response.status_code}"


CASES = [(entry, persona) for entry in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("entry", "persona"), CASES, ids=[f"{e.name}-{p}" for e, p in CASES])
def test_access(entry: Entry, persona: str, world: World) -> None:
    assert set(entry.expect) == set(PERSONAS), f"{entry.name}: give an outcome for every persona"
    client = _client_for(persona, world, entry)
    for name in entry.samples or (entry.name,):
        url = reverse(name, kwargs=entry.kwargs(world))
        if entry.auth == "token" and entry.method != "get":
            response = getattr(client, entry.method)(url, entry.data, content_type="application/json")
        else:
            response = getattr(client, entry.method)(url, entry.data)
        _assert_outcome(response, entry.expect[persona], url)
