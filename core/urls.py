from __future__ import annotations

from core import notification_views

urlpatterns = [*notification_views.urlpatterns]
