"""The account's API tokens pages (pages, not API: the site's session, with the second factor)."""

from __future__ import annotations

from api.views.tokens import urlpatterns

__all__ = ["urlpatterns"]
