"""Form: follow a problem (with or without the daily digest), or stop following it."""

from __future__ import annotations

from django import forms

FOLLOW_CHOICE_INVALID = "Choose whether to follow the problem or stop following it."


class FollowForm(forms.Form):
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"

    choice = forms.ChoiceField(
        choices=[(FOLLOW, "Follow"), (UNFOLLOW, "Stop following")],
        error_messages={"required": FOLLOW_CHOICE_INVALID, "invalid_choice": FOLLOW_CHOICE_INVALID},
    )
    digest = forms.BooleanField(label="Also email me a daily digest", required=False)
