"""`url_with_pk` and `{{ pk|pk_url:name }}` (core.links): a row's address, made from one reverse per
URL configuration, is exactly what `reverse()` gives, under any script prefix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from core.links import url_with_pk

NAMES = ["problem-detail", "problem-review", "organisation-detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [0, 1, 7, 42, 2_147_483_647, 987_654_321_987])
def test_addresses_are_what_reverse_gives(name: str, pk: int) -> None:
    assert url_with_pk(name, pk) == reverse(name, kwargs={"pk": pk})


def test_addresses_follow_the_script_prefix() -> None:
    try:
        set_script_prefix("/cg/")
        assert url_with_pk("problem-detail", 5) == reverse("problem-detail", kwargs={"pk": 5}) == "/cg/problems/5/"
    finally:
        clear_script_prefix()
    assert url_with_pk("problem-detail", 5) == "/problems/5/"


@pytest.mark.parametrize("pk", ["5", -1, None, True])
def test_anything_but_a_whole_number_is_left_to_reverse(pk: object) -> None:
    try:
        expected = reverse("problem-detail", kwargs={"pk": pk})
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            url_with_pk("problem-detail", pk)  # type: ignore[arg-type]
    else:
        assert url_with_pk("problem-detail", pk) == expected  # type: ignore[arg-type]


def test_the_filter_gives_the_url_tags_address() -> None:
    source = "{% load links %}{{ pk|pk_url:'problem-detail' }} {% url 'problem-detail' pk %}"
    first, second = Template(source).render(Context({"pk": 12})).split()
    assert first == second == "/problems/12/"
