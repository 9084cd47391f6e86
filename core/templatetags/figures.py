"""Template filters for figures: `{% load figures %}` then `{{ value|percent_change }}`,
`{{ value|ratio }}`, `{{ n|signed_count }}`, `{{ value|percent }}`, `{{ low|interval:high }}`.
They only present: each is the core.numbers function of the same name (None shows as empty)."""

from __future__ import annotations

from typing import Any

from django import template

from core import numbers

register = template.Library()


def _or_empty(function: Any) -> Any:
    def apply(value: Any) -> str:
        return "" if value is None or value == "" else function(value)

    apply.__name__ = function.__name__
    apply.__doc__ = function.__doc__
    return apply


for _name in ("percent", "percent_change", "ratio", "signed_count"):
    register.filter(_name, _or_empty(getattr(numbers, _name)))


@register.filter
def interval(low: Any, high: Any) -> str:
    if low is None or high is None:
        return ""
    return numbers.interval(low, high)
