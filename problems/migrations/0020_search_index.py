"""The site search (issue 20): a GIN index on each searchable table's weighted search vector
(core.search.SearchIndex, created on PostgreSQL only; the SQLite default searches without it)."""

import django.contrib.postgres.search
from django.db import migrations

import core.search


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0019_objective_revisions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="problem",
            index=core.search.SearchIndex(
                django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.SearchVector(
                                    "reference", "title", config="english", weight="A"
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    "description", config="english", weight="B"
                                ),
                                django.contrib.postgres.search.SearchConfig("english"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "problem_statement",
                                "cheers_community",
                                "cheers_harm",
                                "cheers_expectation",
                                "cheers_events",
                                "cheers_recurring",
                                "cheers_similarity",
                                "evidence_sources",
                                config="english",
                                weight="C",
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "pat_offender", "pat_victim", "pat_location", config="english", weight="D"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "process_evaluation",
                        "displacement",
                        "diffusion_of_benefits",
                        "lessons_learned",
                        config="english",
                        weight="D",
                    ),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                name="problem_search_idx",
            ),
        ),
    ]
