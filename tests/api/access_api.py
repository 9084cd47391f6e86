"""Access matrix entries for the API (api app). Joined into tests/access_matrix.py.

Every API endpoint is requested with each persona's own read-write token (auth="token"; the
unverified persona with its session only, which the API refuses). Its outcome is the outcome of the
page that shows the same thing (`like_page`), taken from that page's entry where there is one, with
401 where the page sends to the sign-in or second-factor page: the API lets nobody see more, or
less, than the web. Writes answer 201/200 where the page's form would save. The documentation and
the tokens page are pages like any other."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import LOGIN, OTP, PERSONAS, REDIRECT, ROLES, Entry, Outcome, public_page, signed_in_page

OUTSIDERS_404 = dict.fromkeys(("unrelated_partner", "administrator"), 404)


def like_page(page: dict[str, Outcome], **overrides: Outcome) -> dict[str, Outcome]:
    """The API's outcome for a page's: 401 instead of a redirect to sign in or to the second factor."""
    expect = {persona: 401 if outcome in (LOGIN, OTP) else outcome for persona, outcome in page.items()}
    expect.update(overrides)
    return expect


def _shared_problem(world: Any, access_level: str = "view") -> Any:
    from tests.problems.factories_sharing import canary_problem, share

    return share(world, canary_problem(world), access_level=access_level).problem


def _problem(world: Any) -> dict[str, Any]:
    return {"pk": _shared_problem(world).pk}


def _partner_action(world: Any) -> dict[str, Any]:
    """An open action of the council's on a problem shared with it to contribute."""
    from tests.problems.factories_sara import ResponseActionFactory

    problem = _shared_problem(world, access_level="contribute")
    action = ResponseActionFactory(problem=problem, responsible_organisation=world.partner)
    return {"pk": problem.pk, "action_pk": action.pk}


def _agreement(world: Any) -> dict[str, Any]:
    from tests.partnerships.factories_agreements import complete_agreement

    return {"pk": complete_agreement(parties=[world.force, world.partner], signed=False).pk}


def _event(world: Any) -> dict[str, Any]:
    from tests.engagement.access_engagement import _event as event

    return event(world)


def _priority(world: Any) -> dict[str, Any]:
    from tests.engagement.access_engagement import _priority as priority

    return priority(world)


def _survey(world: Any) -> dict[str, Any]:
    from tests.evaluation.access_surveys import _survey as survey

    return survey(world)


def _run(world: Any) -> dict[str, Any]:
    from tests.evaluation.access_crime import _run as run

    return run(world)


def _own_token(world: Any) -> dict[str, Any]:
    from api.services import token_create

    made = token_create(actor=world.users["officer"], name="case system", scope="read", lifetime_days=30)
    return {"pk": made.token.pk}


EVERYONE = like_page(signed_in_page())
# A problem of the force, shared with the council to view (the problem page's outcomes).
PROBLEM = like_page(signed_in_page(**OUTSIDERS_404))
# Adding an update: the force's officers and supervisors; the analyst and a view-only share 403.
UPDATE_ADD = like_page(
    signed_in_page(**OUTSIDERS_404, officer=201, supervisor=201, analyst=403, partner_member=403, partner_lead=403)
)
# Completing the council's action: its users; the force may not complete another organisation's
# action (403), nor may the analyst contribute (403).
ACTION_COMPLETE = like_page(signed_in_page(**OUTSIDERS_404, officer=403, supervisor=403, analyst=403))
AGREEMENT = like_page(signed_in_page(unrelated_partner=404))
ORGANISATION = like_page(signed_in_page(unrelated_partner=404))
ENGAGEMENT = like_page(signed_in_page(**OUTSIDERS_404))
SURVEY_RESULTS = like_page(
    signed_in_page(**dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404))
)
CRIME_RUNS = like_page(
    signed_in_page(
        **dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404),
        officer=403,
        supervisor=403,
    )
)
CRIME_RUN = like_page(signed_in_page(**{**dict.fromkeys(ROLES, 404), "analyst": 200}))
OWNER_POSTS = signed_in_page(**{**dict.fromkeys(ROLES, 404), "officer": REDIRECT})


def _api(name: str, expect: dict[str, Outcome], **fields: Any) -> Entry:
    assert set(expect) == set(PERSONAS), name
    return Entry(name, expect, auth="token", **fields)


ENTRIES: list[Entry] = [
    # Pages: the documentation, the schema, the tokens page.
    Entry("api-schema", signed_in_page()),
    Entry("api-docs", signed_in_page()),
    Entry("api-redoc", signed_in_page()),
    Entry("api-token-list", signed_in_page()),
    Entry("api-token-revoke", OWNER_POSTS, kwargs=_own_token, method="post"),
    # Any other address under /api/v1/: a JSON 404 for everyone.
    Entry("api-not-found", public_page(**dict.fromkeys(PERSONAS, 404))),
    # The API.
    _api("api-problem-list", EVERYONE),
    _api("api-shared-with-us", EVERYONE),
    _api("api-problem-detail", PROBLEM, kwargs=_problem),
    _api("api-problem-objectives", PROBLEM, kwargs=_problem),
    _api("api-problem-actions", PROBLEM, kwargs=_problem),
    _api("api-problem-updates", PROBLEM, kwargs=_problem),
    _api("api-problem-updates", UPDATE_ADD, kwargs=_problem, method="post", data={"text": "Visited the parade."}),
    _api("api-problem-decisions", PROBLEM, kwargs=_problem),
    _api("api-problem-reviews", PROBLEM, kwargs=_problem),
    _api("api-problem-shares", PROBLEM, kwargs=_problem),
    _api("api-action-complete", ACTION_COMPLETE, kwargs=_partner_action, method="post"),
    _api("api-agreement-list", EVERYONE),
    _api("api-agreement-detail", AGREEMENT, kwargs=_agreement),
    _api("api-organisation-list", EVERYONE),
    _api("api-organisation-detail", ORGANISATION, kwargs=lambda world: {"pk": world.partner.pk}),
    _api("api-organisation-contacts", ORGANISATION, kwargs=lambda world: {"pk": world.partner.pk}),
    _api("api-event-list", EVERYONE),
    _api("api-event-detail", ENGAGEMENT, kwargs=_event),
    _api("api-priority-list", EVERYONE),
    _api("api-priority-detail", ENGAGEMENT, kwargs=_priority),
    _api("api-survey-list", EVERYONE),
    _api("api-survey-results", SURVEY_RESULTS, kwargs=_survey),
    _api("api-crime-run-list", CRIME_RUNS),
    _api("api-crime-run-detail", CRIME_RUN, kwargs=_run),
]
