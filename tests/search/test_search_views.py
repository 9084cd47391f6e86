"""The search page (/search/?q=...): results grouped by kind with counts and links, a missing,
empty, too short or too long query told clearly, every search audited, hostile input never a
server error, and a query count that does not grow with the number of results."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.audit import LIST_SEARCHED_VERB
from core.models import AuditEvent
from engagement.models import EngagementEvent
from search.forms import QUERY_EMPTY, QUERY_TOO_LONG, QUERY_TOO_SHORT
from search.selectors import PER_KIND
from tests.conftest import World, sign_in
from tests.fuzz.forms import HOSTILE, SCRIPT
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_contacts import ContactFactory
from tests.problems.factories import ProblemFactory
from tests.search.factories import WORD, Found, quokka_world

pytestmark = pytest.mark.django_db

URL = reverse("search")


@pytest.fixture
def found(world: World) -> Found:
    return quokka_world(world)


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _searches() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=LIST_SEARCHED_VERB, detail__page="search"))


def test_officer_sees_results_grouped_by_kind_with_counts_and_links(world: World, found: Found) -> None:
    response = _client(world, "officer").get(URL, {"q": WORD})
    assert response.status_code == 200
    text = response.text
    assert "9 results for “quokka”: 4 problems, 1 organisations, 1 contacts" in text
    for key in ("problems", "organisations", "contacts", "agreements", "events", "priorities"):
        assert f'id="results-{key}"' in text
    shared = found.problems["shared"]
    assert f'href="{reverse("problem-detail", args=[shared.pk])}">{shared.reference}: {shared.title}</a>' in text
    assert reverse("organisation-detail", args=[world.partner.pk]) + "#contacts-heading" in text
    assert reverse("agreement-detail", args=[found.records["agreement"].pk]) in text
    assert reverse("event-detail", args=[found.records["event"].pk]) in text
    assert reverse("priority-detail", args=[found.records["priority"].pk]) in text
    assert found.problems["restricted"].title not in text
    assert found.problems["other_force"].title not in text


def test_partner_member_sees_only_shared_problems(world: World, found: Found) -> None:
    response = _client(world, "partner_member").get(URL, {"q": WORD})
    text = response.text
    kinds = {kind.key: kind for kind in response.context["results"].found}
    assert {row.pk for row in kinds["problems"].rows} == {found.problems["shared"].pk, found.problems["disclosed"].pk}
    assert found.problems["withheld"].title not in text
    assert found.problems["unshared"].title not in text


def test_unrelated_partner_is_told_nothing_matches(world: World, found: Found) -> None:
    response = _client(world, "unrelated_partner").get(URL, {"q": WORD})
    assert response.status_code == 200
    assert "Nothing that you can see matches “quokka”" in response.text
    assert found.problems["shared"].title not in response.text


def test_administrator_finds_the_registry_but_no_case_record(world: World, found: Found) -> None:
    response = _client(world, "administrator").get(URL, {"q": WORD})
    keys = [kind.key for kind in response.context["results"].found]
    assert keys == ["organisations", "contacts", "agreements"]
    for problem in found.problems.values():
        assert problem.title not in response.text


def test_every_search_is_audited_with_what_was_asked(world: World, found: Found) -> None:
    _client(world, "partner_member").get(URL, {"q": f"  {WORD} murals "})
    (event,) = _searches()
    assert event.actor == world.users["partner_member"]
    assert event.detail == {"page": "search", "filters": {"q": f"{WORD} murals"}}


def test_the_page_opened_without_a_query_offers_the_box_and_audits_nothing(world: World) -> None:
    response = _client(world, "officer").get(URL)
    assert response.status_code == 200
    assert "Type a word, a name or a reference" in response.text
    assert "There is a problem" not in response.text
    assert _searches() == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", QUERY_EMPTY),
        ("   ", QUERY_EMPTY),
        ("ab", QUERY_TOO_SHORT),
        (" a ", QUERY_TOO_SHORT),
        ("x" * 201, QUERY_TOO_LONG),
    ],
)
def test_an_empty_short_or_long_query_is_told_why_and_searches_nothing(
    world: World, found: Found, query: str, message: str
) -> None:
    response = _client(world, "officer").get(URL, {"q": query})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.context["results"] is None
    assert _searches() == []


def test_what_was_typed_is_kept_in_the_box_and_escaped(world: World) -> None:
    response = _client(world, "officer").get(URL, {"q": SCRIPT})
    assert response.status_code == 200
    assert SCRIPT not in response.text
    assert "&lt;script&gt;alert(&quot;cgfuzz&quot;)&lt;/script&gt;" in response.text


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_never_a_server_error(world: World, found: Found, raw: bytes) -> None:
    from urllib.parse import quote_from_bytes

    client = _client(world, "officer")
    response = client.get(f"{URL}?q={quote_from_bytes(raw)}")
    assert response.status_code == 200
    response = client.get(f"{URL}?q={quote_from_bytes(raw)}&q=second&page=-1&kind=x")
    assert response.status_code == 200


def test_post_is_not_allowed(world: World) -> None:
    assert _client(world, "officer").post(URL, {"q": WORD}).status_code == 405


def test_a_kind_with_more_matches_than_shown_says_how_many_more(world: World) -> None:
    officer = world.users["officer"]
    for i in range(PER_KIND + 2):
        ProblemFactory(force=world.force, owner=officer, title=f"Wombat sightings {i}")
    response = _client(world, "officer").get(URL, {"q": "wombat"})
    assert f"{PER_KIND + 2} results" in response.text
    assert "2 more problems match: add words to narrow the search." in response.text


def test_the_query_count_does_not_grow_with_the_results(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from tests.engagement.factories import make_event, make_priority, neighbourhood_for
    from tests.partnerships.factories_agreements import complete_agreement

    client = _client(world, "officer")
    officer = world.users["officer"]
    neighbourhood = neighbourhood_for(world)

    def count_queries(rows: int) -> None:
        while EngagementEvent.objects.count() < rows:
            ProblemFactory(force=world.force, owner=officer, title="Wombat crossing")
            OrganisationFactory(name=f"Wombat trust {EngagementEvent.objects.count()}")
            ContactFactory(organisation=world.partner, name="Wombat contact")
            complete_agreement(parties=[world.force, world.partner], title="Wombat sharing")
            make_event(neighbourhood, by=officer, place="Wombat hall")
            make_priority(neighbourhood, by=officer, issue="Wombat road speeding")
        # 1 the session, 2 the user with their organisation, 3 the OTP device; one query per kind,
        # each its rows and their total (a window count): 4 problems (with their neighbourhood),
        # 5 organisations, 6 contacts (with their organisation), 7 agreements, 8 events and
        # 9 priorities (each with its neighbourhood); 10 the audit event recording the search.
        client.get(URL, {"q": "wombat"})  # the session's last-seen time is written once
        with django_assert_num_queries(10):
            response = client.get(URL, {"q": "wombat"})
        assert [kind.total for kind in response.context["results"].kinds] == [rows] * 6

    count_queries(1)
    count_queries(5)
