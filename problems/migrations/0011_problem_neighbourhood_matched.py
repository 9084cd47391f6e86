"""Each problem's typed neighbourhood is matched to its owning force's neighbourhood list,
ignoring case and spaces ("City centre ", "CITY  CENTRE" and "City Centre" are one area). A typed
name that matches none ("Cardiff city centre") becomes a new neighbourhood of the force marked to
review, so an administrator can rename it, keep it or merge it into another (the admin's
neighbourhood list); no problem is left without the area it was logged in. A problem with nothing
typed keeps no neighbourhood, and reports show it on a line of its own.

Reversed, each problem's text is its neighbourhood's name again (the neighbourhoods made here
stay, to review)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify

NAME_LENGTH = 120


def area_key(text: str) -> str:
    """The form of a neighbourhood's name that matching compares: spaces trimmed and collapsed,
    case folded."""
    return " ".join(text.split()).casefold()


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:NAME_LENGTH] or "neighbourhood"
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: NAME_LENGTH - len(suffix)]}{suffix}"
    taken.add(slug)
    return slug


def match_typed_neighbourhoods(apps: Any, schema_editor: Any) -> None:
    Problem = apps.get_model("problems", "Problem")
    Neighbourhood = apps.get_model("partnerships", "Neighbourhood")
    # (force, key) -> neighbourhood id; inactive neighbourhoods match too (the force named the area
    # once), and where two names of a force share a key the older row wins.
    known: dict[tuple[int, str], int] = {}
    for pk, organisation_id, name in Neighbourhood.objects.order_by("pk").values_list("pk", "organisation_id", "name"):
        known.setdefault((organisation_id, area_key(name)), pk)
    taken = set(Neighbourhood.objects.values_list("slug", flat=True))
    typed = (
        Problem.objects.filter(neighbourhood__isnull=True)
        .values_list("owning_organisation_id", "neighbourhood_text")
        .distinct()
        .order_by("owning_organisation_id", "neighbourhood_text")
    )
    for organisation_id, text in list(typed):
        name = " ".join(text.split())[:NAME_LENGTH]
        if not name:
            continue
        key = (organisation_id, area_key(name))
        if key not in known:
            created = Neighbourhood.objects.create(
                name=name,
                slug=_free_slug(name, taken),
                organisation_id=organisation_id,
                active=True,
                needs_review=True,
            )
            known[key] = created.pk
        Problem.objects.filter(
            owning_organisation_id=organisation_id, neighbourhood_text=text, neighbourhood__isnull=True
        ).update(neighbourhood_id=known[key])


def restore_typed_neighbourhoods(apps: Any, schema_editor: Any) -> None:
    Problem = apps.get_model("problems", "Problem")
    Neighbourhood = apps.get_model("partnerships", "Neighbourhood")
    name = Neighbourhood.objects.filter(pk=OuterRef("neighbourhood_id")).values("name")[:1]
    Problem.objects.update(neighbourhood_text=Coalesce(Subquery(name), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_neighbourhoods_to_review"),
        ("problems", "0010_problem_neighbourhood_reference"),
    ]

    operations = [migrations.RunPython(match_typed_neighbourhoods, restore_typed_neighbourhoods)]
