"""App configuration owned by the project: the admin site with our sign-in rules."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class CommonGroundAdminConfig(AdminConfig):
    default_site = "config.admin_site.CommonGroundAdminSite"
