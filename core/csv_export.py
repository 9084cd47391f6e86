"""The one way the project writes CSV: every cell is made safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (also after leading
spaces, and a tab or carriage return starts one too), so text that anyone typed (a public survey
answer, a question, an agreement's purpose) could make the reader's spreadsheet fetch a URL with
the sheet's data in it or run a command. Following OWASP's guidance on CSV injection, such a cell
is written with a single quote before it, which the spreadsheet shows as text. Numbers the
application itself produced (int, float, Decimal) are written as they are, so they stay numbers,
and so are figures formatted by core.numbers (a `Figure`: digits, a sign, a point, "%" or "to",
made from a number, never typed), so that "+5.0%" reads in the CSV as it does on the page.

Use `csv_writer` wherever the project writes CSV (tests/core/test_csv_export.py fails on any
other `csv.writer` or `csv.DictWriter` in the application's code)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from core.numbers import Figure

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet runs: None as empty, numbers as numbers, and text
    that would start a formula (even after leading whitespace) prefixed with a single quote."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | Figure):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


class SafeCsvWriter:
    """csv.writer whose every cell, header included, goes through `csv_safe_cell`. `writerow`
    returns what the underlying writer's stream returns (a streamed response uses the line)."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **fmtparams: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **fmtparams)
