"""Receivers of other apps' signals."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from partnerships.models import Agreement, Organisation
from partnerships.signals import agreement_ended
from problems.models.sharing import ProblemGroupObjectPermission
from problems.services.sharing import shares_suspend_for_agreement


@receiver(agreement_ended, dispatch_uid="problems.suspend_shares_on_agreement_end")
def suspend_shares_when_agreement_ends(
    sender: Any, agreement: Agreement, reason: str, cause: str, ended_by: Any = None, **kwargs: Any
) -> None:
    """An agreement stopped being in force: every share relying on it is suspended at once."""
    shares_suspend_for_agreement(
        agreement=agreement,
        reason=f"Agreement {agreement.reference} ended: {reason}",
        cause=cause,
        ended_by=ended_by,
    )


@receiver(post_delete, sender=Organisation, dispatch_uid="problems.drop_permissions_of_deleted_organisation")
def drop_permissions_of_deleted_organisation(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """Deleting an organisation deletes its shares (cascade) but keeps its auth group (PROTECT on
    the group side): remove the group's permissions on problems, so no row outlives the shares."""
    ProblemGroupObjectPermission.objects.filter(group_id=instance.group_id).delete()
