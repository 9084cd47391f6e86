"""Presenting audit events: an event's detail as compact JSON, as the CSV export writes it."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def audit_detail(detail: Any) -> str:
    if not detail:
        return ""
    return json.dumps(detail, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
