"""Reads of organisations (the partner registry), filtered by what the user may see.

Police roles and administrators see every organisation. A partner user sees their own
organisation and those that share a current partnership membership with it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.access import get_visible_or_404
from partnerships.models import Contact, Organisation, PartnershipMembership
from partnerships.services.organisations import ORGANISATION_EDITABLE_FIELDS, ORGANISATION_PROFILE_FIELDS

# The web form leaves the kind to the admin site: a force turned partner (or the reverse) would
# leave its users with roles that no longer fit their organisation.
ORGANISATION_FIELDS_FOR_SUPERVISORS = tuple(field for field in ORGANISATION_EDITABLE_FIELDS if field != "kind")


def current_membership(day: datetime.date, prefix: str = "") -> Q:
    """Memberships (at `prefix`) that run on `day`."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def spoc_on(day: datetime.date, prefix: str = "") -> Q:
    """Contacts (at `prefix`) who are a single point of contact on `day` (see Contact.is_spoc_on)."""
    return (
        ~Q(**{f"{prefix}spoc_topics": ""})
        & Q(**{f"{prefix}spoc_from__lte": day})
        & (Q(**{f"{prefix}spoc_to__isnull": True}) | Q(**{f"{prefix}spoc_to__gte": day}))
    )


def has_active_spoc(day: datetime.date) -> Exists:
    return Exists(Contact.objects.filter(spoc_on(day), organisation=OuterRef("pk")))


def organisations_visible_to(user: User, *, day: datetime.date | None = None) -> QuerySet[Organisation]:
    """Every organisation `user` may see, filtered in the database (never by global permissions)."""
    if user.reads_whole_partner_registry:
        return Organisation.objects.all()
    if not user.is_partner:
        return Organisation.objects.none()
    day = day or timezone.localdate()
    # Both memberships in one filter() call, so that they are of the same partnership row.
    shares_a_partnership = PartnershipMembership.objects.filter(
        current_membership(day),
        current_membership(day, prefix="partnership__memberships__"),
        organisation=OuterRef("pk"),
        partnership__memberships__organisation_id=user.organisation_id,
    )
    return Organisation.objects.filter(Q(pk=user.organisation_id) | Q(Exists(shares_a_partnership)))


def organisation_list_visible_to(
    *,
    user: User,
    search: str = "",
    kind: str = "",
    sector: str = "",
    no_spoc: bool = False,
    day: datetime.date | None = None,
) -> QuerySet[Organisation]:
    """The partner registry: organisations `user` may see, each annotated with `has_active_spoc`
    (someone is a single point of contact there on `day`, today unless given)."""
    day = day or timezone.localdate()
    organisations = organisations_visible_to(user, day=day).annotate(has_active_spoc=has_active_spoc(day))
    if search.strip():
        organisations = organisations.filter(name__icontains=search.strip())
    if kind:
        organisations = organisations.filter(kind=kind)
    if sector:
        organisations = organisations.filter(sector=sector)
    if no_spoc:
        organisations = organisations.filter(has_active_spoc=False)
    return organisations.order_by("name")


def organisation_list_without_active_spoc(*, user: User) -> QuerySet[Organisation]:
    """Active organisations with nobody to call today: the supervisor's partnership gaps."""
    return organisation_list_visible_to(user=user, no_spoc=True).filter(active=True)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Supervisors and administrators edit any profile; a partner lead edits their own."""
    if user.is_supervisor or user.is_administrator:
        return True
    return user.is_partner_lead and user.organisation_id == organisation.pk


def organisation_fields_editable_by(user: User, organisation: Organisation) -> tuple[str, ...]:
    """What the profile form offers: a partner lead keeps their profile up to date, but the name,
    sector and whether the organisation is active are decided by supervisors and administrators."""
    if user.is_supervisor or user.is_administrator:
        return ORGANISATION_FIELDS_FOR_SUPERVISORS
    if can_edit_organisation(user, organisation):
        return ORGANISATION_PROFILE_FIELDS
    return ()


def organisation_get_for_user(*, user: User, pk: object, action: str = "view") -> Organisation:
    """One organisation: 404 for those who may not see it, 403 for viewers without the right.

    Actions: "view", "change" (the profile)."""
    organisation = get_visible_or_404(organisations_visible_to(user), pk=pk)
    if action == "change" and not can_edit_organisation(user, organisation):
        raise PermissionDenied
    if action not in ("view", "change"):
        raise ValueError(f"Unknown action {action!r}")
    return organisation


def has_active_users() -> Exists:
    """The organisation (at the outer query's pk) has someone who can sign in."""
    return Exists(User.objects.filter(organisation_id=OuterRef("pk"), is_active=True))


def organisation_people_to_tell(*, organisation: Organisation, day: datetime.date | None = None) -> QuerySet[User]:
    """Whom to tell when something becomes the organisation's business (a problem shared with it,
    an action assigned to it): its active users, leads and members alike, and the active users who
    are its single points of contact on `day`. A SPOC without an account has nowhere to see the
    problem, so is not among them."""
    day = day or timezone.localdate()
    spocs = (
        Contact.objects.filter(spoc_on(day), organisation=organisation, user__isnull=False)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=day))
        .values("user_id")
    )
    return User.objects.filter(Q(organisation=organisation) | Q(pk__in=spocs), is_active=True).order_by("pk")
