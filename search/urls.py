from __future__ import annotations

from search.views import urlpatterns

__all__ = ["urlpatterns"]
