from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site search (issue 20): one box in the navigation that finds, across the apps, what the
    user may see. At the top of the house with evaluation: it imports every domain app's searchable
    selectors, and no domain app imports it."""

    name = "search"
