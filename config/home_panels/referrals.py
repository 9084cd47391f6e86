"""The partner home page's "Your referrals" panel (issue 21): the problems the user's organisation
has referred to a force or a partnership, latest first, with their outcomes. One query."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from config.home_panels.common import first_rows
from problems.selectors.referrals import referral_list_for

REFERRALS_PANEL_SIZE = 10


def referral_panel(user: User) -> dict[str, Any]:
    referrals, more = first_rows(referral_list_for(user=user), REFERRALS_PANEL_SIZE)
    return {"referrals": referrals, "more_referrals": more}
