"""Access helpers shared by every app: outsiders get 404, never 403 (DESIGN.md section 4)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_visible_or_404[M: Model](visible: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from a queryset already filtered to what the user may see.

    Missing and forbidden give the same answer, so an outsider learns nothing about what exists.
    Each app's access helper (`problem_get_for_user`, ...) builds `visible` and calls this.
    """
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
