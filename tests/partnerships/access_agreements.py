"""Access matrix entries for the partnerships app: agreements. Joined into tests/access_matrix.py.

Police roles and administrators see every agreement; partner users only those their organisation
is party to (the unrelated partner gets 404). Writes are for supervisors (others who can see the
agreement get 403); a party is signed by its own organisation's lead only."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from partnerships.models import AgreementStatus
from tests.access_matrix import REDIRECT, ROLES, Entry, signed_in_page
from tests.partnerships.factories_agreements import complete_agreement

SUPERVISOR_ONLY_ON_PARTY_AGREEMENT = signed_in_page(
    **{**dict.fromkeys(ROLES, 403), "unrelated_partner": 404, "supervisor": 200}
)
SUPERVISOR_POSTS_ON_PARTY_AGREEMENT = signed_in_page(
    **{**dict.fromkeys(ROLES, 403), "unrelated_partner": 404, "supervisor": REDIRECT}
)
VISIBLE_TO_PARTIES = signed_in_page(unrelated_partner=404)


def _draft(world: Any) -> dict[str, Any]:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    return {"pk": agreement.pk}


def _signed_draft(world: Any) -> dict[str, Any]:
    agreement = complete_agreement(parties=[world.force, world.partner], created_by=world.users["supervisor"])
    return {"pk": agreement.pk}


def _active(world: Any) -> dict[str, Any]:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    return {"pk": agreement.pk}


def _with_document(world: Any) -> dict[str, Any]:
    agreement = complete_agreement(parties=[world.force, world.partner], status=AgreementStatus.ACTIVE)
    agreement.document.save("signed.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"pk": agreement.pk}


def _council_party(world: Any) -> dict[str, Any]:
    agreement = complete_agreement(parties=[world.force, world.partner], signed=False)
    return {"pk": agreement.parties.get(organisation=world.partner).pk}


ENTRIES: list[Entry] = [
    Entry("agreement-list", signed_in_page()),
    # Everyone signed in may download the register; each sees only the rows they may see.
    Entry("agreement-export", signed_in_page()),
    Entry("agreement-create", signed_in_page(**{**dict.fromkeys(ROLES, 403), "supervisor": 200})),
    Entry("agreement-detail", VISIBLE_TO_PARTIES, kwargs=_draft),
    Entry("agreement-edit", SUPERVISOR_ONLY_ON_PARTY_AGREEMENT, kwargs=_draft),
    Entry("agreement-party-edit", SUPERVISOR_ONLY_ON_PARTY_AGREEMENT, kwargs=_council_party),
    # Only the council's lead signs for the council; the force's supervisor signs for the force.
    Entry(
        "agreement-sign",
        signed_in_page(**{**dict.fromkeys(ROLES, 403), "unrelated_partner": 404, "partner_lead": REDIRECT}),
        kwargs=_council_party,
        method="post",
    ),
    Entry("agreement-activate", SUPERVISOR_POSTS_ON_PARTY_AGREEMENT, kwargs=_signed_draft, method="post"),
    Entry("agreement-review", SUPERVISOR_POSTS_ON_PARTY_AGREEMENT, kwargs=_active, method="post"),
    Entry("agreement-terminate", SUPERVISOR_ONLY_ON_PARTY_AGREEMENT, kwargs=_active),
    Entry("agreement-amend", SUPERVISOR_POSTS_ON_PARTY_AGREEMENT, kwargs=_active, method="post"),
    Entry("agreement-document", VISIBLE_TO_PARTIES, kwargs=_with_document),
    Entry("agreement-document-upload", SUPERVISOR_ONLY_ON_PARTY_AGREEMENT, kwargs=_active),
]
