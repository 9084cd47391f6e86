"""The migration that made the crime key the primary key keeps the rows already held: a crime keeps
its Crime ID as its key, an ASB row is given the key the new rule gives it (coordinates in their
shortest form), and the import runs learn their months; so re-importing the same file afterwards,
even written with trailing zeros, adds nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluation.models import CrimeImportRun, CrimeRecord
from evaluation.services.crime_import import crime_import_run
from evaluation.services.crime_rows import asb_key
from tests.evaluation.factories_crime import crime_id, crime_row, police_csv

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("evaluation", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def at_0001() -> Iterator[None]:
    _migrate(BEFORE)
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_rows_held_before_keep_their_keys_under_the_new_rule(at_0001: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO evaluation_crimeimportrun (file_name, stored_path, state, rows_total, rows_done, "
            "rows_loaded, rows_skipped, error_count, errors, message, created_at) "
            "VALUES ('old.csv', '', 'done', 3, 3, 3, 0, 0, '[]', '', now()) RETURNING id"
        )
        run_id = cursor.fetchone()[0]
        # As the old import stored them: a crime, and two identical ASB rows (old-rule keys).
        for key, crime in ((crime_id(1), crime_id(1)), ("asb-old-1", ""), ("asb-old-2", "")):
            cursor.execute(
                "INSERT INTO evaluation_crimerecord (key, crime_id, month, reported_by, falls_within, longitude, "
                "latitude, location, lsoa_code, lsoa_name, crime_type, last_outcome, context, import_run_id) "
                "VALUES (%s, %s, '2026-03-01', 'Northshire Police', 'Northshire Police', -1.5, 52.1, "
                "'On or near Eastgate Parade', 'E01099101', 'Northshire 001A', %s, '', '', %s)",
                [key, crime, "Burglary" if crime else "Anti-social behaviour", run_id],
            )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    asb_fields = crime_row(longitude="-1.500000", latitude="52.100000")[1:]
    asb_fields[8] = "Anti-social behaviour"
    assert set(CrimeRecord.objects.values_list("key", flat=True)) == {
        crime_id(1),
        asb_key(asb_fields, 1),
        asb_key(asb_fields, 2),
    }
    run = CrimeImportRun.objects.get(pk=run_id)
    assert (run.first_month, run.last_month) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))

    again = CrimeImportRun.objects.create(file_name="again.csv")
    row = crime_row(longitude="-1.500000", latitude="52.100000")
    again = crime_import_run(run=again, stream=io.BytesIO(police_csv([row, row])))
    assert (again.rows_loaded, again.rows_skipped) == (0, 2)
