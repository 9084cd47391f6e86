"""No lost updates: the one mechanism for two people changing the same record at once
(DESIGN.md section 6: "the second is told and keeps what they typed").

Edits (optimistic): a record people edit through a form carries `lock_version` (`Versioned`), a
number raised by one on every saved change. The form carries the number its user saw in a hidden
field (`VersionedFormMixin`); the service claims the change with `version_claim`, a conditional
`UPDATE ... SET lock_version = seen + 1 WHERE pk = ... AND lock_version = seen`. If someone saved
in between, no row matches: the service raises `EditConflict` (a ValidationError, so the
transaction rolls back and nothing is saved or audited), naming who saved last and when (from
the audit log). `core.forms.form_add_service_errors` puts it on the form: the error summary, the
other person's saved version shown read-only beside the form, everything the user typed kept, and
the hidden number moved on to the saved version, so that saving again (having compared) keeps
theirs. The conditional UPDATE needs no row lock, so it holds on SQLite too; where a service
already locks the row (select_for_update), the UPDATE simply finds it unchanged or changed.

State moves (pessimistic): stage moves, sign-offs, signatures, activation and termination carry
the state their user saw (the stage, the status) and run under `select_for_update` on the row, so
two at once are applied one after the other and the second finds the state moved on: refused with
a `StateConflict`, which says who moved it and when, and nothing changes.

A post without the hidden number (an older form, a script) is not checked: the service is called
with `seen=None` and saves as before. Pages render it always.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.models import AuditEvent

# The hidden field's name on every versioned form, and the model field's.
VERSION_FIELD = "lock_version"

# Messages (tests assert them).
EDITED_BY_SOMEONE_ELSE = (
    "{name} saved a change to this {what} {when}, after you opened it. Nothing you typed has been saved yet: "
    "compare it with their version, shown below, then save again to replace theirs with yours."
)
SOMEONE = "Someone else"
VERSION_INVALID = "This form is out of date. Open the page again."
# The largest version the database holds (PositiveIntegerField): a larger one posted is refused as
# invalid rather than sent to the database, which would fail on it.
VERSION_MAX = 2147483647


class Versioned(models.Model):
    """A record edited through forms: `lock_version` goes up by one on each saved change."""

    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """The record changed since the user opened it. `current` is the record as saved now;
    `field` and `value` are what the form's hidden field should carry from now on."""

    def __init__(self, message: str, *, current: models.Model, field: str = VERSION_FIELD, value: Any = None) -> None:
        super().__init__(message)
        self.current = current
        self.field = field
        self.value = getattr(current, VERSION_FIELD, None) if value is None else value
        # Whether the form shows the record's saved values beside what was typed (edits do;
        # a refused stage move only needs the message).
        self.show_current = field == VERSION_FIELD


class StateConflict(EditConflict):
    """A move (stage, status, signature) refused because the state its user saw has moved on:
    only the message is shown, with the hidden field moved on to the state now saved."""

    def __init__(self, message: str, *, current: models.Model, field: str, value: Any = None) -> None:
        super().__init__(message, current=current, field=field, value=value)
        self.show_current = False


def when(moment: datetime.datetime) -> str:
    """'at 10:42' today, 'at 10:42 on 3 December 2026' otherwise (local time)."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"at {local:%H:%M}"
    return f"at {local:%H:%M} on {local.day} {local:%B %Y}"


def last_saved_by(obj: models.Model, verbs: Iterable[str]) -> tuple[str, datetime.datetime] | None:
    """Who made the newest change of one of `verbs` to `obj`, and when, from the audit log."""
    event = (
        AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk), verb__in=list(verbs))
        .select_related("actor")
        .order_by("-seq", "-id")
        .first()
    )
    if event is None:
        return None
    name = event.actor.full_name if event.actor is not None else SOMEONE
    return name, event.created_at


def version_claim(obj: Versioned, *, seen: int | None, verbs: Iterable[str]) -> None:
    """Claim the right to save a change to `obj`, whose user saw version `seen` (None: not
    checked, the version `obj` was read at). Call it in the service's transaction, once the change
    is known to be real and valid, before saving. Raises EditConflict, changing nothing, when the
    row is no longer at that version; otherwise the row and `obj` are at the next version."""
    expected = obj.lock_version if seen is None else seen
    model = type(obj)
    claimed = model._default_manager.filter(pk=obj.pk, lock_version=expected).update(lock_version=expected + 1)
    if claimed:
        obj.lock_version = expected + 1
        return
    current = model._default_manager.get(pk=obj.pk)
    saved = last_saved_by(current, verbs)
    name, moment = saved if saved else (SOMEONE, getattr(current, "updated_at", None) or timezone.now())
    raise EditConflict(
        EDITED_BY_SOMEONE_ELSE.format(name=name, what=model._meta.verbose_name, when=when(moment)),
        current=current,
    )


# --- forms --------------------------------------------------------------------------------------


def posted_version(data: Any) -> int | None:
    """The `lock_version` posted by a button's form (sign, ...) that has no Form class: None when
    absent or not a number (then not checked)."""
    value = str(data.get(VERSION_FIELD, "")).strip()
    return int(value) if value.isdecimal() and value.isascii() and int(value) <= VERSION_MAX else None


# For type checkers the mixin is a form; at run time it adds nothing to the form's bases.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VersionedFormMixin(_FormBase):
    """Put first in a form's bases: a hidden `lock_version`, the version the user saw (from the
    instance on a ModelForm, or from `initial`), available after validation as `seen_version` and
    left out of `cleaned_data` (so views can pass cleaned_data to a service unchanged)."""

    seen_version: int | None = None
    # Set by show_conflict: the saved version's (label, value) pairs, shown beside the form.
    edit_conflict: list[tuple[str, str]] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            min_value=1,
            max_value=VERSION_MAX,
            error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), VERSION_INVALID),
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None and VERSION_FIELD not in self.initial:
            self.initial[VERSION_FIELD] = getattr(instance, VERSION_FIELD)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        self.seen_version = data.pop(VERSION_FIELD, None)
        return data


def conflict_rows(form: forms.BaseForm, current: models.Model) -> list[tuple[str, str]]:
    """The saved record's values of the form's visible fields, as (label, text) for the page."""
    rows: list[tuple[str, str]] = []
    for name, field in form.fields.items():
        if name == VERSION_FIELD or field.widget.is_hidden or not hasattr(current, name):
            continue
        rows.append((str(form[name].label), _display(field, getattr(current, name))))
    return rows


def _display(field: forms.Field, value: Any) -> str:
    if hasattr(value, "all") and callable(value.all):
        value = ", ".join(str(item) for item in value.all())
    elif isinstance(value, bool):
        return "Yes" if value else "No"
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        value = {str(key): label for key, label in field.choices}.get(str(value), value)  # type: ignore[union-attr,misc]
    elif isinstance(value, datetime.date):
        value = f"{value.day} {value:%B %Y}"
    return "(empty)" if value is None or value == "" else str(value)


def form_show_conflict(form: forms.BaseForm, conflict: EditConflict) -> None:
    """Show a conflict on a bound form: the message in the error summary, the saved values beside
    the form (edits), and the hidden field moved on to the state now saved, so that submitting
    again is a deliberate choice made having seen both. What the user typed stays as typed."""
    form.add_error(None, conflict.messages)
    if form.is_bound and conflict.field in form.fields:
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
        data[form.add_prefix(conflict.field)] = "" if conflict.value is None else str(conflict.value)
        form.data = data
    if conflict.show_current:
        form.edit_conflict = conflict_rows(form, conflict.current)  # type: ignore[attr-defined]
