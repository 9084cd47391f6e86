"""`python manage.py reconcile_shares [--check]`: rebuild the guardian group permissions on problems
from the active shares (they are a projection of the shares, DESIGN.md section 4). With --check,
change nothing, list every difference and exit non-zero if there is any."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from problems.models.sharing import ProblemGroupObjectPermission, ProblemShare
from problems.services.sharing import share_permissions

Key = tuple[int, int, int]  # (problem id, group id, permission id)


def expected_rows() -> dict[Key, tuple[str, str, str]]:
    """What the active shares grant: key -> (problem reference, organisation name, permission)."""
    permissions = {
        f"problems.{p.codename}": p
        for p in Permission.objects.filter(
            content_type__app_label="problems", codename__in=["view_problem", "contribute_problem"]
        )
    }
    wanted: dict[Key, tuple[str, str, str]] = {}
    shares = ProblemShare.objects.filter(ended_at__isnull=True).select_related("problem", "organisation")
    for share in shares:
        for name in share_permissions(share.access_level):
            permission = permissions[name]
            key = (share.problem_id, share.organisation.group_id, permission.pk)
            wanted[key] = (share.problem.reference, share.organisation.name, name)
    return wanted


def actual_rows() -> dict[Key, tuple[int, str, str, str]]:
    rows = ProblemGroupObjectPermission.objects.select_related(
        "content_object", "group__organisation", "permission__content_type"
    )
    found: dict[Key, tuple[int, str, str, str]] = {}
    for row in rows:
        organisation = getattr(row.group, "organisation", None)
        name = organisation.name if organisation is not None else row.group.name
        permission = f"{row.permission.content_type.app_label}.{row.permission.codename}"
        found[(row.content_object_id, row.group_id, row.permission_id)] = (
            row.pk,
            row.content_object.reference,
            name,
            permission,
        )
    return found


class Command(BaseCommand):
    help = "Rebuild the partner groups' object permissions on problems from the active shares."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Change nothing; list differences; fail if any.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        with transaction.atomic():
            wanted = expected_rows()
            found = actual_rows()
            missing = [key for key in wanted if key not in found]
            extra = [key for key in found if key not in wanted]
            for key in missing:
                reference, organisation, permission = wanted[key]
                self.stdout.write(f"missing: {reference} {organisation} {permission}")
            for key in extra:
                _pk, reference, organisation, permission = found[key]
                self.stdout.write(f"extra: {reference} {organisation} {permission}")
            differences = len(missing) + len(extra)
            if check:
                if differences:
                    raise CommandError(f"{differences} difference(s) between the shares and the permissions.")
                self.stdout.write("The permissions match the active shares.")
                return
            ProblemGroupObjectPermission.objects.filter(pk__in=[found[key][0] for key in extra]).delete()
            ProblemGroupObjectPermission.objects.bulk_create(
                ProblemGroupObjectPermission(content_object_id=p, group_id=g, permission_id=perm)
                for (p, g, perm) in missing
            )
            self.stdout.write(f"Added {len(missing)} and removed {len(extra)} permission row(s).")
