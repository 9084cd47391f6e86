"""Problems for tests: the owner is an officer of the owning force (object graphs stay consistent).

Built directly as rows so that every part of the problems app can be tested on its own; tests of
the create service itself call the service."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import Role
from problems.models import Problem, ProblemCategory, ProblemSource, RiskLevel
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import PoliceForceFactory


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
    neighbourhood = "Eastgate"
    source = ProblemSource.COMMUNITY_REPORT
    risk_level = RiskLevel.MEDIUM
    opened_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def named(obj: Problem, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.named_users.set(extracted)
