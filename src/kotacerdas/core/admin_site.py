"""The Django admin is for national admins only, as core.permissions decides."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite

from . import permissions


def restrict_admin_site(site: AdminSite) -> None:
    """Let only users with "admin.access" into the admin site."""

    def has_permission(request: Any) -> bool:
        return permissions.can(request.user, "admin.access")

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = "kotacerdas"
    site.site_title = "kotacerdas"
