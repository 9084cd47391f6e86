from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template import Template
from django.template.base import PartialTemplate
from django.test.utils import _TestState

# The personas, for signed-in measurements; and the flush that a transactional benchmark ends
# with (tests/conftest.py).
from tests.conftest import _test_database_flush, world  # noqa: F401


@pytest.fixture
def _uninstrumented_templates() -> Iterator[None]:
    """Templates rendered as in production: the test environment wraps every render to record its
    context for assertions, which costs a list page (dozens of included field templates) several
    milliseconds that no user ever pays."""
    saved = _TestState.saved_data  # what setup_test_environment replaced
    instrumented = (Template._render, PartialTemplate._render)
    Template._render, PartialTemplate._render = saved.template_render, saved.partial_template_render  # type: ignore[method-assign]
    yield
    Template._render, PartialTemplate._render = instrumented  # type: ignore[method-assign]
