"""Rules shared by the engagement services."""

from __future__ import annotations

import re
from typing import Any

# Text published on the public "You said, we did" page must hold nothing personal. A service
# cannot recognise every name, but it can refuse the two things most often pasted in by mistake
# (a resident's email address or phone number); the forms also say the text is published.
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+44\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
PUBLIC_TEXT_PERSONAL = "This text is published: remove the email address or phone number from it."


def text(value: Any) -> str:
    return (value or "").strip()


def check_public_text(value: str) -> str | None:
    """The error for published text that holds an email address or a phone number, else None."""
    if EMAIL_PATTERN.search(value) or PHONE_PATTERN.search(value):
        return PUBLIC_TEXT_PERSONAL
    return None
