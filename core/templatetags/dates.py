"""The `date` filter, as Django's own gives it, without its cost on every row (issue 23).

Django's `date` filter looks the format up among the localisable settings, splits it with a
regular expression, and translates the month's name again for every value: about a tenth of the
problem list's CPU went on its next-review dates (benchmarks/page_cpu.py). This filter replaces
the built-in one on every template (TEMPLATES' `builtins`): the format is split once (with Django's
own expressions, so escapes and literals come out the same) and the month names are translated
once per language. The codes the pages use (day, month, year, hour, minute, second) are formatted
here exactly as django.utils.dateformat does; any other code, any value that is not a date or a
datetime, and a format that names a setting (DATE_FORMAT, ...) go to Django's filter unchanged.
tests/core/test_dates.py compares the two over every code, language and time zone.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation
from django.utils.dateformat import re_escaped, re_formatchars
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import FORMAT_SETTINGS

register = template.Library()

_DATE_CODES = frozenset("jdnmMFYy")
_TIME_CODES = frozenset("HiGs")


@lru_cache(maxsize=256)
def _pieces(format_string: str) -> tuple[tuple[bool, str], ...] | None:
    """(is a code, text) for each piece of the format; None when a code is not handled here."""
    pieces = []
    for index, piece in enumerate(re_formatchars.split(format_string)):
        if index % 2:
            if piece not in _DATE_CODES and piece not in _TIME_CODES:
                return None
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, re_escaped.sub(r"\1", piece)))
    return tuple(pieces)


@lru_cache(maxsize=64)
def _month_names(language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The long and the three-letter month names (index 1 to 12) in `language`, as dateformat's
    F and M give them."""
    with translation.override(language):
        long = ("", *(str(MONTHS[m]) for m in range(1, 13)))
        short = ("", *(str(MONTHS_3[m]).title() for m in range(1, 13)))
    return long, short


def _code(value: datetime.date, code: str, language: str | None) -> str:
    if code == "j":
        return str(value.day)
    if code == "d":
        return f"{value.day:02d}"
    if code == "n":
        return str(value.month)
    if code == "m":
        return f"{value.month:02d}"
    if code == "M":
        return _month_names(language)[1][value.month]
    if code == "F":
        return _month_names(language)[0][value.month]
    if code == "Y":
        return f"{value.year:04d}"
    if code == "y":
        return f"{value.year % 100:02d}"
    assert isinstance(value, datetime.datetime)
    if code == "H":
        return f"{value.hour:02d}"
    if code == "i":
        return f"{value.minute:02d}"
    if code == "s":
        return f"{value.second:02d}"
    return str(value.hour)  # "G"


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: Any = None) -> str:
    """`{{ value|date:"j M Y" }}`: what Django's `date` filter gives, sooner."""
    kind = type(value)
    if (kind is not datetime.date and kind is not datetime.datetime) or not isinstance(arg, str):
        return django_date(value, arg)
    if not arg or arg in FORMAT_SETTINGS:
        # No format (DATE_FORMAT) or a setting's name: Django looks it up for the language.
        return django_date(value, arg)
    pieces = _pieces(arg)
    if pieces is None or (kind is datetime.date and any(is_code and text in _TIME_CODES for is_code, text in pieces)):
        # A date with a time code: Django's filter says why it refuses.
        return django_date(value, arg)
    language = translation.get_language()
    return "".join(_code(value, text, language) if is_code else text for is_code, text in pieces)
