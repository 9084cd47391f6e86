"""The typed neighbourhood is gone: 0011 matched every problem's text to a neighbourhood (made one,
to review, where none matched). Reversed, the column comes back empty and 0011's reverse fills it."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("problems", "0011_problem_neighbourhood_matched")]

    operations = [migrations.RemoveField(model_name="problem", name="neighbourhood_text")]
