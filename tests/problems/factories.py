"""Problems for tests: the owner is an officer of the owning force (object graphs stay consistent).

Built directly as rows so that every part of the problems app can be tested on its own; tests of
the create service itself call the service. A problem's neighbourhood is one of its force's:
`neighbourhood="Westfield"` finds the force's neighbourhood of that name (ignoring case) or adds it."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import Role
from partnerships.models import Neighbourhood, Organisation
from problems.models import Problem, ProblemCategory, ProblemSource, RiskLevel
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory


def force_neighbourhood(force: Organisation, name: str = "Eastgate") -> Neighbourhood:
    """The force's neighbourhood called `name` (any case), added if it has none."""
    found = Neighbourhood.objects.filter(organisation=force, name__iexact=name).first()
    return found or NeighbourhoodFactory(organisation=force, name=name)


class ProblemFactory(factory.django.DjangoModelFactory[Problem]):
    class Meta:
        model = Problem
        skip_postgeneration_save = True

    class Params:
        force = factory.SubFactory(PoliceForceFactory)

    reference = factory.Sequence(lambda n: f"PRB-{timezone.localdate().year}-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"Street drinking around the shops, site {n}")
    description = "Groups drinking outside the parade of shops every evening; residents feel intimidated."
    category = factory.LazyFunction(lambda: ProblemCategory.objects.get(code="asb"))
    owning_organisation = factory.SelfAttribute("force")
    owner = factory.LazyAttribute(lambda o: UserFactory(role=Role.OFFICER, organisation=o.owning_organisation))
    created_by = factory.SelfAttribute("owner")
    neighbourhood = factory.LazyAttribute(lambda o: force_neighbourhood(o.owning_organisation))
    source = ProblemSource.COMMUNITY_REPORT
    risk_level = RiskLevel.MEDIUM
    opened_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        if isinstance(kwargs.get("neighbourhood"), str):
            kwargs["neighbourhood"] = force_neighbourhood(kwargs["owning_organisation"], kwargs["neighbourhood"])
        return kwargs

    @factory.post_generation
    def named(obj: Problem, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.named_users.set(extracted)
