"""The site search (issue 20): a GIN index on each searchable table's weighted search vector
(core.search.SearchIndex, created on PostgreSQL only; the SQLite default searches without it)."""

import django.contrib.postgres.search
from django.db import migrations

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_lock_versions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="agreement",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector("reference", "title", config="english", weight="A"),
                        "||",
                        django.contrib.postgres.search.SearchVector("purpose", config="english", weight="B"),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "data_items", "dpia_reference", config="english", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="agreement_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector("name", config="english", weight="A"),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "job_title", "spoc_topics", config="english", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector("email", config="english", weight="C"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="contact_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector("name", config="english", weight="A"),
                        "||",
                        django.contrib.postgres.search.SearchVector("areas_covered", config="english", weight="B"),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector("address", config="english", weight="C"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="organisation_search_idx",
            ),
        ),
    ]
