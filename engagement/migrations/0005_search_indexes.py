"""The site search (issue 20): a GIN index on each searchable table's weighted search vector
(core.search.SearchIndex, created on PostgreSQL only; the SQLite default searches without it)."""

import django.contrib.postgres.search
from django.db import migrations

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0004_event_location"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="communitypriority",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.SearchVector("issue", config="english", weight="A"),
                    "||",
                    django.contrib.postgres.search.SearchVector("not_adopted_reason", config="english", weight="C"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="priority_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="engagementevent",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.SearchVector("place", config="english", weight="A"),
                    "||",
                    django.contrib.postgres.search.SearchVector("issues_raised", config="english", weight="B"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="event_search_idx",
            ),
        ),
    ]
