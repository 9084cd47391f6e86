"""Filters for the problem page's panels of updates, attachments and who has seen or received the
problem. The panels' data comes from the page's selector (problems.selectors.page): nothing here
asks the database."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def disclosure_recipients(detail: Any) -> str:
    """The recipients named by a disclosure event, as one line."""
    recipients = detail.get("recipients", []) if isinstance(detail, dict) else []
    if isinstance(recipients, str):
        return recipients
    return ", ".join(str(recipient) for recipient in recipients)
