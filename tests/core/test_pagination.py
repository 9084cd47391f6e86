"""Long lists are counted up to a limit (core.pagination): a list of more than COUNT_LIMIT rows says
"more than 10,000" and its count stops reading at the limit; a shorter one is counted exactly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import COUNT_LIMIT, CappedPaginator
from problems.models import Problem
from tests.conftest import World, sign_in
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _problems(world: World, count: int) -> None:
    """`count` problems of the world's force owned by its officer, written in one statement."""
    first = ProblemFactory(force=world.force, owner=world.users["officer"], created_by=world.users["officer"])
    fields = {
        field.attname: getattr(first, field.attname)
        for field in Problem._meta.concrete_fields
        if field.attname not in ("id", "reference")
    }
    Problem.objects.bulk_create(Problem(reference=f"BULK-{n:06d}", **fields) for n in range(count - 1))


def test_a_list_longer_than_the_limit_is_counted_to_the_limit_only(world: World) -> None:
    _problems(world, COUNT_LIMIT + 50)
    paginator = CappedPaginator(Problem.objects.order_by("pk"), 25)

    with CaptureQueriesContext(connection) as queries:
        count = paginator.count

    assert count == COUNT_LIMIT + 1
    assert paginator.capped
    assert f"LIMIT {COUNT_LIMIT + 1}" in queries.captured_queries[0]["sql"]
    assert paginator.num_pages == (COUNT_LIMIT + 1 + 24) // 25
    assert len(paginator.page(paginator.num_pages)) == 1


def test_a_list_within_the_limit_is_counted_exactly(world: World) -> None:
    _problems(world, 30)
    paginator = CappedPaginator(Problem.objects.order_by("pk"), 25)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (30, False, 2)


def test_the_problem_list_of_more_than_10000_problems_says_so_and_pages_on(world: World) -> None:
    _problems(world, COUNT_LIMIT + 50)
    client = sign_in(Client(), world.users["officer"])

    first = client.get(reverse("problem-list")).content.decode()
    second = client.get(reverse("problem-list"), {"page": 2}).content.decode()

    assert "More than 10,000 problems, page 1</caption>" in first
    assert "page=2" in first
    assert "More than 10,000 problems, page 2</caption>" in second


def test_a_short_problem_list_gives_its_count_and_pages(world: World) -> None:
    _problems(world, 30)
    client = sign_in(Client(), world.users["officer"])

    page = client.get(reverse("problem-list")).content.decode()

    assert "30 problems, page 1 of 2</caption>" in page
