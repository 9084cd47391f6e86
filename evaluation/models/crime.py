"""Street-level crime imported from data.police.uk files, and each import's run (its progress and
the rows it refused).

Each row has a natural key, `key`, its primary key, so that importing the same file again adds
nothing:
- a crime (Crime ID given): its Crime ID;
- a row with no Crime ID (anti-social behaviour): ``asb-<md5>-<n>`` where ``<md5>`` is the hex MD5
  of the row's other eleven fields as they appear in the file, except that the longitude and
  latitude are written as numbers in their shortest form (``52.100000`` as ``52.1``, ``-1.0`` as
  ``-1``; empty when absent), joined by the unit separator (U+001F), and ``<n>`` is 1 for the first
  such identical row in the
  file, 2 for the second, and so on (police.uk publishes identical ASB rows: same month, place and
  type). Re-importing the file gives every row the same key again; a later file that repeats the
  same month's rows (a re-download) is also recognised, as long as it lists them the same number
  of times. See `evaluation.services.crime_rows.asb_key`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The data.police.uk street-level header, exactly.
POLICE_CSV_HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

# The categories data.police.uk publishes (street-level crime), in its order.
POLICE_CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


class ImportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class CrimeImportRun(models.Model):
    """One import of one file: who started it, how far it has got (polled by the progress bar), and
    what it refused. Progress is kept in the database so any web process can report it."""

    # Empty for an import from the command line.
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    # Where the uploaded file waits for the worker (default storage); emptied when it is deleted.
    stored_path = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField("new rows added", default=0)
    rows_skipped = models.PositiveIntegerField("rows already held", default=0)
    error_count = models.PositiveIntegerField(default=0)
    # [{"line": 7, "message": "..."}], the first few hundred; a wrong header is one entry, line 1.
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    # The earliest and latest month of the file's well-formed rows: what crime data is held is
    # read from the runs (a few rows), not from the crime table (millions, no index on month).
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)


# The ASB rule's keys start with this; no Crime ID does (they are 64 hex digits).
ASB_KEY_PREFIX = "asb-"


class CrimeRecord(models.Model):
    """One street-level row. Coordinates are the published, anonymised snap points (absent on some
    rows); distances are computed on them (see evaluation.selectors.before_after)."""

    # The natural key is the primary key: a row's Crime ID, or for a row without one the ASB rule's
    # key (module docstring). One column and one index, not a surrogate id beside a unique key: the
    # import writes and indexes each row once (evaluation.services.crime_import_copy). On PostgreSQL
    # this column and lsoa_code use the "C" collation (migration 0002): byte order, which sorts and
    # compares several times faster than a language collation, for codes that are plain ASCII.
    # Django's migration state does not know the collation: a later AlterField of either column
    # must set it again (and drop the LIKE index Django would add), as 0002 does.
    key = models.CharField(max_length=80, primary_key=True)
    month = models.DateField(help_text="The first day of the month the row is for.")
    reported_by = models.CharField(max_length=120, blank=True)
    falls_within = models.CharField(max_length=120, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=255, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=120, blank=True)
    crime_type = models.CharField(max_length=80)
    last_outcome = models.CharField("last outcome category", max_length=200, blank=True)
    context = models.TextField(blank=True)
    import_run = models.ForeignKey(
        CrimeImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        # No index and no database constraint: both would slow every import (Django's deferred
        # foreign-key check runs once per row at commit), and runs are never deleted; the link
        # only traces a row to the import that brought it.
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        indexes = [
            # Area by LSOA codes, then types and months: the comparison and LSOA target queries.
            models.Index(fields=["lsoa_code", "month"], name="crime_lsoa_month_idx"),
            # The bounding-box prefilter of the radius queries.
            models.Index(fields=["latitude", "longitude"], name="crime_lat_long_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.crime_type}, {self.month:%B %Y}, {self.location or 'no location'}"

    @property
    def crime_id(self) -> str:
        """The Crime ID as published; empty for anti-social behaviour."""
        return "" if self.key.startswith(ASB_KEY_PREFIX) else self.key
