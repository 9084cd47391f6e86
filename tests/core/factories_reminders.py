"""Many problems due for review, fast: one built by the factory, the rest copied from it by
PostgreSQL (INSERT ... SELECT over generate_series), so 100,000 rows take a second or two."""

from __future__ import annotations

import datetime

from django.db import connection

from accounts.models import Role, User
from problems.models import Problem, Stage
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import PoliceForceFactory
from tests.problems.factories import ProblemFactory


def copy_problem(
    template: Problem, *, count: int, review_date: datetime.date | None, stage: str = Stage.SCANNING, prefix: str
) -> None:
    """`count` copies of `template` with references `<prefix>-<n>`, this stage and review date."""
    columns = [
        f.column
        for f in Problem._meta.concrete_fields
        if f.column not in {"id", "reference", "stage", "next_review_date"}
    ]
    listed = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO problems_problem (reference, stage, next_review_date, {listed}) "  # noqa: S608  (column names from _meta)
            f"SELECT %s || '-' || g, %s, %s, {listed} FROM problems_problem, generate_series(1, %s) AS g WHERE id = %s",
            [prefix, stage, review_date, count, template.pk],
        )


def problems_due_today(count: int, *, today: datetime.date, owners: int = 4) -> list[User]:
    """`count` open problems whose review is due `today`, spread over `owners` officers of one
    force. Returns the officers."""
    force = PoliceForceFactory()
    officers = [UserFactory(role=Role.OFFICER, organisation=force) for _ in range(owners)]
    per_owner, extra = divmod(count, owners)
    for index, officer in enumerate(officers):
        n = per_owner + (1 if index < extra else 0)
        template = ProblemFactory(
            owning_organisation=force, owner=officer, created_by=officer, next_review_date=None, stage=Stage.CLOSED
        )
        if n:
            copy_problem(template, count=n, review_date=today, prefix=f"DUE{index}")
    return officers
