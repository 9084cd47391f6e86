"""A problem's neighbourhood becomes a foreign key to the force's neighbourhood list (issue 17):
the typed text is kept as `neighbourhood_text` until 0011 has matched it, and 0012 removes it."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_neighbourhoods_to_review"),
        ("problems", "0009_decision_confirmations"),
    ]

    operations = [
        migrations.RenameField(model_name="problem", old_name="neighbourhood", new_name="neighbourhood_text"),
        # Blank allowed, so that 0012's reverse can add the column back to rows that exist (filled
        # with "" until 0011's reverse writes the names).
        migrations.AlterField(
            model_name="problem",
            name="neighbourhood_text",
            field=models.CharField(blank=True, max_length=120, verbose_name="neighbourhood or ward"),
        ),
        migrations.AddField(
            model_name="problem",
            name="neighbourhood",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="problems",
                to="partnerships.neighbourhood",
                verbose_name="neighbourhood or ward",
            ),
        ),
    ]
