"""Closed problems are not reviewed any more (issue 20: they still showed a next review date):
clear the date the stage service now clears on closing."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("problems", "Problem").objects.filter(stage="closed").update(next_review_date=None)


class Migration(migrations.Migration):
    dependencies = [("problems", "0016_lock_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
