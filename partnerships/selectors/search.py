"""The organisations, contacts and information-sharing agreements the site search finds (search/,
issue 20): those the user may see, by the registry's own rules (organisations_visible_to, the
agreement register's), best match first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.search import best_first, text_search
from partnerships.models import Agreement, Contact, Organisation
from partnerships.models.agreements import AGREEMENT_SEARCH_PARTS
from partnerships.models.contacts import CONTACT_SEARCH_PARTS
from partnerships.models.organisations import ORGANISATION_SEARCH_PARTS
from partnerships.selectors.agreements import agreements_visible_to
from partnerships.selectors.organisations import organisations_visible_to

if TYPE_CHECKING:
    from accounts.models import User


def organisation_search_visible_to(*, user: User, query: str) -> QuerySet[Organisation]:
    found = text_search(organisations_visible_to(user), query=query, parts=ORGANISATION_SEARCH_PARTS)
    return found.order_by(best_first(), "name", "pk")


def contact_search_visible_to(*, user: User, query: str) -> QuerySet[Contact]:
    """Contacts are seen with their organisation (partnerships.selectors.contacts)."""
    visible = Contact.objects.filter(organisation__in=organisations_visible_to(user))
    found = text_search(visible, query=query, parts=CONTACT_SEARCH_PARTS)
    return found.select_related("organisation").order_by(best_first(), "name", "pk")


def agreement_search_visible_to(*, user: User, query: str) -> QuerySet[Agreement]:
    """Every version the user may see (the register lists them all), newest version first."""
    found = text_search(agreements_visible_to(user), query=query, parts=AGREEMENT_SEARCH_PARTS)
    return found.order_by(best_first(), "reference", "-version")
