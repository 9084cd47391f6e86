"""Retention (problems.services.retention), two parts:

1. Every problem closed before retention existed gets its retention review date: its closing date
   plus the period of settings.RETENTION_PERIODS for its category and risk.

2. The one narrow path by which the append-only decision log (and its confirmations) may change:
   disposal blanks their text. On PostgreSQL the append-only triggers (migrations 0002 and 0009)
   now let an UPDATE through only when all of these hold:
   - the transaction has set `commonground.disposal` to the id of the entry's problem;
   - every text column of the new row is empty;
   - every other column is unchanged (the row compared as JSON without its text columns).
   DELETE and TRUNCATE are refused as before; so is any other UPDATE.
   The setting is made only by `problems_decisions_erase_for_disposal(problem_id)`, a SECURITY
   DEFINER function owned by the tables' owner: the application's role has no UPDATE privilege on
   the logs (core.db_roles), so it can blank them only through this function, which refuses unless
   the problem has a disposal record (problems.ProblemDisposal, written first by the same
   transaction) and blanks the text of that problem's entries only. SQLite has no triggers: there
   the service blanks the rows itself."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DECISION_TEXT = (
    "information",
    "threat_and_risk",
    "powers_and_policy",
    "options",
    "decision_and_action",
    "review",
    "code_of_ethics",
)
CONFIRMATION_TEXT = ("note",)


def _array(columns: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{c}'" for c in columns) + "]::text[]"


def _blank_only(columns: tuple[str, ...]) -> str:
    """NEW differs from OLD only in `columns`, and each of them is empty in NEW."""
    return (
        # Column names from the constants above, never from input.
        f"(to_jsonb(NEW) - {_array(columns)}) = (to_jsonb(OLD) - {_array(columns)})"  # noqa: S608
        f" AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(to_jsonb(NEW)) AS col(key, value)"
        f" WHERE col.key = ANY({_array(columns)}) AND col.value <> '')"
    )


# Built from the constants above, never from input.
CREATE = f"""
CREATE OR REPLACE FUNCTION problems_decisionlogentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('commonground.disposal', true) = OLD.problem_id::text
       AND {_blank_only(DECISION_TEXT)} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'problems_decisionlogentry is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION problems_decisionconfirmation_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('commonground.disposal', true) =
           (SELECT problem_id::text FROM problems_decisionlogentry WHERE id = OLD.entry_id)
       AND {_blank_only(CONFIRMATION_TEXT)} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'problems_decisionconfirmation is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION problems_decisions_erase_for_disposal(target_problem bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    erased integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM problems_problemdisposal WHERE problem_id = target_problem) THEN
        RAISE EXCEPTION 'problem % has no disposal record: its decision log cannot be erased', target_problem
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('commonground.disposal', target_problem::text, true);
    UPDATE problems_decisionlogentry
       SET {", ".join(f"{c} = ''" for c in DECISION_TEXT)}
     WHERE problem_id = target_problem;
    GET DIAGNOSTICS erased = ROW_COUNT;
    UPDATE problems_decisionconfirmation SET note = ''
     WHERE entry_id IN (SELECT id FROM problems_decisionlogentry WHERE problem_id = target_problem);
    PERFORM set_config('commonground.disposal', '', true);
    RETURN erased;
END;
$$;
"""  # noqa: S608

# Back to the triggers of migrations 0002 and 0009.
DROP = """
DROP FUNCTION IF EXISTS problems_decisions_erase_for_disposal(bigint);
CREATE OR REPLACE FUNCTION problems_decisionlogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'problems_decisionlogentry is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION problems_decisionconfirmation_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'problems_decisionconfirmation is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def backfill(apps: Any, schema_editor: Any) -> None:
    from django.utils import timezone

    from problems.models.retention import retention_review_date_for

    Problem = apps.get_model("problems", "Problem")
    closed = Problem.objects.filter(stage="closed", retention_review_date__isnull=True, disposed_at__isnull=True)
    for problem in closed.select_related("category").iterator(chunk_size=2000):
        closed_at = problem.closed_at or problem.updated_at
        problem.retention_review_date = retention_review_date_for(
            closed_on=timezone.localtime(closed_at).date(),
            category_code=problem.category.code,
            risk_level=problem.risk_level,
        )
        problem.save(update_fields=["retention_review_date"])


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("problems", "0014_retention")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
