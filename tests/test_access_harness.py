"""The access matrix harness itself: a URL added without a matrix entry must fail the suite."""

from __future__ import annotations

from django.test import override_settings

from tests.access_matrix import uncovered_url_names, url_names


@override_settings(ROOT_URLCONF="tests.harness_urls")
def test_harness_reports_a_url_added_without_a_matrix_entry() -> None:
    assert uncovered_url_names() == ["<unnamed nameless/>", "forgotten-page"]


def test_harness_sees_urls_inside_included_and_namespaced_patterns() -> None:
    names = set(url_names())
    assert {"password-reset-confirm", "admin:index", "admin:accounts_user_changelist"} <= names
