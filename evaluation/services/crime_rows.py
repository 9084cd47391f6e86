"""The rules of a well-formed row of a data.police.uk street-level file, in Python (`row_problem`,
for the portable loader and the row-by-row staging) and in SQL (`PROBLEM_SQL`, over a whole staging
table at once on PostgreSQL), which tests hold to the same answers; and the ASB key rule
(evaluation.models.crime), in Python (`asb_key`) as the PostgreSQL insert computes it
(evaluation.services.crime_import_copy)."""

from __future__ import annotations

import hashlib
import re

from evaluation.models.crime import ASB_KEY_PREFIX

MAX_ERRORS_KEPT = 200
BAD_MONTH = "Line {line}: the month {value!r} is not of the form YYYY-MM."
BAD_COORDINATES = "Line {line}: longitude and latitude must both be numbers in range, or both be empty."
NO_CRIME_TYPE = "Line {line}: the crime type is empty."
TOO_LONG = "Line {line}: the {field} is longer than {limit} characters."
RESERVED_CRIME_ID = 'Line {line}: a Crime ID cannot begin with "asb-" (kept for the rows that have none).'

UNIT_SEPARATOR = "\x1f"
# A coordinate is a number as PostgreSQL's float8 reads it (COPY reads them so): digits with an
# optional sign, decimal point and exponent, spaces around; Python's float() also takes
# underscores and non-ASCII digits and spaces, which are refused here so that both ways agree.
NOT_IN_A_NUMBER = re.compile(r"[^0-9A-Za-z+\-. \t\n\r\v\f]")
# Field index -> (name for messages, longest allowed), matching CrimeRecord's columns.
LIMITS = {0: ("Crime ID", 64), 2: ("Reported by", 120), 3: ("Falls within", 120), 6: ("location", 255)}
LIMITS.update({7: ("LSOA code", 9), 8: ("LSOA name", 120), 9: ("crime type", 80), 10: ("outcome", 200)})
# The checks of `row_problem`, in SQL over the staging table. Regular expressions cost PostgreSQL about
# a microsecond a call, so none runs per row: a file has a few dozen distinct months, checked once
# each (`good_months_sql`), each row then looked up among the good ones (a hashed ANY, nearly free);
# the coordinates are numbers already (COPY read them), so their check is two comparisons; lengths
# are compared in bytes first (no decoding), in characters only when that is over.
MONTH_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"
MONTH = re.compile(MONTH_PATTERN)


def good_months_sql(table: str) -> str:
    """The distinct months of a staging table that are of the form YYYY-MM, as one array."""
    # FILTER, not WHERE: a WHERE would be pushed below the DISTINCT, testing every row.
    return (
        f"SELECT coalesce(array_agg(month) FILTER (WHERE month ~ '{MONTH_PATTERN}'), '{{}}') "  # noqa: S608
        f'FROM (SELECT DISTINCT month FROM "{table}") AS d'
    )


FIELD_COLUMNS = {0: "crime_id", 2: "reported_by", 3: "falls_within", 6: "location", 7: "lsoa_code"}
FIELD_COLUMNS.update({8: "lsoa_name", 9: "crime_type", 10: "last_outcome"})
PROBLEM_SQL = (
    "CASE WHEN NOT (month = ANY(%(months)s::text[])) THEN 'month' "
    # NaN is greater than every number in PostgreSQL, so it fails the range too.
    "WHEN (longitude IS NULL) <> (latitude IS NULL) OR abs(longitude) > 180 OR abs(latitude) > 90 "
    "THEN 'coordinates' "
    "WHEN crime_type = '' THEN 'type' "
    f"WHEN left(crime_id, {len(ASB_KEY_PREFIX)}) = '{ASB_KEY_PREFIX}' THEN 'crime_id' "
    + " ".join(
        f"WHEN octet_length({FIELD_COLUMNS[index]}) > {limit} AND length({FIELD_COLUMNS[index]}) > {limit} "
        f"THEN 'long:{index}'"
        for index, (_, limit) in LIMITS.items()
    )
    + " END"
)


def problems_sql(table: str) -> str:
    """The first MAX_ERRORS_KEPT malformed rows of a staging table by line (line, problem, month, and
    how many there are in all); takes the `months` of `good_months_sql`."""
    return (
        f"SELECT line_no, problem, left(month, 20), count(*) OVER () FROM (SELECT line_no, month, {PROBLEM_SQL} "  # noqa: S608
        f'AS problem FROM "{table}") AS checked WHERE problem IS NOT NULL ORDER BY line_no LIMIT {MAX_ERRORS_KEPT}'
    )


def drop_problems_sql(table: str) -> str:
    return f'DELETE FROM "{table}" WHERE ({PROBLEM_SQL}) IS NOT NULL'  # noqa: S608


def sql_problem_message(line: int, problem: str, month: str) -> str:
    if problem == "month":
        return BAD_MONTH.format(line=line, value=month)
    if problem == "coordinates":
        return BAD_COORDINATES.format(line=line)
    if problem == "type":
        return NO_CRIME_TYPE.format(line=line)
    if problem == "crime_id":
        return RESERVED_CRIME_ID.format(line=line)
    name, limit = LIMITS[int(problem.removeprefix("long:"))]
    return TOO_LONG.format(line=line, field=name, limit=limit)


def coordinate(text: str) -> float | None:
    """A longitude or latitude from the file: None when empty; ValueError when not a number, as
    PostgreSQL's float8 input decides (which reads hexadecimal, 0x1.8p1, as C's strtod does)."""
    if text == "":
        return None
    if NOT_IN_A_NUMBER.search(text):
        raise ValueError(text)
    if "x" in text.lower():
        return float.fromhex(text)
    return float(text)


def coordinate_text(value: float | None) -> str:
    """A coordinate in its shortest form, as PostgreSQL writes a float8 (52.1, -1, 1e-05)."""
    if value is None:
        return ""
    text = repr(value)
    return text.removesuffix(".0")


def asb_key(fields: list[str], occurrence: int) -> str:
    """The key of a row with no Crime ID: `fields` are its eleven other fields, as in the file
    (the rule is in evaluation.models.crime)."""
    hashed = [*fields[:3], coordinate_text(coordinate(fields[3])), coordinate_text(coordinate(fields[4])), *fields[5:]]
    digest = hashlib.md5(UNIT_SEPARATOR.join(hashed).encode(), usedforsecurity=False).hexdigest()
    return f"{ASB_KEY_PREFIX}{digest}-{occurrence}"


def row_problem(row: list[str], line: int) -> str | None:
    """The row's first problem, or None when it can be loaded (the same rules as `PROBLEM_SQL`)."""
    if not MONTH.fullmatch(row[1]):
        return BAD_MONTH.format(line=line, value=row[1][:20])
    try:
        longitude, latitude = coordinate(row[4]), coordinate(row[5])
    except ValueError:
        return BAD_COORDINATES.format(line=line)
    if (longitude is None) != (latitude is None):
        return BAD_COORDINATES.format(line=line)
    # Written so that NaN fails, as it does in SQL.
    if longitude is not None and latitude is not None and not (abs(longitude) <= 180 and abs(latitude) <= 90):
        return BAD_COORDINATES.format(line=line)
    if not row[9]:
        return NO_CRIME_TYPE.format(line=line)
    if row[0].startswith(ASB_KEY_PREFIX):
        return RESERVED_CRIME_ID.format(line=line)
    for index, (name, limit) in LIMITS.items():
        if len(row[index]) > limit:
            return TOO_LONG.format(line=line, field=name, limit=limit)
    return None
