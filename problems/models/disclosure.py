"""Disclosure by data category (DESIGN.md section 4): every part of a problem that can hold
personal data carries a data category, and a partner sees an entry only when its share discloses
that category.

Each part has a default category, named here and nowhere else (by the codes of the reference
categories created by partnerships migration 0003). An entry whose category field is empty is in
its part's default; its author may choose another on its form, for example "Safeguarding and
vulnerability information" for a decision that describes vulnerable people."""

from __future__ import annotations

from typing import Any

from django.db import models


class DisclosurePart(models.TextChoices):
    DESCRIPTION = "description", "Description"
    DEMAND = "demand", "Demand notes and the perceived problem"
    STATEMENT = "statement", "Problem statement and CHEERS answers"
    TRIANGLE = "triangle", "Problem analysis triangle"
    CONTROLLER = "controller", "Controllers"
    DECISION = "decision", "Decision log entries"
    UPDATE = "update", "Updates"
    ATTACHMENT = "attachment", "Attachments"
    ACTION = "action", "Response actions' text"


# The default of each part. What describes the problem itself (the reports and complaints that
# make it up, and the demand for it: who complained and what they first reported, as the
# description does) is in "ASB reports and complaints", the category every neighbourhood agreement
# covers; what names people (offenders, victims, the handlers, guardians and managers) is in
# "Names and contact details", which a share must disclose on purpose.
DEFAULT_CATEGORY_CODES: dict[str, str] = {
    DisclosurePart.DESCRIPTION: "asb-reports",
    DisclosurePart.DEMAND: "asb-reports",
    DisclosurePart.STATEMENT: "asb-reports",
    DisclosurePart.TRIANGLE: "identity-contact",
    DisclosurePart.CONTROLLER: "identity-contact",
    DisclosurePart.DECISION: "asb-reports",
    DisclosurePart.UPDATE: "asb-reports",
    DisclosurePart.ATTACHMENT: "asb-reports",
    DisclosurePart.ACTION: "asb-reports",
}

CATEGORY_HELP = (
    "The kind of personal data this holds. A partner sees it only if the share with them discloses "
    "this category; leave it empty for the usual category of this part."
)
# The decision log is append-only: a decision's category is chosen when it is written.
DECISION_CATEGORY_HELP = (
    "The kind of personal data this decision holds; a partner sees it only if their share discloses "
    "this category. It cannot be changed afterwards (the decision log is never edited): choose "
    "Safeguarding and vulnerability information, for example, if it describes vulnerable people."
)


def category_field(verbose_name: str = "data category", help_text: str = CATEGORY_HELP) -> Any:
    """The data category of an entry or part: empty means the part's default."""
    return models.ForeignKey(
        "partnerships.DataCategory",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=help_text,
    )
