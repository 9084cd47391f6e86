"""`as_filter_field`: a list page's filter field, exactly as crispy-forms' `as_crispy_field` renders
it, rendered once per distinct field and remembered (issue 23).

Rendering the problem list's seven filter fields through crispy-forms and Django's widget templates
took about a third of the page's CPU (benchmarks/page_cpu.py), and the same few variants are asked
for on every visit (no filter, or a handful of common ones). The HTML of a field is a function of
what is in the key below: the form's class and the field's name (everything the class fixes), the
field's label, help text, flags, widget and its attributes, its choices as offered now (so a
neighbourhood list that differs between forces, or changes, gives a different key: nothing
rendered for one user is shown to another unless it is byte for byte what they would get), the
value shown, the errors and the language. A form with a crispy helper is rendered every time.

Memory is bounded (the least recently used of CACHE_SIZE entries go first), per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils import translation
from django.utils.safestring import SafeString

register = template.Library()

CACHE_SIZE = 1024
_rendered: OrderedDict[Hashable, SafeString] = OrderedDict()
_lock = threading.Lock()


def _frozen(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if value is None or isinstance(value, bool | int):
        return value
    return (type(value).__name__, str(value))


def _offered(choices: Any) -> list[Any]:
    """The choices a widget offers, as its own iteration gives them. A model choice field's
    iterator reads its queryset through `.iterator()`, which on PostgreSQL is a server-side cursor
    (DECLARE, FETCH and CLOSE: three round trips for a few rows); the same choices are made here
    with the iterator's own `choice()` from one plain query (the same SQL, one statement)."""
    if (
        isinstance(choices, ModelChoiceIterator)
        and type(choices).__iter__ is ModelChoiceIterator.__iter__
        and not choices.queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    ):
        empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return empty + [choices.choice(obj) for obj in choices.queryset.all()]
    # Iterated, not list(): that asks a model choice iterator its length first, a COUNT query.
    return [choice for choice in choices]  # noqa: C416


def _key(field: BoundField) -> Hashable | None:
    form = field.form
    if getattr(form, "helper", None) is not None:
        return None
    widget = field.field.widget
    choices: Hashable = None
    if hasattr(widget, "choices"):
        # Evaluated once here (a model choice field's query), and kept on this form's own widget
        # so that rendering it, on a miss, does not query again.
        offered = _offered(widget.choices)
        widget.choices = offered
        choices = _frozen(offered)
    return (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        _frozen(form.auto_id),
        form.is_bound,
        form.label_suffix,
        form.use_required_attribute,
        field.html_name,
        field.auto_id,
        type(field.field).__qualname__,
        _frozen(field.label),
        _frozen(field.help_text),
        field.field.required,
        field.field.disabled,
        field.field.show_hidden_initial,
        type(widget).__module__,
        type(widget).__qualname__,
        _frozen(widget.attrs),
        getattr(widget, "input_type", None),
        _frozen(getattr(widget, "format", None)),
        choices,
        _frozen(field.value()),
        tuple(str(error) for error in field.errors),
        translation.get_language(),
    )


@register.filter
def as_filter_field(field: BoundField) -> SafeString:
    """`{{ field|as_filter_field }}`: the same HTML as `{{ field|as_crispy_field }}`."""
    key = _key(field)
    if key is None:
        return as_crispy_field(field)
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return html
    html = as_crispy_field(field)
    with _lock:
        _rendered[key] = html
        while len(_rendered) > CACHE_SIZE:
            _rendered.popitem(last=False)
    return html


@register.filter
def as_form_field(field: BoundField) -> SafeString:
    """`{{ field|as_form_field }}`: the same HTML as `{{ field|as_crispy_field }}` on any form
    (_partials/form_fields.html), remembered as `as_filter_field` remembers it only while the field
    shows nothing typed or read from a record (an unbound form, a blank value): the problem page's
    note boxes and every blank form are rendered once, while nothing a person wrote is kept in memory."""
    if field.form.is_bound or field.value() not in (None, "", False, [], ()):
        return as_crispy_field(field)
    return as_filter_field(field)
