"""The partner member's and partner lead's home page panels.

Both see "Shared problems" (what the police share with their organisation, latest first) and
"Your actions" (open actions assigned to their organisation or to them). The lead also signs
information-sharing agreements and manages the organisation's contacts (DESIGN.md section 1), so
their page adds "Joint decisions to confirm" (entries of a decision log that name their
organisation and that it has not confirmed yet), "Agreements" (drafts awaiting the organisation's
signature, agreements due for review) and "Contacts" (current contacts, single points of contact
first). Everything comes
through the access selectors: a partner sees only what their organisation may see."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from config.home_panels.common import first_rows
from config.home_panels.referrals import referral_panel
from partnerships.reminders import REVIEW_NOTICE_DAYS
from partnerships.selectors.agreements import agreement_missing_items, can_sign
from partnerships.selectors.partner_home import (
    agreement_list_awaiting_signature_of,
    agreement_list_review_due_for,
    contact_list_current_for,
)
from problems.models import Problem
from problems.selectors.decisions import decision_list_awaiting_confirmation_by
from problems.selectors.disclosure import WITHHELD_TEXT
from problems.selectors.partner_home import partner_action_list_open, shared_problem_list_recent
from problems.services.contributions import problem_list_consulted

# Each panel shows this many rows, and links to the full list when there are more.
SHARED_PANEL_SIZE = 10
ACTIONS_PANEL_SIZE = 10
AGREEMENTS_PANEL_SIZE = 10
CONTACTS_PANEL_SIZE = 10
CONFIRMATIONS_PANEL_SIZE = 10
# "Due for review" looks as far ahead as the first review reminder email (30 days), so the panel
# lists every agreement a lead has already been emailed about.
AGREEMENT_REVIEW_WITHIN_DAYS = REVIEW_NOTICE_DAYS[0]


def _shared_and_actions(user: User, also_named: list[Problem] | None = None) -> dict[str, Any]:
    """Three queries: the shared problems, the open actions with their problems, and the
    consultation of the problems both panels name, and `also_named` (the other panels' problems),
    in one INSERT (DPA 2018 s.62)."""
    today = timezone.localdate()
    shared, more_shared = first_rows(shared_problem_list_recent(user=user), SHARED_PANEL_SIZE)
    actions, more_actions = first_rows(partner_action_list_open(user=user, today=today), ACTIONS_PANEL_SIZE)
    named = [*shared, *(action.problem for action in actions), *(also_named or [])]
    problem_list_consulted(actor=user, problems=named, page="home")
    return {
        "shared_problems": shared,
        "more_shared_problems": more_shared,
        "partner_actions": actions,
        "more_partner_actions": more_actions,
        "withheld_text": WITHHELD_TEXT,
    }


def _awaiting_signature(user: User) -> tuple[list[dict[str, Any]], bool]:
    """Three queries: the drafts, their parties with organisations, their data categories."""
    drafts, more = first_rows(agreement_list_awaiting_signature_of(user=user), AGREEMENTS_PANEL_SIZE)
    rows = []
    for agreement in drafts:
        parties = list(agreement.parties.all())
        own = next(p for p in parties if p.organisation_id == user.organisation_id)
        unsigned = sum(1 for p in parties if not p.is_signed)
        # agreement_missing_items names one missing signature per unsigned party; what remains is
        # the drafting still to do. A lead may sign an unfinished draft, but any later change
        # clears every signature, so the panel says whether the text looks final.
        rows.append(
            {
                "agreement": agreement,
                "can_sign": can_sign(user, own),
                "signed": len(parties) - unsigned,
                "parties": len(parties),
                "other_missing": len(agreement_missing_items(agreement)) - unsigned,
            }
        )
    return rows, more


def partner_member_panels(user: User) -> dict[str, Any]:
    """ "Shared problems", "Your actions" and "Your referrals": four queries whatever the number
    of rows."""
    return {**_shared_and_actions(user), **referral_panel(user)}


def partner_lead_panels(user: User) -> dict[str, Any]:
    """The member's two panels, then "Joint decisions to confirm", "Agreements" and "Contacts":
    ten queries whatever the number of rows (see the query-count test for the list)."""
    today = timezone.localdate()
    to_confirm, more_to_confirm = first_rows(
        decision_list_awaiting_confirmation_by(user=user), CONFIRMATIONS_PANEL_SIZE
    )
    context = _shared_and_actions(user, also_named=[entry.problem for entry in to_confirm])
    context["decisions_to_confirm"], context["more_decisions_to_confirm"] = to_confirm, more_to_confirm
    context["awaiting_signature"], context["more_awaiting_signature"] = _awaiting_signature(user)
    review_due = agreement_list_review_due_for(user=user, within_days=AGREEMENT_REVIEW_WITHIN_DAYS, today=today)
    context["review_due"], context["more_review_due"] = first_rows(review_due, AGREEMENTS_PANEL_SIZE)
    context["review_within_days"] = AGREEMENT_REVIEW_WITHIN_DAYS
    contacts, context["more_contacts"] = first_rows(
        contact_list_current_for(organisation=user.organisation, day=today), CONTACTS_PANEL_SIZE
    )
    context["contacts"] = contacts
    # SPOCs come first (contact_list_current_for), so the first row tells whether there is one.
    context["has_active_spoc"] = bool(contacts) and contacts[0].is_spoc
    context["today"] = today
    context.update(referral_panel(user))
    return context
