"""Access matrix entries for the engagement app: events, priorities, coverage, safety plans and the
public "You said, we did" page. Joined into tests/access_matrix.py.

The records belong to a neighbourhood of the world's force worked by a partnership the council (the
partner personas' organisation) belongs to. Officers and supervisors of the force see and change
them; the analyst sees them (403 on changes); the council's users see them (403 on changes); the
unrelated partner and the administrator get 404. Lists and the coverage grid are open to everyone
signed in, each seeing only what they may. The public page needs no sign-in."""

from __future__ import annotations

from typing import Any

from engagement.models import PriorityStatus
from tests.access_matrix import REDIRECT, ROLES, Entry, public_page, signed_in_page
from tests.engagement.factories import make_event, make_plan, make_priority, neighbourhood_for

OUTSIDERS_404 = dict.fromkeys(("unrelated_partner", "administrator"), 404)
READERS_403 = dict.fromkeys(("analyst", "partner_member", "partner_lead"), 403)
VIEW = signed_in_page(**OUTSIDERS_404)
CHANGE = signed_in_page(**OUTSIDERS_404, **READERS_403)
# A write by POST: officers and supervisors are sent on to the record's page.
CHANGE_POST = signed_in_page(**OUTSIDERS_404, **READERS_403, officer=REDIRECT, supervisor=REDIRECT)
CREATE = signed_in_page(**{**dict.fromkeys(ROLES, 403), "officer": 200, "supervisor": 200})


def _event(world: Any) -> dict[str, Any]:
    return {"pk": make_event(neighbourhood_for(world), by=world.users["officer"]).pk}


def _priority(world: Any) -> dict[str, Any]:
    return {"pk": make_priority(neighbourhood_for(world), by=world.users["officer"]).pk}


def _adopted_priority(world: Any) -> dict[str, Any]:
    priority = make_priority(neighbourhood_for(world), by=world.users["officer"], status=PriorityStatus.ADOPTED)
    return {"pk": priority.pk}


def _plan(world: Any) -> dict[str, Any]:
    return {"pk": make_plan(neighbourhood_for(world), by=world.users["officer"]).pk}


def _slug(world: Any) -> dict[str, Any]:
    return {"slug": neighbourhood_for(world).slug}


ENTRIES: list[Entry] = [
    Entry("event-list", signed_in_page()),
    Entry("event-create", CREATE),
    Entry("event-detail", VIEW, kwargs=_event),
    Entry("event-edit", CHANGE, kwargs=_event),
    Entry("priority-list", signed_in_page()),
    Entry("priority-create", CREATE),
    Entry("priority-detail", VIEW, kwargs=_priority),
    Entry("priority-edit", CHANGE, kwargs=_priority),
    Entry("priority-status", CHANGE_POST, kwargs=_priority, method="post", data={"status": "adopted"}),
    Entry("priority-action-add", CHANGE, kwargs=_adopted_priority),
    Entry("priority-problem-create", CHANGE, kwargs=_adopted_priority),
    Entry("coverage", signed_in_page()),
    Entry("plan-list", signed_in_page()),
    Entry("plan-create", CREATE),
    Entry("plan-detail", VIEW, kwargs=_plan),
    Entry("plan-edit", CHANGE, kwargs=_plan),
    Entry("plan-contribution-add", CHANGE, kwargs=_plan),
    Entry("plan-action-add", CHANGE, kwargs=_plan),
    Entry("you-said-we-did", public_page(), kwargs=_slug),
    Entry("you-said-we-did-csv", public_page(), kwargs=_slug),
    Entry("you-said-we-did-json", public_page(), kwargs=_slug),
]
