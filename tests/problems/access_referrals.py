"""Access matrix entries for partner referrals and partner-led problems (issue 21). Joined into
tests/access_matrix.py.

Referrals: the council (world.partner: the partner_member and partner_lead personas) refers a
problem to the force. The council's users and the force's police users see it; only the force's
supervisor accepts or declines it (others who see it get 403); the unrelated partner, the
administrator and the data protection officer get 404. Any partner user may refer (the page), police
users may not (403).

Partner-led problems: the council leads a problem of the force (lead agency) under a contribute
share. The council's users work it: its sections, reviews and decision log (200); the force keeps
the record (the lead officer and supervisors name the lead agency, share and move its stage) and
contributes (updates); the force's officer and supervisor may not edit its sections, review it or
write its decision log (403). The unrelated partner, the administrator and the DPO get 404."""

from __future__ import annotations

from typing import Any

from problems.models import Stage
from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page

NOBODY_ELSE = {"unrelated_partner": 404, "administrator": 404, "dpo": 404}


def _referral(world: Any) -> dict[str, Any]:
    from tests.problems.factories_referrals import referral

    return {"pk": referral(world).pk}


def _led(world: Any) -> dict[str, Any]:
    from tests.problems.factories_referrals import partner_led_problem

    return {"pk": partner_led_problem(world).pk}


def _led_at(stage: str) -> Any:
    def build(world: Any) -> dict[str, Any]:
        from problems.models import Problem
        from tests.problems.factories_referrals import partner_led_problem

        problem = partner_led_problem(world)
        Problem.objects.filter(pk=problem.pk).update(stage=stage)
        return {"pk": problem.pk}

    return build


REFERRAL_VISIBLE = signed_in_page(**NOBODY_ELSE)
REFERRAL_DECIDE = signed_in_page(
    **NOBODY_ELSE, officer=403, analyst=403, partner_member=403, partner_lead=403, supervisor=200
)
PARTNERS_ONLY = signed_in_page(
    **{**dict.fromkeys(ROLES, 403), "partner_member": 200, "partner_lead": 200, "unrelated_partner": 200}, dpo=403
)
# A partner-led problem: seen by the force and the lead agency.
LED_VISIBLE = signed_in_page(**NOBODY_ELSE)
# The lead agency works it; the force's police users see it but are refused (403).
LEAD_AGENCY_WORKS = signed_in_page(**NOBODY_ELSE, officer=403, supervisor=403, analyst=403)
# The force keeps the record: its lead officer and supervisors; the lead agency sees it (403).
FORCE_KEEPS_RECORD = signed_in_page(**NOBODY_ELSE, analyst=403, partner_member=403, partner_lead=403)

SIGN_OFF = signed_in_page(
    **NOBODY_ELSE, officer=403, analyst=403, partner_member=403, partner_lead=403, supervisor=REDIRECT
)

ENTRIES: list[Entry] = [
    Entry("referral-list", signed_in_page()),
    Entry("referral-create", PARTNERS_ONLY),
    Entry("referral-detail", REFERRAL_VISIBLE, kwargs=_referral),
    Entry("referral-accept", REFERRAL_DECIDE, kwargs=_referral),
    Entry("referral-decline", REFERRAL_DECIDE, kwargs=_referral),
    Entry("problem-lead-agency", FORCE_KEEPS_RECORD, kwargs=_led),
    # The existing URLs, for a partner-led problem (DESIGN.md section 4, as extended by issue 21).
    Entry("problem-detail", LED_VISIBLE, kwargs=_led),
    Entry("problem-scanning", LEAD_AGENCY_WORKS, kwargs=_led),
    Entry("problem-analysis", LEAD_AGENCY_WORKS, kwargs=_led_at(Stage.ANALYSIS)),
    Entry("action-create", LEAD_AGENCY_WORKS, kwargs=_led_at(Stage.RESPONSE)),
    Entry("problem-review", LEAD_AGENCY_WORKS, kwargs=_led),
    Entry("decision-create", LEAD_AGENCY_WORKS, kwargs=_led),
    Entry("problem-update-create", signed_in_page(**NOBODY_ELSE, analyst=403), kwargs=_led),
    Entry("problem-share", FORCE_KEEPS_RECORD, kwargs=_led),
    Entry("problem-edit", FORCE_KEEPS_RECORD, kwargs=_led),
    Entry(
        "problem-sign-off",
        signed_in_page(
            **NOBODY_ELSE, officer=403, analyst=403, partner_member=403, partner_lead=403, supervisor=REDIRECT
        ),
        kwargs=_led_at(Stage.ASSESSMENT),
        method="post",
        data={"confirm": "on"},
    ),
]


# --- tasking meetings -------------------------------------------------------------------------
# The partnership's members are the force and the council; the unrelated partner is not (404).
# Administrators and DPOs see no operational records (404); analysts read meetings (403 on the
# forms). The meeting's agenda holds a problem the council leads: the council writes its decision
# log and response actions, so the force's officer and supervisor get 403 on those two forms.


def _partnership(world: Any) -> dict[str, Any]:
    from tests.problems.factories_meetings import world_partnership

    return {"pk": world_partnership(world).pk}


def _meeting(world: Any) -> dict[str, Any]:
    from tests.problems.factories_meetings import meeting

    return {"pk": meeting(world).pk}


def _item(world: Any) -> dict[str, Any]:
    from tests.problems.factories_meetings import meeting
    from tests.problems.factories_referrals import partner_led_problem

    problem = partner_led_problem(world)
    return {"pk": meeting(world).items.get(problem=problem).pk}


MEETING_READ = signed_in_page(**NOBODY_ELSE)
MEETING_RUN = signed_in_page(**NOBODY_ELSE, analyst=403)

ENTRIES += [
    Entry("partnership-meetings", MEETING_READ, kwargs=_partnership),
    Entry("meeting-create", MEETING_RUN, kwargs=_partnership),
    Entry("meeting-detail", MEETING_READ, kwargs=_meeting),
    Entry("meeting-print", MEETING_READ, kwargs=_meeting),
    Entry("meeting-item-minutes", MEETING_RUN, kwargs=_item),
    Entry("meeting-item-decision", LEAD_AGENCY_WORKS, kwargs=_item),
    Entry("meeting-item-action", LEAD_AGENCY_WORKS, kwargs=_item),
]


# --- a problem's stakeholder map ----------------------------------------------------------------
# Seen by whoever sees the problem; changed by its editors (for a partner-led problem: the lead
# agency; the force's officer and supervisor get 403).


def _stakeholder(world: Any) -> dict[str, Any]:
    from problems.services.stakeholders import problem_stakeholder_add
    from tests.problems.factories_referrals import partner_led_problem

    problem = partner_led_problem(world)
    entry = problem_stakeholder_add(
        actor=world.users["partner_member"],
        problem=problem,
        kind="community_group",
        name="Mill Lane traders",
        influence=3,
        interest=5,
    )
    return {"pk": entry.pk}


LEAD_AGENCY_POSTS = signed_in_page(
    **NOBODY_ELSE, officer=403, supervisor=403, analyst=403, partner_member=REDIRECT, partner_lead=REDIRECT
)

ENTRIES += [
    Entry("problem-stakeholders", LED_VISIBLE, kwargs=_led),
    Entry("problem-stakeholder-create", LEAD_AGENCY_WORKS, kwargs=_led),
    Entry("problem-stakeholder-delete", LEAD_AGENCY_POSTS, kwargs=_stakeholder, method="post"),
]
