"""The one way figures are written for people: percentages, signed percentage changes, ratios,
signed counts and intervals, the same on pages, in CSV files, in PDFs and in award entries (so that
-72.5 never reads "-72%" on one page and "-72.5%" on another).

The rules:
- one decimal place for percentages, two for ratios; halves round away from zero (ROUND_HALF_UP
  on the decimal value, not the binary float: 0.125 is "0.13");
- a sign on every non-zero change ("+5.0%", MINUS + "72.5%"), none on zero ("0.0%", "0");
- the minus is the real minus sign, U+2212, everywhere: typographically right, read as "minus" by
  screen readers, present in the PDF's fonts, and not a character that starts a spreadsheet formula.

Each function returns a `Figure`: text the application produced from a number, which the CSV
writer (core.csv_export) writes as it is, so a CSV cell reads exactly as the page does."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
PLUS = "+"


class Figure(str):
    """Text formatted here from a number: safe in a CSV cell as it is (no quote prefix)."""

    __slots__ = ()


def _rounded(value: float | Decimal | int, places: int) -> Decimal:
    exponent = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def _signed(number: Decimal, *, always: bool) -> str:
    """`number` with a real minus when negative and, if `always`, a plus when positive. A value
    that rounds to zero has no sign ("-0.04" is "0.0")."""
    if number == 0:
        return str(abs(number))
    if number < 0:
        return MINUS + str(-number)
    return (PLUS if always else "") + str(number)


def percent(value: float | Decimal | int) -> Figure:
    """A share, one decimal: 12.5 -> "12.5%"; negative only if the value is."""
    return Figure(_signed(_rounded(value, 1), always=False) + "%")


def percent_change(value: float | Decimal | int) -> Figure:
    """A change in percent, one decimal, signed: -72.45 -> MINUS + "72.5%", 5 -> "+5.0%", 0 -> "0.0%"."""
    return Figure(_signed(_rounded(value, 1), always=True) + "%")


def ratio(value: float | Decimal | int) -> Figure:
    """A ratio or quotient, two decimals: 2.1 -> "2.10", -0.6 -> MINUS + "0.60"."""
    return Figure(_signed(_rounded(value, 2), always=False))


def signed_count(value: int) -> Figure:
    """A change in a count: 1 -> "+1", -3 -> MINUS + "3", 0 -> "0"."""
    return Figure(_signed(Decimal(int(value)), always=True))


def interval(low: float | Decimal | int, high: float | Decimal | int) -> Figure:
    """A (confidence) interval of ratios: "0.95 to 1.40"."""
    return Figure(f"{ratio(low)} to {ratio(high)}")
